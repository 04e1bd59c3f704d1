import { describe, expect, it } from 'vitest';
import type { UserProfile } from '../profiles/profile.js';
import { fixtureCatalog, fixtureItem } from './dialog-fixtures.js';
import { matchesSlots, searchProducts } from './product-search.js';

const items = fixtureCatalog();
const profile = (brands: Array<[string, number]>, categories: Array<[string, number]> = []): UserProfile => ({
  workspaceId: 'w', userId: 'u', anonymous: false, consent: 'full', firstSeen: 0, lastSeen: 0, events: 1, eventCounts: {},
  interests: { asOf: 0, halfLifeDays: 30, categories: categories.map(([name, weight]) => ({ name, weight })), brands: brands.map(([name, weight]) => ({ name, weight })), tags: [] },
} as UserProfile);

describe('searchProducts', () => {
  it('filters by every slot', () => {
    const slots = { category: '运动鞋', color: 'blue', priceMax: 250, excludedBrands: ['Sujin'] };
    const found = searchProducts(items, slots);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((i) => i.categoryPath.includes('运动鞋') && i.attributes.colorEn === 'Blue' && i.price! <= 250 && i.brand !== 'Sujin')).toBe(true);
    expect(found).toEqual(items.filter((i) => matchesSlots(i, slots)).sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(matchesSlots(fixtureItem({ id: 'x', title: 'x', categoryPath: ['运动鞋'] }), { category: '运动鞋', priceMax: 10, excludedBrands: [] })).toBe(false);
  });

  it('orders by the recommender, then the profile interests, then popularity; out of stock last', () => {
    const shoes = { category: '运动鞋', excludedBrands: [] };
    const sujinFirst = searchProducts(items, shoes, { profile: profile([['Sujin', 3], ['Yunzhi', 1]]) });
    expect(sujinFirst[0]!.brand).toBe('Sujin');
    const pick = items.find((i) => i.brand === 'Yunzhi' && i.categoryPath.includes('运动鞋'))!;
    expect(searchProducts(items, shoes, { profile: profile([['Sujin', 3]]), recommended: [{ itemId: pick.id, score: 9 }] })[0]!.id).toBe(pick.id);
    const last = items.find((i) => i.categoryPath.includes('运动鞋'))!;
    const withOut = items.map((i) => (i.id === last.id ? { ...i, stock: 0 } : i));
    expect(searchProducts(withOut, shoes, { recommended: [{ itemId: last.id, score: 9 }] }).at(-1)!.id).toBe(last.id);
    expect(searchProducts(items, { ...shoes, sort: 'price_asc' }).map((i) => i.price)).toEqual([...searchProducts(items, shoes).map((i) => i.price)].sort((a, b) => a! - b!));
  });

  it('keeps the same best items with a limit as a full sort does', () => {
    const signals = { profile: profile([['Sujin', 2]], [['服装 > 鞋靴', 1]]), popular: items.slice(10, 30).map((i, k) => ({ itemId: i.id, score: 30 - k })) };
    for (const slots of [{ excludedBrands: [] }, { category: '运动鞋', excludedBrands: [] }, { excludedBrands: [], sort: 'price_asc' as const }]) {
      expect(searchProducts(items, slots, signals, 5)).toEqual(searchProducts(items, slots, signals).slice(0, 5));
    }
  });

  it('gives sponsored items no boost', () => {
    const all = { excludedBrands: [] };
    const plain = searchProducts(items.map((i) => ({ ...i, sponsored: false })), all).map((i) => i.id);
    expect(searchProducts(items, all).map((i) => i.id)).toEqual(plain);
  });
});
