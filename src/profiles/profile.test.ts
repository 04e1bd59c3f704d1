import { describe, expect, it } from 'vitest';
import { DAY_MS } from './decay.js';
import { EventMaker, T0, testProcessor } from './profile-fixtures.js';

const U = { userId: 'u1' };

describe('profile features on a hand-made stream', () => {
  it('computes recency, frequency and monetary from orders', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    await processor.process([
      m.track(U, 'Order Completed', { orderId: 'o1', revenue: 100, products: [{ productId: 'p10', quantity: 1, price: 100 }] }, { timestamp: T0 }),
      m.track(U, 'Product Viewed', { productId: 'p3' }, { timestamp: T0 + DAY_MS }),
      // No revenue given: Σ price × quantity of the products.
      m.track(U, 'Order Completed', { orderId: 'o2', coupon: 'SPRING', products: [{ productId: 'p2', quantity: 2, price: 20 }, { productId: 'p1', quantity: 1, price: 10 }] }, { timestamp: T0 + 3 * DAY_MS }),
    ]);
    const { rfm } = (await processor.getProfile('shop', 'u1', { at: T0 + 10 * DAY_MS }))!;
    expect(rfm).toEqual({ orders: 2, revenue: 150, averageOrderValue: 75, firstOrderAt: T0, lastOrderAt: T0 + 3 * DAY_MS, daysSinceLastOrder: 7, discountedOrders: 1 });
  });

  it('places users in the shop’s price bands and measures price sensitivity', async () => {
    const m = new EventMaker();
    // A catalog of 100 items priced 1…100: quintile bands of 20 each.
    const items = new Map(Array.from({ length: 100 }, (_, i) => [`x${i + 1}`, { categoryPath: ['C'], brand: null, tags: [], price: i + 1 }]));
    const processor = testProcessor({ items });
    const views = (userId: string, prices: number[]) => prices.map((p) => m.track({ userId }, 'Product Viewed', { productId: `x${p}` }));
    await processor.process([
      ...views('cheap', [3, 5, 8]), ...views('dear', [95, 90, 99]), ...views('middle', [50, 45, 55]),
      // Browses at ~90 but buys at 45 with a coupon: as sensitive as it gets.
      ...views('hunter', [90, 90]),
      m.track({ userId: 'hunter' }, 'Order Completed', { revenue: 45, coupon: 'X', products: [{ productId: 'x45', quantity: 1, price: 45 }] }),
    ]);
    const price = async (user: string) => (await processor.getProfile('shop', user))!.price!;
    expect((await price('cheap')).band).toBe(1);
    expect((await price('dear')).band).toBe(5);
    expect((await price('middle')).band).toBe(3);
    expect((await price('middle')).typicalPrice).toBeCloseTo(Math.cbrt(50 * 45 * 55), 3);
    expect((await price('middle')).scale).toBe('catalog');
    expect((await price('cheap')).sensitivity).toBeNull();
    const hunter = await price('hunter');
    expect(hunter.typicalPaid).toBeCloseTo(45, 3);
    expect(hunter.sensitivity).toBeGreaterThan(0.8);
    expect(hunter.band).toBe(5);
  });

  it('uses the prices engaged with as the shop’s distribution when the catalog has none', async () => {
    const m = new EventMaker();
    const processor = testProcessor({ items: new Map() });
    await processor.process([
      ...[5, 6, 7, 8].map((p) => m.track({ userId: 'a' }, 'Product Viewed', { productId: `q${p}`, price: p })),
      ...[500, 600, 700, 800].map((p) => m.track({ userId: 'b' }, 'Product Viewed', { productId: `q${p}`, price: p })),
    ]);
    const a = (await processor.getProfile('shop', 'a'))!.price!;
    const b = (await processor.getProfile('shop', 'b'))!.price!;
    expect(a.scale).toBe('engaged');
    expect(a.band).toBeLessThan(b.band!);
  });

  it('keeps the cart: added − removed, bought items leave it', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    await processor.process([
      m.track(U, 'Product Added', { productId: 'p1', quantity: 2 }), m.track(U, 'Product Added', { productId: 'p2' }), m.track(U, 'Product Added', { productId: 'p3' }),
      m.track(U, 'Product Removed', { productId: 'p1', quantity: 1 }), m.track(U, 'Product Removed', { productId: 'p3' }),
      m.track(U, 'Order Completed', { revenue: 20, products: [{ productId: 'p2', quantity: 1, price: 20 }] }),
    ]);
    expect((await processor.getProfile('shop', 'u1'))!.cart).toEqual([{ itemId: 'p1', quantity: 1 }]);
  });

  it('keeps a bounded recent item sequence (repeats merged) and bounded recent searches', async () => {
    const m = new EventMaker();
    const processor = testProcessor({ recentItems: 4, recentSearches: 2 });
    const ids = ['p1', 'p2', 'p2', 'p3', 'p4', 'p5', 'p6'];
    await processor.process([
      ...ids.map((productId) => m.track(U, productId === 'p2' ? 'Product Clicked' : 'Product Viewed', { productId })),
      m.track(U, 'Products Searched', { query: ' Red  Guitar ' }), m.track(U, 'Products Searched', { query: '鼓' }), m.track(U, 'Products Searched', { query: 'capo' }),
      // Weight 0 or negative: not an engagement, not in the sequence.
      m.track(U, 'Promotion Viewed', { promotionId: 'x' }), m.track(U, 'Product Removed', { productId: 'p9' }),
    ]);
    const profile = (await processor.getProfile('shop', 'u1'))!;
    expect(profile.recentItems!.map((r) => r.itemId)).toEqual(['p6', 'p5', 'p4', 'p3']);
    expect(profile.recentSearches!.map((s) => s.query)).toEqual(['capo', '鼓']);
    const many = testProcessor({ recentSearches: 5 });
    await many.process([m.track(U, 'Products Searched', { query: ' Red  Guitar ' })]);
    expect((await many.getProfile('shop', 'u1'))!.recentSearches![0]!.query).toBe('red guitar');
  });

  it('counts local active hours and weekdays, channels, platforms, devices and events by name', async () => {
    const m = new EventMaker();
    const processor = testProcessor({ utcOffsetMinutes: 480 });
    const monday16utc = Date.UTC(2026, 0, 5, 16); // Tuesday 00:xx in UTC+8
    await processor.process([
      m.track(U, 'Product Viewed', { productId: 'p1' }, { timestamp: monday16utc, channel: 'app', context: { platform: 'ios', device: { type: 'mobile', model: 'iPhone 15' }, os: { name: 'iOS' } } }),
      m.track(U, 'Product Viewed', { productId: 'p2' }, { timestamp: monday16utc + 60_000, channel: 'app', context: { platform: 'ios', device: { type: 'mobile', model: 'iPhone 15' } } }),
      // An event with its own time zone: 16:00 UTC is 11:00 in New York (EST) on Monday.
      m.make({ type: 'page', event: 'Home', userId: 'u1', timestamp: monday16utc, channel: 'web', context: { platform: 'web', timezone: 'America/New_York' } }),
    ]);
    const p = (await processor.getProfile('shop', 'u1'))!;
    expect(p.activeHours![0]).toBe(2);
    expect(p.activeHours![11]).toBe(1);
    expect(p.activeWeekdays).toEqual([0, 1, 2, 0, 0, 0, 0]);
    expect(p.channels).toEqual({ app: 2, web: 1 });
    expect(p.platforms).toEqual({ ios: 2, web: 1 });
    expect(p.devices).toEqual({ 'mobile / iPhone 15': 2 });
    expect(p.operatingSystems).toEqual({ iOS: 1 });
    expect(p.eventCounts).toEqual({ 'Product Viewed': 2, page: 1 });
    expect(p.events).toBe(3);
    expect([p.firstSeen, p.lastSeen]).toEqual([monday16utc, monday16utc + 60_000]);
  });

  it('scores review sentiment with the lexicon and averages ratings', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    await processor.process([
      m.track(U, 'Review Submitted', { productId: 'p1', rating: 5, text: 'Great quality, fast delivery.' }),
      m.track(U, 'Review Submitted', { productId: 'p2', rating: 2, text: '质量太差了，不推荐。' }),
      m.track(U, 'Review Submitted', { productId: 'p3', rating: 4, title: '不错', text: '物流很快' }),
      m.track(U, 'Review Submitted', { productId: 'p4', rating: 3 }),
    ]);
    const { reviews } = (await processor.getProfile('shop', 'u1'))!;
    expect(reviews).toEqual({ withText: 3, sentiment: expect.closeTo(1 / 3, 6), rated: 4, meanRating: 3.5 });
  });

  it('takes item attributes from the catalog, else from the event’s properties', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    await processor.process([
      m.track(U, 'Product Viewed', { productId: 'p1', category: 'Ignored/Because/Catalog' }),
      m.track(U, 'Product Viewed', { productId: 'not-in-catalog', category: '美妆/个护', brand: 'Yurong', tags: ['电动'], price: 199 }),
    ]);
    const p = (await processor.getProfile('shop', 'u1'))!;
    expect(p.interests!.categories.map((c) => c.name).sort()).toEqual(['Music', 'Music > Guitars', '美妆', '美妆 > 个护']);
    expect(p.interests!.brands.map((b) => b.name).sort()).toEqual(['Yamaha', 'Yurong']);
    expect(p.interests!.tags.map((b) => b.name).sort()).toEqual(['strings', 'wood', '电动']);
    expect(p.price!.typicalPrice).toBeCloseTo(Math.sqrt(10 * 199), 3);
  });

  it('keeps at most the configured interests per kind, dropping the weakest', async () => {
    const m = new EventMaker();
    const items = new Map(Array.from({ length: 6 }, (_, i) => [`b${i}`, { categoryPath: [], brand: `brand-${i}`, tags: [], price: null }]));
    const processor = testProcessor({ items, interestLimits: { brand: 3 } });
    // brand-0 is viewed 3 times, brand-1 twice, the rest once; brand-5 comes last and takes the weakest place.
    const order = ['b0', 'b0', 'b0', 'b1', 'b1', 'b2', 'b3', 'b4', 'b5'];
    await processor.process(order.map((productId) => m.track(U, 'Product Viewed', { productId })));
    const brands = (await processor.getProfile('shop', 'u1'))!.interests!.brands.map((b) => b.name);
    expect(brands.slice(0, 2)).toEqual(['brand-0', 'brand-1']);
    expect(brands).toHaveLength(3);
  });

  it('ignores events at or below its position (a redelivered batch counts nothing twice)', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    const batch = [m.track(U, 'Product Viewed', { productId: 'p1' }), m.track(U, 'Product Added', { productId: 'p1' })];
    await processor.process(batch);
    await processor.process(batch);
    await processor.process([batch[1]!, m.track(U, 'Product Viewed', { productId: 'p2' })]);
    const p = (await processor.getProfile('shop', 'u1'))!;
    expect(p.events).toBe(3);
    expect(processor.stats()).toMatchObject({ position: 3, redelivered: 3, applied: 3 });
  });

  it('reads an imported history as of the shop’s latest event, not as of today', async () => {
    const m = new EventMaker();
    // The processor's clock says 2026; the shop's history is from 2017, one user's last event two weeks before its end.
    const end = Date.UTC(2017, 11, 3);
    const processor = testProcessor();
    expect(T0 - end).toBeGreaterThan(365 * DAY_MS);
    await processor.process([
      m.track({ userId: 'early' }, 'Product Viewed', { productId: 'p1' }, { timestamp: end - 14 * DAY_MS }),
      m.track({ userId: 'late' }, 'Product Viewed', { productId: 'p1' }, { timestamp: end }),
    ]);
    const early = (await processor.getProfile('shop', 'early'))!.interests!;
    const late = (await processor.getProfile('shop', 'late'))!.interests!;
    expect(early.asOf).toBe(end);
    expect(late.categories[0]!.weight).toBeGreaterThan(0.5);
    // One half-life (14 days) between the early user's view and the end of the history.
    expect(early.categories[0]!.weight / late.categories[0]!.weight).toBeCloseTo(0.5, 5);
    // Read as of today, nine years of decay leave nothing.
    const today = (await processor.getProfile('shop', 'late', { at: T0 }))!.interests!;
    expect(today.categories[0]?.weight ?? 0).toBeLessThan(1e-30);
  });

  it('leaves Shopwise’s own segment membership events out of the profile', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    await processor.process([
      m.track(U, 'Product Viewed', { productId: 'p1' }, { timestamp: T0 }),
      m.track(U, 'Segment Entered', { segmentId: 'vip' }, { timestamp: T0 + DAY_MS }),
      m.track(U, 'Segment Exited', { segmentId: 'vip' }, { timestamp: T0 + 2 * DAY_MS }),
    ]);
    const p = (await processor.getProfile('shop', 'u1'))!;
    expect(p.events).toBe(1);
    expect(p.lastSeen).toBe(T0);
    expect(Object.keys(p.eventCounts)).toEqual(['Product Viewed']);
    expect(processor.logPosition).toBe(3);
  });
});
