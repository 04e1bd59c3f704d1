import type { StoredEvent } from '../../core/events.js';
import { validateEvent } from '../../ingest/validate-event.js';
import { generateShop } from '../../simulate/shop.js';
import { catalogFromMap, type ItemAttributes } from '../catalog-source.js';
import { consentFromMap } from '../consent.js';
import { ProfileProcessor } from '../profile-processor.js';

/**
 * A profile processor fed with a simulated shop (src/simulate) — for tests that need many realistic
 * profiles, and for bench/segments.ts. `replicas` > 1 replays the shop's stream with fresh ids (`u-1~3`)
 * until there are that many copies of every user.
 *
 * @example const { processor, workspaceId } = await simulatedProfiles({ users: 500, items: 300, days: 30 });
 */
export async function simulatedProfiles(options: { users: number; items: number; days: number; seed?: number; replicas?: number; onReplica?: (r: number) => void }) {
  const end = Date.UTC(2026, 10, 1);
  const shop = generateShop({ seed: options.seed ?? 42, users: options.users, items: options.items, days: options.days, start: end - options.days * 86_400_000 });
  const ctx = { workspaceId: 'demo', now: end + 86_400_000, maxEventBytes: 64 * 1024 };
  const events: StoredEvent[] = shop.events.map((raw, i) => {
    const r = validateEvent(raw, ctx);
    if (!r.ok) throw new Error(`simulated event rejected: ${r.error.message}`);
    return { ...r.event, seq: i + 1 };
  });
  const items = new Map<string, ItemAttributes>(shop.items.map((i) => [i.id, { categoryPath: i.categoryPath ?? [], brand: i.brand ?? null, tags: i.tags ?? [], price: i.price ?? null }]));
  const consents = new Map(shop.users.map((u) => [u.id, u.consent ?? {}]));
  const processor = new ProfileProcessor({ catalog: catalogFromMap({ demo: items }), consent: consentFromMap({ demo: consents }) }, { utcOffsetMinutes: 480, clock: () => end });
  let seq = 0;
  for (let r = 0; r < (options.replicas ?? 1); r++) {
    const suffix = r === 0 ? '' : `~${r}`;
    for (let i = 0; i < events.length; i += 5000) {
      const batch = events.slice(i, i + 5000).map((e) => (r === 0 ? { ...e, seq: ++seq } : {
        ...e, seq: ++seq, messageId: e.messageId + suffix, userId: e.userId === null ? null : e.userId + suffix,
        anonymousId: e.anonymousId === null ? null : e.anonymousId + suffix, previousId: e.previousId === null ? null : e.previousId + suffix,
      }));
      await processor.process(batch);
    }
    options.onReplica?.(r);
  }
  return { processor, workspaceId: 'demo', end, events: events.length, log: events, items };
}
