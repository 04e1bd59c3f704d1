import { describe, expect, it } from 'vitest';
import { taobaoReader } from './taobao.js';
import { eventOf, readAll } from './test-support.js';

const FIXTURE = [
  '1,2268318,2520377,pv,1511544070',
  '1,2333346,2520771,cart,1511561733',
  '',
  '1,2576651,149192,fav,1511572885',
  '1,3830808,4181361,buy,1511593493',
  '1,4365585,2520377,share,1511596146',
  '1,4365585,2520377,pv',
].join('\n');

describe('taobao reader', () => {
  it('maps pv, cart, fav and buy to the standard events with the category', async () => {
    const rows = await readAll(taobaoReader(), FIXTURE);
    expect(rows.slice(0, 4).map((r) => eventOf(r).event)).toEqual(['Product Viewed', 'Product Added', 'Product Liked', 'Order Completed']);
    expect(eventOf(rows[0])).toMatchObject({ userId: '1', timestamp: 1511544070000, properties: { productId: '2268318', category: '2520377' } });
    expect(rows[0]).toMatchObject({ item: { id: '2268318', category: '2520377' } });
    const order = eventOf(rows[3]).properties!;
    expect(order).toMatchObject({ products: [{ productId: '3830808', quantity: 1 }], category: '4181361' });
    expect(order.orderId).toMatch(/^tb-[0-9a-f]{32}$/);
  });

  it('derives the same order id on every import', async () => {
    const [a, b] = [await readAll(taobaoReader(), FIXTURE), await readAll(taobaoReader(), FIXTURE)];
    expect(eventOf(a[3]).properties!.orderId).toBe(eventOf(b[3]).properties!.orderId);
  });

  it('rejects an unknown behavior and a short row with the line number (blank lines counted, not yielded)', async () => {
    const rows = await readAll(taobaoReader(), FIXTURE);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4, 5, 6, 7]);
    expect(rows[4]).toEqual({ line: 6, ok: false, reason: 'behavior: unknown value "share" (expected pv, cart, fav or buy)' });
    expect(rows[5]).toEqual({ line: 7, ok: false, reason: 'expected 5 fields (user_id,item_id,category_id,behavior,timestamp), got 4' });
  });

  it('skips a header row when a copy of the file has one', async () => {
    const rows = await readAll(taobaoReader(), 'user_id,item_id,category_id,behavior_type,timestamp\n1,2,3,pv,1511544070\n');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.line).toBe(2);
  });
});
