import type { Consent } from '../core/catalog.js';
import type { StoredEvent } from '../core/events.js';
import { catalogFromMap, type ItemAttributes } from './catalog-source.js';
import { consentFromMap } from './consent.js';
import { DAY_MS } from './decay.js';
import type { UserProfile } from './profile.js';
import { type ProcessorOptions, ProfileProcessor } from './profile-processor.js';

/**
 * Test helpers for the profile processor: hand-made events and a processor over in-memory catalog and
 * consent. Used by the tests beside this file only.
 */

export const T0 = Date.UTC(2026, 0, 5, 12); // a Monday, 12:00 UTC
export const HALF_LIFE = 14 * DAY_MS;

/** Makes StoredEvents with increasing seq; `track('Product Viewed', { productId })` etc. */
export class EventMaker {
  seq = 0;
  constructor(readonly workspaceId = 'shop') {}

  make(over: Partial<StoredEvent>): StoredEvent {
    const seq = ++this.seq;
    return {
      seq, workspaceId: this.workspaceId, messageId: `m-${seq}`, type: 'track', event: 'Product Viewed', userId: null, anonymousId: null, previousId: null,
      timestamp: T0 + seq * 1000, receivedAt: T0 + seq * 1000, channel: null, properties: {}, traits: {}, context: {}, ...over,
    };
  }

  track(who: { userId?: string; anonymousId?: string }, event: string, properties: Record<string, unknown> = {}, over: Partial<StoredEvent> = {}): StoredEvent {
    return this.make({ userId: who.userId ?? null, anonymousId: who.anonymousId ?? null, event, properties, ...over });
  }

  identify(userId: string, anonymousId: string, over: Partial<StoredEvent> = {}): StoredEvent {
    return this.make({ type: 'identify', event: 'identify', userId, anonymousId, ...over });
  }

  alias(userId: string, previousId: string, over: Partial<StoredEvent> = {}): StoredEvent {
    return this.make({ type: 'alias', event: 'alias', userId, previousId, ...over });
  }
}

/** A small catalog: p1…p10 priced 10…100, two categories, two brands. */
export function smallCatalog(): Map<string, ItemAttributes> {
  const items = new Map<string, ItemAttributes>();
  for (let i = 1; i <= 10; i++) {
    items.set(`p${i}`, {
      categoryPath: i <= 5 ? ['Music', 'Guitars'] : ['Music', 'Drums'], brand: i % 2 ? 'Yamaha' : 'Roland', tags: i <= 5 ? ['strings', 'wood'] : ['percussion'], price: i * 10,
    });
  }
  return items;
}

/** A processor without a source (tests call `process`) over in-memory catalog and consent. */
export function testProcessor(options: ProcessorOptions & { items?: Map<string, ItemAttributes>; consents?: Map<string, Consent>; identities?: Map<string, string> } = {}): ProfileProcessor {
  const { items = smallCatalog(), consents = new Map(), identities, ...rest } = options;
  return new ProfileProcessor({
    catalog: catalogFromMap({ shop: items }), consent: consentFromMap({ shop: consents }),
    ...(identities ? { identities: { resolveIdentity: async (_ws: string, anon: string) => identities.get(anon) } } : {}),
  }, { clock: () => T0, ...rest });
}

/**
 * Compares two profiles: integers and strings exactly, floats to a relative 1e-5 (float sums in another
 * order differ in the last bits; a double-counted event differs by far more, and shows in the counts).
 */
export function profileDifferences(a: unknown, b: unknown, path = 'profile', out: string[] = []): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    const same = Number.isInteger(a) && Number.isInteger(b) ? a === b : Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a), Math.abs(b));
    if (!same) out.push(`${path}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} vs ${b.length}`);
    else a.forEach((x, i) => profileDifferences(x, b[i], `${path}[${i}]`, out));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) profileDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  } else if (a !== b) {
    out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
  return out;
}

/** Interest weights by name, for short assertions. */
export function interestMap(profile: UserProfile | undefined, kind: 'categories' | 'brands' | 'tags'): Record<string, number> {
  return Object.fromEntries((profile?.interests?.[kind] ?? []).map((i) => [i.name, i.weight]));
}

/** The profile with interest lists as name → weight maps (near-equal weights may sort either way). */
export function comparable(profile: UserProfile | undefined): unknown {
  if (!profile?.interests) return profile;
  const { categories, brands, tags, ...rest } = profile.interests;
  const asMap = (list: { name: string; weight: number }[]) => Object.fromEntries(list.map((i) => [i.name, i.weight]));
  return { ...profile, interests: { ...rest, categories: asMap(categories), brands: asMap(brands), tags: asMap(tags) } };
}
