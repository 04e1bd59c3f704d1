import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../storage/open-storage.js';
import type { Storage } from '../../storage/storage.js';
import { engineHarness } from './segment-fixtures.js';
import { SegmentService } from './segment-service.js';

describe('SegmentService', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage('sqlite::memory:');
  });
  afterAll(() => storage.close());

  it('loads stored definitions on start (lists first, rules reading later rules retried), and takes up changes made elsewhere', async () => {
    const now = Date.UTC(2026, 0, 1);
    // Stored out of order: the reader was created before the segment it reads (possible after an edit).
    await storage.segments.put('shop', { id: 'reader', name: 'reader', kind: 'rule', rule: 'segment("buyers") AND segment("vip")' }, now);
    await storage.segments.put('shop', { id: 'buyers', name: 'buyers', kind: 'rule', rule: 'rfm.orders >= 1' }, now + 1);
    await storage.segments.put('shop', { id: 'vip', name: 'vip', kind: 'list', userIds: ['u1'] }, now + 2);
    const h = engineHarness();
    await h.feed(h.events.track({ userId: 'u1' }, 'Order Completed', { revenue: 10, products: [{ productId: 'p1', quantity: 1, price: 10 }] }));
    const errors: unknown[] = [];
    const service = new SegmentService({ store: storage.segments, engine: h.engine, onError: (e) => errors.push(e) });
    await service.start(['shop']);
    expect(errors).toEqual([]);
    expect((await service.list('shop')).map((s) => `${s.id}=${s.members}`)).toEqual(['builtin:high-value=0', 'builtin:at-risk=0', 'reader=1', 'buyers=1', 'vip=1']);
    expect(await service.refresh('shop')).toBe(0);

    // Another process (the CLI) changes the store: refresh defines, redefines and removes.
    await storage.segments.put('shop', { id: 'vip', name: 'vip', kind: 'list', userIds: ['u2'] }, now + 10);
    await storage.segments.put('shop', { id: 'all', name: 'all', kind: 'rule', rule: 'events >= 1' }, now + 11);
    await storage.segments.delete('shop', 'reader');
    expect(await service.refresh('shop')).toBe(3);
    expect(h.engine.segment('shop', 'reader')).toBeUndefined();
    expect((await service.segmentsOf('shop', 'u1')).segments.map((s) => s.id)).toEqual(['buyers', 'all']);
  });
});
