import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { StoredEvent } from '../../core/events.js';
import { catalogFromMap } from '../catalog-source.js';
import { smallCatalog, testProcessor } from '../profile-fixtures.js';
import { segmentSnapshotPath } from './segment-engine-snapshot.js';
import { DAY_MS, engineHarness, summary, T0 } from './segment-fixtures.js';
import { historyFromEventStore } from './segment-history.js';

const order = (productId: string, price: number) => ({ orderId: `o-${productId}-${price}`, revenue: price, products: [{ productId, quantity: 1, price }] });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('segment definitions', () => {
  it('sets members of a new or changed segment without events, and refuses unknown references, cycles and deleting a read segment', async () => {
    const h = engineHarness();
    await h.feed(h.events.track({ userId: 'u1' }, 'Order Completed', order('p1', 10)));
    await h.feed(h.events.track({ userId: 'u2' }, 'Product Viewed', { productId: 'p1' }));
    expect(await h.engine.define('shop', { id: 'buyers', name: 'buyers', kind: 'rule', rule: 'rfm.orders >= 1' })).toEqual({ members: 1 });
    expect(await h.engine.define('shop', { id: 'buyers', name: 'buyers', kind: 'rule', rule: 'rfm.orders >= 0' })).toEqual({ members: 2 });
    await h.engine.define('shop', { id: 'reader', name: 'reader', kind: 'rule', rule: 'segment("buyers") AND events >= 1' });
    await h.engine.flush();
    expect(h.emitted).toEqual([]);
    await expect(h.engine.define('shop', { id: 'bad', name: 'bad', kind: 'rule', rule: 'segment("nope")' })).rejects.toThrow(/names no segment/);
    await expect(h.engine.define('shop', { id: 'buyers', name: 'buyers', kind: 'rule', rule: 'segment("reader")' })).rejects.toThrow(/cycle: buyers → reader → buyers|cycle/);
    expect(h.engine.segment('shop', 'buyers')!.members.size).toBe(2);
    expect(() => h.engine.remove('shop', 'buyers')).toThrow(AppError);
    expect(h.engine.remove('shop', 'reader')).toBe(true);
    expect(h.engine.remove('shop', 'buyers')).toBe(true);
    expect(h.engine.remove('shop', 'buyers')).toBe(false);
  });

  it('a segment reading a time-based one changes at the same deadline', async () => {
    const h = engineHarness();
    await h.engine.define('shop', { id: 'quiet', name: 'quiet', kind: 'rule', rule: 'inactive(days = 7)' });
    await h.engine.define('shop', { id: 'quiet-buyers', name: 'quiet buyers', kind: 'rule', rule: 'segment("quiet") AND rfm.orders >= 1' });
    const e = h.events.track({ userId: 'u1' }, 'Order Completed', order('p1', 10));
    await h.feed(e);
    h.clock.now = e.timestamp + 7 * DAY_MS;
    h.engine.advance();
    expect(summary(h.changes)).toEqual([`entered quiet u1 @t${h.clock.now}`, `entered quiet-buyers u1 @t${h.clock.now}`]);
  });

  it('refreshes the RFM cut-offs by itself after enough orders', async () => {
    const h = engineHarness({ rfmRefreshOrders: 5 });
    for (let i = 0; i < 5; i++) await h.feed(h.events.track({ userId: `b${i}` }, 'Order Completed', order('p1', 10 * (i + 1))));
    expect(h.engine.workspace('shop').rfm?.buyers).toBe(5);
    expect([...h.engine.segment('shop', 'builtin:high-value')!.members]).toEqual(['b4']);
  });
});

describe('identity and history', () => {
  it('an identify carries the visitor’s behaviour windows over to the user', async () => {
    const h = engineHarness();
    await h.engine.define('shop', { id: 'guitar-browsers', name: 'guitar browsers', kind: 'rule', rule: 'viewed(category = "Guitars", days = 7) >= 2' });
    await h.feed(h.events.track({ anonymousId: 'anon-1' }, 'Product Viewed', { productId: 'p1' }));
    await h.feed(h.events.track({ userId: 'u1' }, 'Product Viewed', { productId: 'p2' }));
    expect(h.changes).toEqual([]);
    const identify = h.events.identify('u1', 'anon-1');
    expect(summary(await h.feed(identify))).toEqual([`entered guitar-browsers u1 @e${identify.seq}`]);
    expect(h.engine.segmentsOf('shop', 'anon-1')).toEqual([]);
  });

  it('a new behaviour window is filled from the event log first', async () => {
    const log: StoredEvent[] = [];
    const h = engineHarness({
      history: historyFromEventStore({
        async list(workspaceId, q) {
          const items = log.filter((e) => e.workspaceId === workspaceId && e.event === q.event && e.timestamp >= (q.since ?? 0));
          const start = q.cursor ? Number(q.cursor) : 0;
          const page = items.slice(start, start + q.limit);
          return start + q.limit < items.length ? { items: page, nextCursor: String(start + q.limit) } : { items: page };
        },
      }, catalogFromMap({ shop: smallCatalog() })),
    });
    const past = [
      h.events.track({ userId: 'old' }, 'Order Completed', order('p2', 20), { timestamp: T0 - 45 * DAY_MS }),
      h.events.track({ userId: 'recent' }, 'Order Completed', order('p3', 30), { timestamp: T0 - 5 * DAY_MS }),
      h.events.track({ userId: 'drums' }, 'Order Completed', order('p7', 70), { timestamp: T0 - 5 * DAY_MS }),
    ];
    log.push(...past);
    await h.processor.process(past);
    expect(await h.engine.define('shop', { id: 'g30', name: 'g30', kind: 'rule', rule: 'bought(category = "Guitars", days = 30)' })).toEqual({ members: 1 });
    expect([...h.engine.segment('shop', 'g30')!.members]).toEqual(['recent']);
    // Events after the definition are counted live, once.
    const caused = await h.feed(h.events.track({ userId: 'old' }, 'Order Completed', order('p1', 10)));
    expect(summary(caused.filter((c) => c.segmentId === 'g30'))).toEqual(['entered g30 old @e4']);
    expect(h.engine.workspace('shop').tracks.count(0, 'recent', T0, 30)).toBe(1);
  });
});

describe('restart', () => {
  it('writes its snapshot before each profile snapshot, at the same log position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopwise-segments-'));
    dirs.push(dir);
    const processor = testProcessor({ snapshotPath: join(dir, 'profiles', 'profiles.snapshot') });
    const h = engineHarness({ processor, snapshotPath: segmentSnapshotPath(dir) });
    await processor.start();
    await h.engine.define('shop', { id: 'buyers', name: 'buyers', kind: 'rule', rule: 'rfm.orders >= 1' });
    await h.feed(h.events.track({ userId: 'u1' }, 'Order Completed', order('p1', 10)));
    await processor.snapshotNow();
    const saved = JSON.parse(readFileSync(segmentSnapshotPath(dir), 'utf8'));
    expect(saved.position).toBe(processor.logPosition);
    expect(saved.workspaces[0].segments.find((s: { id: string }) => s.id === 'buyers').members).toEqual(['u1']);
    await processor.close();
  });

  it('restores members, windows and deadlines from its snapshot and ignores events it already saw', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopwise-segments-'));
    dirs.push(dir);
    const snapshotPath = segmentSnapshotPath(dir);
    const h = engineHarness({ snapshotPath });
    await h.engine.define('shop', { id: 'lapsed', name: 'lapsed', kind: 'rule', rule: 'bought(days = 30) >= 1 AND inactive(days = 14)' });
    const events = [h.events.track({ userId: 'u1' }, 'Order Completed', order('p1', 10)), h.events.track({ userId: 'u2' }, 'Order Completed', order('p2', 20))];
    for (const e of events) await h.feed(e);
    await h.engine.snapshot();

    // A new process: profiles replayed from the log, the engine from its snapshot.
    const clock = { now: T0 };
    const processor = testProcessor({ clock: () => clock.now });
    const again = engineHarness({ snapshotPath, processor });
    again.clock.now = T0;
    expect(await again.engine.restore()).toBe(true);
    await processor.process(events);
    await again.engine.define('shop', { id: 'lapsed', name: 'lapsed', kind: 'rule', rule: 'bought(days = 30) >= 1 AND inactive(days = 14)' });
    expect(again.engine.logPosition).toBe(2);
    expect(again.changes).toEqual([]);
    expect(again.engine.workspace('shop').tracks.users()).toEqual(new Set(['u1', 'u2']));
    again.clock.now = events[1]!.timestamp + 14 * DAY_MS;
    again.engine.advance();
    expect(summary(again.changes)).toEqual([`entered lapsed u1 @t${events[0]!.timestamp + 14 * DAY_MS}`, `entered lapsed u2 @t${events[1]!.timestamp + 14 * DAY_MS}`]);
  });
});
