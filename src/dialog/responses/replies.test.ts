import { describe, expect, it } from 'vitest';
import { fixtureCatalog } from '../dialog-fixtures.js';
import { composeReply, describeSearch, type ReplyContext } from './replies.js';

const items = fixtureCatalog();
const byId = new Map(items.map((i) => [i.id, i]));
const ctx = (patch: Partial<ReplyContext> = {}): ReplyContext => ({
  language: 'zh', emotion: 'neutral', seed: 's1', products: [], slots: { excludedBrands: [] }, changed: [], categoryName: (v) => v,
  item: (id) => byId.get(id), itemTitle: (i) => i.title, ...patch,
});
const HAN = /\p{Script=Han}/u;

describe('composeReply', () => {
  it('answers in the shopper language, deterministically under a seed, with variety across seeds', () => {
    expect(HAN.test(composeReply({ type: 'greet' }, ctx()))).toBe(true);
    expect(HAN.test(composeReply({ type: 'greet' }, ctx({ language: 'en' })))).toBe(false);
    expect(composeReply({ type: 'greet' }, ctx())).toBe(composeReply({ type: 'greet' }, ctx()));
    const variants = new Set(Array.from({ length: 20 }, (_, k) => composeReply({ type: 'greet' }, ctx({ seed: `s${k}` }))));
    expect(variants.size).toBeGreaterThan(1);
  });

  it('follows the emotion: apologetic for negative, cheerful for positive', () => {
    expect(composeReply({ type: 'ask_slot', slot: 'category' }, ctx({ language: 'en', emotion: 'negative' }))).toMatch(/^(Sorry|Apologies)/u);
    expect(composeReply({ type: 'thank' }, ctx({ language: 'en', emotion: 'positive' }))).toMatch(/^(Great|Awesome)!/u);
    expect(composeReply({ type: 'handoff', reason: 'angry' }, ctx({ emotion: 'angry' }))).toMatch(/抱歉/u);
  });

  it('numbers the products and marks sponsored ones', () => {
    const products = items.slice(0, 4).map((i) => ({ id: i.id, title: i.title, price: i.price, currency: i.currency, sponsored: i.sponsored }));
    const text = composeReply({ type: 'show_products', count: 4 }, ctx({ products, slots: { category: '运动鞋', color: 'blue', priceMax: 300, excludedBrands: [] } }));
    const lines = text.split('\n');
    expect(lines[0]).toContain('300元以内的蓝色运动鞋');
    expect(lines.slice(1).map((l) => l.slice(0, 3))).toEqual(['1. ', '2. ', '3. ', '4. ']);
    expect(lines[4]).toContain('（推广）');
    expect(lines.slice(1, 4).some((l) => l.includes('推广'))).toBe(false);
  });

  it('answers attribute questions from the item only, and compares two items', () => {
    const item = items[0]!;
    expect(composeReply({ type: 'answer_attribute', itemId: item.id, attribute: 'material' }, ctx())).toContain('纯棉');
    expect(composeReply({ type: 'answer_attribute', itemId: item.id, attribute: 'origin' }, ctx())).toContain('没有写明');
    const en = composeReply({ type: 'compare', itemIds: [items[0]!.id, items[1]!.id] }, ctx({ language: 'en', itemTitle: (i) => i.translations.en!.title! }));
    expect(en).toContain('vs');
    expect(en).toContain('cheaper');
    expect(describeSearch({ category: 'Sneakers', brand: 'Nike', priceMin: 20, priceMax: 50, excludedBrands: [] }, { language: 'en', categoryName: (v) => v })).toBe('Nike Sneakers between ¥20 and ¥50');
  });
});
