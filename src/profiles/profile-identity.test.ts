import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../core/events.js';
import { DAY_MS } from './decay.js';
import { comparable, EventMaker, profileDifferences, T0, testProcessor } from './profile-fixtures.js';

/** A visitor browses anonymously, then logs in; the user had history before on another device. */
function history(m: EventMaker): StoredEvent[] {
  const A = { anonymousId: 'anon-1' };
  const U = { userId: 'alice' };
  return [
    m.track(U, 'Product Viewed', { productId: 'p7' }, { timestamp: T0, channel: 'app', context: { platform: 'ios' } }),
    m.track(U, 'Product Added', { productId: 'p7' }, { timestamp: T0 + 1000, channel: 'app' }),
    m.track(A, 'Product Viewed', { productId: 'p1' }, { timestamp: T0 + DAY_MS, channel: 'web', context: { platform: 'web' } }),
    m.track(A, 'Products Searched', { query: 'guitar strings' }, { timestamp: T0 + DAY_MS + 1000, channel: 'web' }),
    m.track(A, 'Product Viewed', { productId: 'p2' }, { timestamp: T0 + DAY_MS + 2000, channel: 'web' }),
    m.identify('alice', 'anon-1', { timestamp: T0 + DAY_MS + 3000, channel: 'web' }),
    m.track({ ...U, ...A }, 'Order Completed', { revenue: 20, products: [{ productId: 'p2', quantity: 1, price: 20 }] }, { timestamp: T0 + DAY_MS + 4000, channel: 'web' }),
  ];
}

describe('identity merges carry the history over', () => {
  it('anonymous events then identify: one profile with both histories, the visitor’s profile gone', async () => {
    const processor = testProcessor({ identities: new Map([['anon-1', 'alice']]) });
    await processor.process(history(new EventMaker()));
    const alice = (await processor.getProfile('shop', 'alice'))!;
    expect(alice.anonymous).toBe(false);
    expect(alice.events).toBe(7);
    expect(alice.eventCounts).toEqual({ 'Product Viewed': 3, 'Product Added': 1, 'Products Searched': 1, identify: 1, 'Order Completed': 1 });
    expect(alice.recentItems!.map((r) => r.itemId)).toEqual(['p2', 'p1', 'p7']);
    expect(alice.recentSearches!.map((s) => s.query)).toEqual(['guitar strings']);
    expect(alice.channels).toEqual({ app: 2, web: 5 });
    expect(alice.platforms).toEqual({ ios: 1, web: 1 });
    expect(alice.cart).toEqual([{ itemId: 'p7', quantity: 1 }]);
    expect(alice.rfm!.orders).toBe(1);
    expect(processor.profileIds('shop')).toEqual({ users: ['alice'], anonymous: [] });
    expect(processor.stats().merges).toBe(1);
    // The anonymous id finds the user it was identified as.
    expect((await processor.getProfile('shop', 'anon-1'))?.userId).toBe('alice');
  });

  it('gives the same profile as reading the log after stitching attributed the anonymous events to the user', async () => {
    const live = testProcessor();
    await live.process(history(new EventMaker()));
    // What readAfter returns once the identify is committed: the same events, already naming alice.
    const stitched = history(new EventMaker()).map((e) => (e.anonymousId === 'anon-1' ? { ...e, userId: 'alice' } : e));
    const replayed = testProcessor();
    await replayed.process(stitched);
    const at = { at: T0 + 3 * DAY_MS };
    expect(profileDifferences(comparable(await live.getProfile('shop', 'alice', at)), comparable(await replayed.getProfile('shop', 'alice', at)))).toEqual([]);
  });

  it('keeps a visitor who never identifies as an anonymous profile', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    await processor.process([m.track({ anonymousId: 'anon-9' }, 'Product Viewed', { productId: 'p3' })]);
    expect(await processor.getProfile('shop', 'anon-9')).toMatchObject({ userId: 'anon-9', anonymous: true, events: 1 });
  });

  it('alias merges a previous user id (and an anonymous id of that name) into the user', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    await processor.process([
      m.track({ userId: 'old-id' }, 'Product Viewed', { productId: 'p1' }),
      m.track({ userId: 'old-id' }, 'Order Completed', { revenue: 10, products: [{ productId: 'p1', quantity: 1, price: 10 }] }),
      m.track({ userId: 'new-id' }, 'Product Viewed', { productId: 'p6' }),
      m.track({ anonymousId: 'device-7' }, 'Product Viewed', { productId: 'p8' }),
      m.alias('new-id', 'old-id'),
      m.alias('new-id', 'device-7'),
    ]);
    const merged = (await processor.getProfile('shop', 'new-id'))!;
    expect(merged.events).toBe(6);
    expect(merged.rfm).toMatchObject({ orders: 1, revenue: 10 });
    expect(merged.recentItems!.map((r) => r.itemId)).toEqual(['p8', 'p6', 'p1']);
    expect(processor.profileIds('shop')).toEqual({ users: ['new-id'], anonymous: [] });
  });

  it('merging into a user who declined personalization keeps only the counts', async () => {
    const processor = testProcessor({ consents: new Map([['alice', { personalization: false }]]) });
    await processor.process(history(new EventMaker()));
    const alice = (await processor.getProfile('shop', 'alice'))!;
    expect(alice).toMatchObject({ consent: 'restricted', events: 7 });
    expect(alice.interests).toBeUndefined();
    expect(alice.recentItems).toBeUndefined();
    expect(processor.profileIds('shop').anonymous).toEqual([]);
  });

  it('merging into a user who declined analytics drops the visitor’s profile', async () => {
    const processor = testProcessor({ consents: new Map([['alice', { analytics: false }]]) });
    await processor.process(history(new EventMaker()));
    expect(await processor.getProfile('shop', 'alice')).toBeUndefined();
    expect(processor.profileIds('shop')).toEqual({ users: [], anonymous: [] });
    expect(processor.stats()).toMatchObject({ untracked: 4, applied: 3 });
  });
});
