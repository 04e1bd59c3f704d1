import type { Command } from 'commander';
import { catalogFromItemStore } from '../../profiles/catalog-source.js';
import { consentFromUserStore } from '../../profiles/consent.js';
import type { UserProfile } from '../../profiles/profile.js';
import { ProfileProcessor } from '../../profiles/profile-processor.js';
import { snapshotPath } from '../../profiles/profile-snapshot.js';
import { openStorage } from '../../storage/open-storage.js';
import { configFrom } from '../global-options.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const REPLAY_BATCH = 10_000;

/**
 * `shopwise profile USER [--json] [--workspace ID]`: a user's real-time profile. Reads the server's
 * latest profile snapshot in the data dir (never writing one: the server owns it) and replays the
 * event log after it, so the answer is up to date with every committed event.
 *
 * @example registerProfile(program); // shopwise profile u-00042 --json
 */
export function registerProfile(program: Command): void {
  program
    .command('profile')
    .description('show a user’s real-time profile (interests, RFM, price band, activity, recent items, cart …)')
    .argument('<user>', 'user id, or an anonymous id')
    .option('--json', 'print the profile as JSON')
    .action(async (user: string, options: { json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const storage = await openStorage(config.storageUrl, { sqliteSynchronous: config.sqliteSynchronous });
      try {
        const processor = new ProfileProcessor(
          { catalog: catalogFromItemStore(storage.items), consent: consentFromUserStore(storage.users), identities: storage.events },
          { snapshotPath: snapshotPath(config.dataDir), snapshotReadOnly: true },
        );
        const restored = await processor.start();
        let replayed = 0;
        for (;;) {
          const batch = await storage.events.readAfter(processor.logPosition, REPLAY_BATCH);
          if (batch.length === 0) break;
          await processor.process(batch);
          replayed += batch.length;
          if (!options.json && replayed % (10 * REPLAY_BATCH) === 0) process.stderr.write(`replayed ${replayed.toLocaleString('en-US')} events…\n`);
        }
        const profile = await processor.getProfile(config.defaultWorkspace, user);
        if (!profile) {
          console.error(`no profile for ${user} in workspace ${config.defaultWorkspace}: no events of theirs in the log, or they declined analytics`);
          process.exitCode = 1;
          return;
        }
        if (options.json) console.log(JSON.stringify({ ...profile, logPosition: processor.logPosition }, null, 2));
        else {
          console.log(describeProfile(profile));
          const from = restored.from === 'snapshot' ? `the snapshot at ${restored.position} + ${replayed} events replayed` : `${replayed} events replayed (no snapshot)`;
          console.log(`\n(log position ${processor.logPosition}: ${from})`);
        }
      } finally {
        await storage.close();
      }
    });
}

/**
 * A profile as a few readable lines.
 *
 * @example console.log(describeProfile(profile));
 */
export function describeProfile(p: UserProfile): string {
  const day = (t: number | null | undefined) => (t ? new Date(t).toISOString().slice(0, 16).replace('T', ' ') : '–');
  const num = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
  const top = (record: Record<string, number> | undefined, n = 6) => Object.entries(record ?? {}).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${k} ${v}`).join(' · ') || '–';
  const lines = [
    `${p.userId}${p.anonymous ? ' (anonymous visitor)' : ''} — workspace ${p.workspaceId}, ${p.consent === 'full' ? 'full profile' : 'restricted: personalization declined, counts only'}`,
    `  ${p.events} events, first seen ${day(p.firstSeen)}, last seen ${day(p.lastSeen)} (UTC)`,
    `  events: ${top(p.eventCounts, 8)}`,
  ];
  if (p.interests) {
    const list = (items: { name: string; weight: number }[]) => items.slice(0, 6).map((i) => `${i.name} ${num(i.weight)}`).join(' · ') || '–';
    lines.push(`Interests (half-life ${p.interests.halfLifeDays} days, as of ${day(p.interests.asOf)}):`,
      `  categories: ${list(p.interests.categories)}`, `  brands: ${list(p.interests.brands)}`, `  tags: ${list(p.interests.tags)}`);
  }
  if (p.rfm) {
    const r = p.rfm;
    lines.push(r.orders === 0 ? 'Orders: none' : `Orders: ${r.orders}, revenue ${num(r.revenue)} (average ${num(r.averageOrderValue ?? 0)}), last ${day(r.lastOrderAt)} ` +
      `(${num(r.daysSinceLastOrder ?? 0, 1)} days ago), ${r.discountedOrders} with a discount`);
  }
  if (p.price) {
    const pr = p.price;
    lines.push(`Price: band ${pr.band ?? '–'} of 5 (typical ${pr.typicalPrice === null ? '–' : num(pr.typicalPrice)}, paid ${pr.typicalPaid === null ? '–' : num(pr.typicalPaid)}), ` +
      `sensitivity ${pr.sensitivity === null ? '– (no order yet)' : num(pr.sensitivity)}`);
  }
  if (p.activeHours && p.activeWeekdays) {
    const hours = p.activeHours.map((n, h) => [h, n] as const).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([h]) => `${h}h`);
    const days = p.activeWeekdays.map((n, d) => [d, n] as const).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([d]) => WEEKDAYS[d]);
    lines.push(`Active: most at ${hours.join(', ') || '–'} local; on ${days.join(', ') || '–'}`,
      `  channels: ${top(p.channels)}; platforms: ${top(p.platforms)}; devices: ${top(p.devices)}`);
  }
  if (p.recentItems) lines.push(`Recent items: ${p.recentItems.slice(0, 10).map((r) => r.itemId).join(', ') || '–'}${p.recentItems.length > 10 ? ` … (${p.recentItems.length})` : ''}`);
  if (p.recentSearches) lines.push(`Recent searches: ${p.recentSearches.map((s) => `"${s.query}"`).join(', ') || '–'}`);
  if (p.cart) lines.push(`Cart: ${p.cart.map((c) => `${c.itemId} ×${c.quantity}`).join(', ') || 'empty'}`);
  if (p.reviews && (p.reviews.withText > 0 || p.reviews.rated > 0)) {
    lines.push(`Reviews: ${p.reviews.rated} rated (mean ${num(p.reviews.meanRating ?? 0, 1)}), ${p.reviews.withText} with text (sentiment ${num(p.reviews.sentiment ?? 0)})`);
  }
  return lines.join('\n');
}
