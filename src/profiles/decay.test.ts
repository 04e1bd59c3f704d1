import { describe, expect, it } from 'vitest';
import { DAY_MS, decayedAt, decayFactor, needsRescale, scaleAt } from './decay.js';
import { EventMaker, HALF_LIFE, interestMap, T0, testProcessor } from './profile-fixtures.js';

describe('decay arithmetic', () => {
  it('halves a weight every half-life', () => {
    expect(decayFactor(0, HALF_LIFE)).toBe(1);
    expect(decayFactor(HALF_LIFE, HALF_LIFE)).toBe(0.5);
    expect(decayFactor(2 * HALF_LIFE, HALF_LIFE)).toBe(0.25);
    expect(decayFactor(HALF_LIFE / 2, HALF_LIFE)).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it('stores weights scaled to a reference time and reads them decayed', () => {
    const ref = T0;
    // An event one half-life after the reference is stored ×2; read two half-lives after the reference it is worth w/2.
    const stored = 3 * scaleAt(ref + HALF_LIFE, ref, HALF_LIFE);
    expect(stored).toBe(6);
    expect(decayedAt(stored, ref, ref + 2 * HALF_LIFE, HALF_LIFE)).toBe(1.5);
    expect(needsRescale(ref + 8 * HALF_LIFE, ref, HALF_LIFE)).toBe(false);
    expect(needsRescale(ref + 8.01 * HALF_LIFE, ref, HALF_LIFE)).toBe(true);
  });
});

describe('interest decay through the processor', () => {
  const view = (m: EventMaker, t: number, productId = 'p1') => m.track({ userId: 'u' }, 'Product Viewed', { productId }, { timestamp: t });

  it('an interest of weight w is w/2 after one half-life and w/4 after two, on every level, brand and tag', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    await processor.process([m.track({ userId: 'u' }, 'Product Added', { productId: 'p1' }, { timestamp: T0 })]);
    for (const [at, expected] of [[T0, 3], [T0 + HALF_LIFE, 1.5], [T0 + 2 * HALF_LIFE, 0.75]] as const) {
      const profile = await processor.getProfile('shop', 'u', { at });
      expect(interestMap(profile, 'categories')).toEqual({ Music: expected, 'Music > Guitars': expected });
      expect(interestMap(profile, 'brands')).toEqual({ Yamaha: expected });
      expect(interestMap(profile, 'tags')).toEqual({ strings: expected, wood: expected });
    }
  });

  it('combines events at different times: each decays from its own time', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    // A view (1) at T0 and an add to cart (3) one half-life later, read two half-lives after T0: 1/4 + 3/2.
    await processor.process([view(m, T0), m.track({ userId: 'u' }, 'Product Added', { productId: 'p1' }, { timestamp: T0 + HALF_LIFE })]);
    expect(interestMap(await processor.getProfile('shop', 'u', { at: T0 + 2 * HALF_LIFE }), 'brands').Yamaha).toBeCloseTo(1.75, 6);
    // A removal (−1) lowers it; a later view of another brand starts a new interest.
    await processor.process([m.track({ userId: 'u' }, 'Product Removed', { productId: 'p1' }, { timestamp: T0 + 2 * HALF_LIFE }), view(m, T0 + 2 * HALF_LIFE, 'p2')]);
    const brands = interestMap(await processor.getProfile('shop', 'u', { at: T0 + 2 * HALF_LIFE }), 'brands');
    expect(brands.Yamaha).toBeCloseTo(0.75, 6);
    expect(brands.Roland).toBeCloseTo(1, 6);
  });

  it('gives the same weights whatever order the events arrive in', async () => {
    const times = [T0 + 3 * DAY_MS, T0, T0 + 20 * DAY_MS, T0 + 1 * DAY_MS];
    const read = async (order: number[]) => {
      const m = new EventMaker();
      const processor = testProcessor();
      await processor.process(order.map((i) => view(m, times[i]!, i % 2 ? 'p1' : 'p2')));
      return processor.getProfile('shop', 'u', { at: T0 + 30 * DAY_MS });
    };
    const inOrder = await read([1, 3, 0, 2]);
    const shuffled = await read([2, 0, 3, 1]);
    for (const kind of ['categories', 'brands', 'tags'] as const) {
      const a = interestMap(inOrder, kind);
      const b = interestMap(shuffled, kind);
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const name of Object.keys(a)) expect(b[name]).toBeCloseTo(a[name]!, 5);
    }
    // Music had all four views: Σ 2^(−(30 − dᵢ)/14) for d = 0, 1, 3, 20.
    const expected = [0, 1, 3, 20].reduce((sum, d) => sum + Math.pow(2, -(30 - d) / 14), 0);
    expect(interestMap(inOrder, 'categories').Music).toBeCloseTo(expected, 5);
  });

  it('stays exact across a long history that moves the reference time', async () => {
    const m = new EventMaker();
    const processor = testProcessor();
    // Ten half-lives apart: the second event moves the reference (more than 8 half-lives) and rescales the first.
    await processor.process([view(m, T0), view(m, T0 + 10 * HALF_LIFE)]);
    const profile = await processor.getProfile('shop', 'u', { at: T0 + 10 * HALF_LIFE });
    expect(interestMap(profile, 'brands').Yamaha).toBeCloseTo(1 + 1 / 1024, 6);
    expect(profile!.interests!.halfLifeDays).toBe(14);
  });

  it('uses the configured half-life', async () => {
    const m = new EventMaker();
    const processor = testProcessor({ halfLifeDays: 7 });
    await processor.process([view(m, T0)]);
    expect(interestMap(await processor.getProfile('shop', 'u', { at: T0 + 14 * DAY_MS }), 'brands').Yamaha).toBeCloseTo(0.25, 6);
  });
});
