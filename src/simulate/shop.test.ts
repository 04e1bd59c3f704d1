import { beforeAll, describe, expect, it } from 'vitest';
import type { EventInput } from '../core/events.js';
import { validateEvent } from '../ingest/validate-event.js';
import { generateShop, type ShopWithModel } from './shop.js';
import { CATEGORY_TREE, flattenLeaves } from './vocabulary/categories.js';

const CJK = /[\u4e00-\u9fff]/;
const ASCII_ISH = /^[\x20-\x7e]+$/;

function props(e: EventInput): Record<string, unknown> {
  return e.properties ?? {};
}

describe('generateShop (small shops)', () => {
  it('is deterministic: the same options give the same shop, byte for byte', () => {
    const a = generateShop({ seed: 7, users: 150, items: 300, days: 10 });
    const b = generateShop({ seed: 7, users: 150, items: 300, days: 10 });
    const json = (s: ShopWithModel) => JSON.stringify({ items: s.items, users: s.users, events: s.events, truth: s.truth });
    expect(json(a)).toBe(json(b));
    expect(a.events.length).toBeGreaterThan(1000);
  });

  it('gives a different shop for a different seed, with message ids that do not collide', () => {
    const a = generateShop({ seed: 7, users: 150, items: 300, days: 10 });
    const c = generateShop({ seed: 8, users: 150, items: 300, days: 10 });
    expect(JSON.stringify(c.items)).not.toBe(JSON.stringify(a.items));
    expect(JSON.stringify(c.events.slice(0, 50))).not.toBe(JSON.stringify(a.events.slice(0, 50)));
    const ids = new Set(a.events.map((e) => e.messageId));
    expect(c.events.some((e) => ids.has(e.messageId))).toBe(false);
    // a different size with the same seed gets other ids too
    const d = generateShop({ seed: 7, users: 100, items: 300, days: 10 });
    expect(d.events.some((e) => ids.has(e.messageId))).toBe(false);
  });

  it('rejects impossible sizes', () => {
    expect(() => generateShop({ seed: 1, users: 0, items: 10, days: 1 })).toThrow(/users must be an integer/);
    expect(() => generateShop({ seed: 1, users: 10, items: 10, days: 0.5 })).toThrow(/days must be an integer/);
  });
});

describe('generateShop (default size: 2000 users, 3000 items, 30 days)', () => {
  let shop: ShopWithModel;
  let seconds = 0;
  beforeAll(() => {
    const t0 = performance.now();
    shop = generateShop({ seed: 42, users: 2000, items: 3000, days: 30 });
    seconds = (performance.now() - t0) / 1000;
    console.log(`default shop: ${shop.events.length} events generated in ${seconds.toFixed(2)} s`);
  });

  it('has a category tree of 8 top categories × 4–6 subcategories × leaves', () => {
    expect(CATEGORY_TREE).toHaveLength(8);
    for (const top of CATEGORY_TREE) {
      expect(top.subs.length).toBeGreaterThanOrEqual(4);
      expect(top.subs.length).toBeLessThanOrEqual(6);
      for (const sub of top.subs) expect(sub.leaves.length).toBeGreaterThanOrEqual(3);
    }
    const leaves = flattenLeaves();
    expect(new Set(leaves.map((l) => l.pathZh.join('/'))).size).toBe(leaves.length);
  });

  it('generates a bilingual catalog over the 3-level tree', () => {
    expect(shop.items).toHaveLength(3000);
    expect(new Set(shop.items.map((i) => i.id)).size).toBe(3000);
    const leafPaths = new Set(flattenLeaves().map((l) => l.pathZh.join('/')));
    for (const item of shop.items) {
      expect(item.title).toMatch(CJK);
      expect(item.description).toMatch(CJK);
      expect(item.translations!.en!.title).toMatch(ASCII_ISH);
      expect(item.translations!.en!.description).toMatch(ASCII_ISH);
      expect(item.categoryPath).toHaveLength(3);
      expect(leafPaths.has(item.categoryPath!.join('/'))).toBe(true);
      expect(item.price).toBeGreaterThan(0);
      expect(item.currency).toBe('CNY');
      expect(item.brand).toMatch(ASCII_ISH);
      expect(item.imageUrl).toBe(`/demo-images/${item.id}.svg`);
      expect(item.tags!.length).toBeGreaterThan(2);
    }
    // every leaf has items, and prices differ by kind: laptops cost more than noodles
    expect(new Set(shop.items.map((i) => i.categoryPath!.join('/'))).size).toBe(leafPaths.size);
    const median = (leaf: string) => {
      const prices = shop.items.filter((i) => i.categoryPath![2] === leaf).map((i) => i.price!).sort((a, b) => a - b);
      return prices[prices.length >> 1]!;
    };
    expect(median('笔记本电脑')).toBeGreaterThan(20 * median('面条'));
    const sponsored = shop.items.filter((i) => i.sponsored).length;
    expect(sponsored).toBeGreaterThan(30);
    expect(sponsored).toBeLessThan(200);
  });

  it('generates users with mostly Chinese locales and the expected consent shares', () => {
    expect(shop.users).toHaveLength(2000);
    const share = (f: (u: (typeof shop.users)[number]) => boolean) => shop.users.filter(f).length / shop.users.length;
    expect(share((u) => u.traits!.locale === 'zh-CN')).toBeGreaterThan(0.75);
    expect(share((u) => u.consent!.analytics === true)).toBeGreaterThan(0.85);
    expect(share((u) => u.consent!.personalization === true)).toBeCloseTo(0.7, 1);
    expect(share((u) => u.consent!.marketing === true)).toBeCloseTo(0.4, 1);
  });

  it('produces 100k–300k events, sorted, with unique message ids, in a few seconds', () => {
    expect(shop.events.length).toBeGreaterThan(100_000);
    expect(shop.events.length).toBeLessThan(300_000);
    expect(seconds).toBeLessThan(15); // ~2–3 s here; generous for loaded CI machines
    const ids = new Set(shop.events.map((e) => e.messageId));
    expect(ids.size).toBe(shop.events.length);
    const unsorted = shop.events.findIndex((e, i) => i > 0 && e.timestamp! < shop.events[i - 1]!.timestamp!);
    expect(unsorted).toBe(-1);
    expect(shop.events[0]!.timestamp! >= '2026-10-02').toBe(true);
    expect(shop.events[shop.events.length - 1]!.timestamp! < '2026-11-01').toBe(true);
  });

  it('passes ingest validation with every event', () => {
    const ctx = { workspaceId: 't', now: Date.now(), maxEventBytes: 65536 };
    const problems = [];
    for (const event of shop.events) {
      const result = validateEvent(event, ctx);
      if (!result.ok) problems.push({ event, error: result.error });
    }
    expect(problems.slice(0, 3)).toEqual([]);
  });

  it('has a realistic funnel: views ≫ carts > orders, 1–6% of sessions convert', () => {
    const count = (name: string) => shop.events.filter((e) => e.event === name).length;
    const views = count('Product Viewed');
    const carts = count('Product Added');
    const orders = count('Order Completed');
    const sessions = new Set(shop.events.filter((e) => e.event !== 'Review Submitted').map((e) => e.context!.sessionId)).size;
    expect(carts / views).toBeGreaterThan(0.06);
    expect(carts / views).toBeLessThan(0.15);
    expect(orders).toBeLessThan(carts / 3);
    expect(orders / sessions).toBeGreaterThan(0.01);
    expect(orders / sessions).toBeLessThan(0.06);
    for (const name of ['Products Searched', 'Product Clicked', 'Product Liked', 'Product Shared', 'Review Submitted', 'Promotion Viewed', 'Promotion Clicked', 'Checkout Started', 'Signed Up']) {
      expect(count(name), name).toBeGreaterThan(0);
    }
    expect(count('Promotion Clicked')).toBeLessThan(count('Promotion Viewed') / 5);
  });

  it('writes orders, reviews and searches the way the standard events describe', () => {
    const order = shop.events.find((e) => e.event === 'Order Completed')!;
    const p = props(order) as { orderId: string; revenue: number; currency: string; products: { productId: string; quantity: number; price: number }[] };
    expect(p.currency).toBe('CNY');
    expect(p.revenue).toBeCloseTo(p.products.reduce((s, l) => s + l.price * l.quantity, 0), 2);
    const reviews = shop.events.filter((e) => e.event === 'Review Submitted');
    for (const r of reviews) expect([1, 2, 3, 4, 5]).toContain(props(r).rating);
    const zhReview = reviews.find((r) => r.context!.locale === 'zh-CN')!;
    expect(props(zhReview).text).toMatch(CJK);
    const enReview = reviews.find((r) => r.context!.locale === 'en-US')!;
    expect(props(enReview).text).toMatch(ASCII_ISH);
    const queries = shop.events.filter((e) => e.event === 'Products Searched');
    expect(queries.some((q) => CJK.test(props(q).query as string))).toBe(true);
    expect(queries.some((q) => ASCII_ISH.test(props(q).query as string))).toBe(true);
    // channels and platforms are set on every event
    const channels = new Set(shop.events.map((e) => e.context!.channel));
    expect([...channels].sort()).toEqual(['app', 'email', 'mini-program', 'search', 'social', 'web']);
    expect(shop.events.every((e) => typeof e.context!.platform === 'string' && typeof e.context!.sessionId === 'string')).toBe(true);
  });

  it('starts some sessions anonymous and identifies them later (identity stitching)', () => {
    const anonymous = shop.events.filter((e) => e.userId === undefined);
    expect(anonymous.length).toBeGreaterThan(1000);
    const identifiedAnon = new Set(shop.events.filter((e) => e.type === 'identify' && e.anonymousId).map((e) => e.anonymousId));
    expect(anonymous.filter((e) => identifiedAnon.has(e.anonymousId)).length / anonymous.length).toBeGreaterThan(0.5);
  });

  it('makes purchases follow the latent tastes', () => {
    const { catalog, profiles } = shop.model;
    const byId = new Map(shop.items.map((item, i) => [item.id, i]));
    const profile = new Map(profiles.map((p) => [p.id, p]));
    const topOf = (userId: string) => {
      const taste = profile.get(userId)!.topTaste;
      return taste.indexOf(Math.max(...taste));
    };
    const lines: { user: string; top: number }[] = [];
    for (const e of shop.events) {
      if (e.event !== 'Order Completed') continue;
      for (const line of props(e).products as { productId: string }[]) lines.push({ user: e.userId!, top: catalog.leaves[catalog.leaf[byId.get(line.productId)!]!]!.top });
    }
    expect(lines.length).toBeGreaterThan(200);
    const inTopTaste = lines.filter((l) => l.top === topOf(l.user)).length / lines.length;
    // Baseline: the same purchases credited to other users.
    const users = lines.map((l) => l.user);
    const baseline = lines.filter((l, i) => l.top === topOf(users[(i * 7919 + 13) % users.length]!)).length / lines.length;
    expect(inTopTaste).toBeGreaterThan(0.4);
    expect(inTopTaste).toBeGreaterThan(2 * baseline);
    // and the ground truth's liked items are seen far more often than chance
    const liked = new Map(shop.truth.userTruth.map((u) => [u.id, new Set(u.liked)]));
    const views = shop.events.filter((e) => e.event === 'Product Viewed' && e.userId);
    const hits = views.filter((e) => liked.get(e.userId!)!.has(props(e).productId as string)).length / views.length;
    expect(hits).toBeGreaterThan(5 * (shop.truth.likedPerUser / shop.items.length));
  });
});
