import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../core/events.js';
import { SeededRandom } from '../../math/random.js';
import type { ItemAttributes } from '../catalog-source.js';
import { EventMaker, T0, testProcessor } from '../profile-fixtures.js';
import { clusterProfiles } from './profile-clusters.js';

/** A catalog of three root categories: instruments (dear), books (cheap), 数码 (mid). */
function catalog(): Map<string, ItemAttributes> {
  const items = new Map<string, ItemAttributes>();
  for (let i = 1; i <= 8; i++) {
    items.set(`g${i}`, { categoryPath: ['Instruments', 'Guitars'], brand: 'Yamaha', tags: [], price: 800 + 50 * i });
    items.set(`b${i}`, { categoryPath: ['Books', 'Novels'], brand: 'Penguin', tags: [], price: 8 + i });
    items.set(`d${i}`, { categoryPath: ['数码', '手机'], brand: 'Mi', tags: [], price: 150 + 10 * i });
  }
  return items;
}

/**
 * Three planted groups of 60 users: app buyers of dear instruments (many orders), web readers who only
 * browse books, and social visitors who look at 数码 and add to cart.
 */
function plantedEvents(rng: SeededRandom): StoredEvent[] {
  const m = new EventMaker('shop');
  const events: StoredEvent[] = [];
  const at = () => ({ timestamp: T0 - rng.int(20) * 86_400_000 - rng.int(80_000_000) });
  for (let u = 0; u < 60; u++) {
    const who = { userId: `buyer-${u}` };
    for (let i = 0; i < 6 + rng.int(4); i++) {
      const g = `g${1 + rng.int(8)}`;
      events.push(m.track(who, 'Product Viewed', { productId: g }, { channel: 'app', ...at() }));
      events.push(m.track(who, 'Order Completed', { orderId: `o${u}-${i}`, revenue: 900, products: [{ productId: g, quantity: 1, price: 900 }] }, { channel: 'app', ...at() }));
    }
  }
  for (let u = 0; u < 60; u++) {
    const who = { userId: `reader-${u}` };
    for (let i = 0; i < 12 + rng.int(6); i++) events.push(m.track(who, 'Product Viewed', { productId: `b${1 + rng.int(8)}` }, { channel: 'web', ...at() }));
  }
  for (let u = 0; u < 60; u++) {
    const who = { userId: `social-${u}` };
    for (let i = 0; i < 3 + rng.int(3); i++) {
      const d = `d${1 + rng.int(8)}`;
      events.push(m.track(who, 'Product Viewed', { productId: d }, { channel: 'social', ...at() }));
      events.push(m.track(who, 'Product Added', { productId: d }, { channel: 'social', ...at() }));
    }
  }
  return events.sort((a, b) => a.timestamp - b.timestamp).map((e, i) => ({ ...e, seq: i + 1 }));
}

describe('clusterProfiles', () => {
  it('finds the three planted groups (k auto = 3) and names what sets each apart', async () => {
    const processor = testProcessor({ items: catalog() });
    await processor.process(plantedEvents(new SeededRandom('planted')));
    const result = clusterProfiles(processor, 'shop', { rng: new SeededRandom(42), now: T0 });
    expect(result.k).toBe(3);
    expect(result.profiles).toBe(180);
    expect(result.scores.find((s) => s.k === 3)!.silhouette).toBe(Math.max(...result.scores.map((s) => s.silhouette)));
    const groupOf = (id: string) => id.split('-')[0]!;
    const byGroup = new Map<string, Set<number>>();
    result.ids.forEach((id, i) => byGroup.set(groupOf(id), (byGroup.get(groupOf(id)) ?? new Set()).add(result.labels[i]!)));
    // Each planted group is exactly one cluster, and the clusters differ.
    expect([...byGroup.values()].map((s) => s.size)).toEqual([1, 1, 1]);
    expect(new Set([...byGroup.values()].map((s) => [...s][0]))).toHaveProperty('size', 3);
    const describe = (group: string) => result.clusters[[...byGroup.get(group)!][0]!]!.description;
    expect(describe('buyer')).toMatch(/buys often|spends a lot/);
    expect(describe('buyer')).toMatch(/mostly app|high price band|interested in Instruments|big baskets/);
    expect(describe('reader')).toMatch(/mostly web|interested in Books|browses a lot|low price band/);
    expect(describe('social')).toMatch(/mostly social|interested in 数码|fills carts/);
    expect(result.clusters.every((c) => c.size === 60 && c.share === 0.333)).toBe(true);
    expect(result.clusters[0]!.means).toHaveProperty('orders');
  });
});
