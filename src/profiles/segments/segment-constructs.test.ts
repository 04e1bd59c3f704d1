import { describe, expect, it } from 'vitest';
import { testProcessor } from '../profile-fixtures.js';
import { DAY_MS, engineHarness, type EngineHarness, T0 } from './segment-fixtures.js';

const order = (productId: string, price: number, extra: Record<string, unknown> = {}) => ({ orderId: `o-${productId}-${price}`, revenue: price, products: [{ productId, quantity: 1, price }], ...extra });

/** Defines each rule as a segment before the events, feeds the events, returns the members of each. */
async function membersAfter(h: EngineHarness, rules: Record<string, string>, feed: (h: EngineHarness) => Parameters<EngineHarness['feed']>[0][]): Promise<Record<string, string[]>> {
  for (const [id, rule] of Object.entries(rules)) await h.engine.define('shop', { id, name: id, kind: 'rule', rule });
  for (const e of feed(h)) await h.feed(e);
  return Object.fromEntries(Object.keys(rules).map((id) => [id, [...h.engine.segment('shop', id)!.members].sort()]));
}

describe('evaluation of each construct', () => {
  it('field comparisons (every operator), event counts, AND / OR / NOT / parentheses', async () => {
    const h = engineHarness();
    const members = await membersAfter(h, {
      gt: 'rfm.revenue > 50', ge: 'rfm.revenue >= 50', lt: 'rfm.orders < 2', le: 'rfm.orders <= 1', eq: 'rfm.orders = 2', ne: 'rfm.orders != 2',
      views: 'eventCounts."Product Viewed" >= 2', countAll: 'count("Product Viewed") >= 2',
      logic: '(rfm.orders = 1 OR rfm.revenue > 100) AND NOT eventCounts."Product Viewed" >= 2',
      unknown: 'reviews.meanRating >= 1', notUnknown: 'NOT reviews.meanRating >= 1',
    }, ({ events: m }) => [
      m.track({ userId: 'a' }, 'Order Completed', order('p5', 50)),
      m.track({ userId: 'b' }, 'Order Completed', order('p6', 60)), m.track({ userId: 'b' }, 'Order Completed', order('p1', 70)),
      m.track({ userId: 'c' }, 'Product Viewed', { productId: 'p1' }), m.track({ userId: 'c' }, 'Product Viewed', { productId: 'p2' }),
    ]);
    expect(members).toEqual({
      gt: ['b'], ge: ['a', 'b'], lt: ['a', 'c'], le: ['a', 'c'], eq: ['b'], ne: ['a', 'c'], views: ['c'], countAll: ['c'],
      logic: ['a', 'b'], unknown: [], notUnknown: ['a', 'b', 'c'],
    });
  });

  it('behaviour windows: bought / viewed / carted / count by item, category, brand and tag, within days', async () => {
    const h = engineHarness();
    const m = h.events;
    const members = await membersAfter(h, {
      guitars30: 'bought(category = "Guitars", days = 30)', pathDrums: 'bought(category = "Music > Drums")', item: 'viewed(item = "p6")',
      roland: 'carted(brand = "Roland") >= 2', percussion: 'viewed(tag = "percussion", days = 1)', likes: 'count("Product Liked", days = 2) >= 1',
      recentOnly: 'viewed(category = "Guitars", days = 1)',
    }, () => [
      m.track({ userId: 'a' }, 'Order Completed', order('p1', 10), { timestamp: T0 - 40 * DAY_MS }), // a guitar, 40 days ago: not within 30
      m.track({ userId: 'b' }, 'Order Completed', order('p3', 30)),
      m.track({ userId: 'c' }, 'Order Completed', order('p8', 80)),
      m.track({ userId: 'c' }, 'Product Viewed', { productId: 'p6' }),
      m.track({ userId: 'd' }, 'Product Added', { productId: 'p2' }), m.track({ userId: 'd' }, 'Product Added', { productId: 'p4' }),
      m.track({ userId: 'e' }, 'Product Added', { productId: 'p2' }),
      m.track({ userId: 'e' }, 'Product Liked', { productId: 'p2' }),
      m.track({ userId: 'e' }, 'Product Viewed', { productId: 'p1' }, { timestamp: T0 - 2 * DAY_MS }),
      // An item the catalog does not know: its own category property is used.
      m.track({ userId: 'f' }, 'Order Completed', order('x-9', 5, {}), { properties: { orderId: 'x', revenue: 5, products: [{ productId: 'x-9', quantity: 1, price: 5, category: 'Music > Guitars' }] } }),
    ]);
    expect(members).toEqual({
      guitars30: ['b'], pathDrums: ['c'], item: ['c'], roland: ['d'], percussion: ['c'], likes: ['e'], recentOnly: [],
    });
  });

  it('interest shares, channel shares, inactive, segment() with NOT, by id and by name', async () => {
    const h = engineHarness();
    const m = h.events;
    await h.engine.define('shop', { id: 'vip', name: 'Very important', kind: 'list', userIds: ['b'] });
    const members = await membersAfter(h, {
      yamaha: 'interest("brand:Yamaha") > 0.5', guitars: 'interest("category:Guitars") >= 0.99', drumsAny: 'interest("Drums") > 0.4',
      app: 'channel("app") >= 0.5', appNotVip: 'channel("app") AND NOT segment("vip")', byName: 'segment("Very important")',
      quiet: 'inactive(days = 1)',
    }, () => [
      m.track({ userId: 'a' }, 'Product Viewed', { productId: 'p1' }, { channel: 'app' }), m.track({ userId: 'a' }, 'Product Viewed', { productId: 'p3' }, { channel: 'app' }),
      m.track({ userId: 'b' }, 'Product Viewed', { productId: 'p2' }, { channel: 'app' }), m.track({ userId: 'b' }, 'Product Viewed', { productId: 'p6' }, { channel: 'web' }),
      m.track({ userId: 'c' }, 'Product Viewed', { productId: 'p8' }, { channel: 'web', timestamp: T0 - 3 * DAY_MS }),
    ]);
    expect(members).toEqual({ yamaha: ['a'], guitars: ['a'], drumsAny: ['b', 'c'], app: ['a', 'b'], appNotVip: ['a'], byName: ['b'], quiet: ['c'] });
    expect(h.engine.segmentsOf('shop', 'b').sort()).toEqual(['app', 'byName', 'drumsAny', 'vip']);
  });

  it('RFM scores, tiers and the built-in segments after the cut-offs are refreshed', async () => {
    const h = engineHarness();
    const m = h.events;
    await h.engine.define('shop', { id: 'champs', name: 'champs', kind: 'rule', rule: 'tier("champions")' });
    await h.engine.define('shop', { id: 'r5', name: 'r5', kind: 'rule', rule: 'rfm.r = 5' });
    // Ten buyers: b0 ordered long ago and little, b9 recently, often and much.
    for (let i = 0; i < 10; i++) {
      for (let k = 0; k <= i; k++) await h.feed(m.track({ userId: `b${i}` }, 'Order Completed', order('p1', 10 * (i + 1)), { timestamp: T0 - (10 - i) * DAY_MS + k }));
    }
    expect(h.engine.segment('shop', 'champs')!.members.size).toBe(0);
    h.engine.refreshRfm('shop');
    await h.engine.flush();
    const members = (id: string) => [...h.engine.segment('shop', id)!.members].sort();
    expect(members('champs')).toEqual(['b6', 'b7', 'b8', 'b9']);
    expect(members('r5')).toEqual(['b8', 'b9']);
    expect(members('builtin:high-value')).toEqual(['b6', 'b7', 'b8', 'b9']);
    expect(members('builtin:at-risk')).toEqual([]);
    expect(h.emitted.filter((e) => e.event.properties?.segmentId === 'champs')).toHaveLength(4);
  });

  it('a user who declined personalization matches no rule, whatever the profile counts', async () => {
    const processor = testProcessor({ consents: new Map([['private', { personalization: false }]]) });
    const h = engineHarness({ processor });
    const members = await membersAfter(h, { anyone: 'events >= 1', orders: 'rfm.orders >= 0' }, ({ events: m }) => [
      m.track({ userId: 'private' }, 'Order Completed', order('p1', 10)), m.track({ userId: 'open' }, 'Product Viewed', { productId: 'p1' }),
    ]);
    expect(members).toEqual({ anyone: ['open'], orders: ['open'] });
  });
});
