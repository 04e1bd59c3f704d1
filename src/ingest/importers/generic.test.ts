import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.js';
import { parseColumnMap } from './column-map.js';
import { csvReader, jsonlReader } from './generic.js';
import { eventOf, readAll } from './test-support.js';

describe('csv reader', () => {
  it('handles quoted fields with delimiters, doubled quotes and line breaks, numbering rows by their first line', async () => {
    const text = [
      'user,item,rating,ts,comment',
      'u1,"p,1",4,1600000000,"fine, ""really"""',
      '',
      'u2,p2,5,2020-09-13T12:26:40Z,"two',
      'lines"',
      'u3,p3,3,1600000000000,plain',
    ].join('\n');
    const rows = await readAll(csvReader(parseColumnMap('user=user,item=item,rating=rating,ts=ts')), text, 5);
    expect(rows.map((r) => r.line)).toEqual([2, 4, 6]);
    expect(rows.map((r) => eventOf(r).properties)).toEqual([
      { productId: 'p,1', rating: 4 }, { productId: 'p2', rating: 5 }, { productId: 'p3', rating: 3 },
    ]);
    expect(rows.map((r) => eventOf(r).timestamp)).toEqual([1600000000000, 1600000000000, 1600000000000]);
    expect(rows.map((r) => eventOf(r).event)).toEqual(['Review Submitted', 'Review Submitted', 'Review Submitted']);
  });

  it('gives CRLF and LF copies of a file the same lines and message ids', async () => {
    const lines = ['user,item', 'u1,"a', 'b"', 'u2,c'];
    const map = parseColumnMap('user=user,item=item');
    const lf = await readAll(csvReader(map), lines.join('\n') + '\n');
    const crlf = await readAll(csvReader(map), lines.join('\r\n') + '\r\n', 4);
    expect(crlf.map((r) => [r.line, eventOf(r).messageId])).toEqual(lf.map((r) => [r.line, eventOf(r).messageId]));
    expect(eventOf(crlf[0]).properties).toEqual({ productId: 'a\nb' });
  });

  it('detects ; and TAB delimiters and guesses the columns without --map', async () => {
    const semicolon = await readAll(csvReader(), 'userId;movieId;rating;timestamp\n1;31;2.5;1260759144\n');
    expect(eventOf(semicolon[0])).toMatchObject({ userId: '1', properties: { productId: '31', rating: 2.5 }, timestamp: 1260759144000 });
    const tab = await readAll(csvReader(), '\uFEFFvisitorid\titemid\tevent\n7\t9\taddtocart\n');
    expect(eventOf(tab[0])).toMatchObject({ event: 'Product Added', userId: '7', properties: { productId: '9' } });
  });

  it('uses the event column with aliases; a purchase gets one product and a derived order id', async () => {
    const rows = await readAll(csvReader(parseColumnMap('user=u,item=i,event=e,category=c')), 'u,i,e,c\n1,9,view,shoes\n1,9,transaction,shoes\n1,9,Wishlist Opened,\n1,9,,shoes\n');
    expect(eventOf(rows[0])).toMatchObject({ event: 'Product Viewed', properties: { productId: '9', category: 'shoes' } });
    expect(rows[0]).toMatchObject({ item: { id: '9', category: 'shoes' } });
    expect(eventOf(rows[1])).toMatchObject({ event: 'Order Completed', properties: { products: [{ productId: '9', quantity: 1 }] } });
    expect(eventOf(rows[1]).properties!.orderId).toMatch(/^ord-/);
    expect(eventOf(rows[2])).toMatchObject({ event: 'Wishlist Opened', properties: { productId: '9' } });
    expect(rows[3]).toEqual({ line: 5, ok: false, reason: 'e: expected an event name, got an empty value' });
  });

  it('rejects a wrong number of fields, a non-numeric rating, a missing user and a bad time with the line', async () => {
    const rows = await readAll(csvReader(parseColumnMap('user=u,item=i,rating=r,ts=t')), 'u,i,r,t\n1,2,3\n1,2,x,1600000000\n,2,3,1600000000\n1,2,3,soon\n');
    expect(rows).toEqual([
      { line: 2, ok: false, reason: 'expected 4 fields as in the header, got 3' },
      { line: 3, ok: false, reason: 'r: "x" is not a number' },
      { line: 4, ok: false, reason: 'u: missing' },
      { line: 5, ok: false, reason: expect.stringContaining('t: "soon" is not a time') },
    ]);
  });

  it('rejects a record whose quote is never closed as one row at the line it starts on', async () => {
    const rows = await readAll(csvReader(parseColumnMap('user=u,item=i')), 'u,i\n1,2\n3,"open\n5,6\n7,8\n');
    expect(rows.map((r) => [r.line, r.ok])).toEqual([[2, true], [3, false]]);
    expect(rows[1]).toMatchObject({ reason: expect.stringContaining('never closed') });
  });

  it('stops with AppError(invalid) when the header lacks a mapped column', async () => {
    const error = await readAll(csvReader(parseColumnMap('user=user,item=sku')), 'user,item\n1,2\n').catch((e: unknown) => e);
    expect(isAppError(error) && error.kind).toBe('invalid');
    expect((error as Error).message).toMatch(/--map item=sku, but the header has no column "sku"/);
  });
});

describe('jsonl reader', () => {
  it('maps keys, nested keys and events; rejects bad lines with the line number', async () => {
    const text = [
      JSON.stringify({ who: { id: 'u1' }, sku: 42, action: 'purchase', at: '2024-01-02T03:04:05Z' }),
      '',
      '[1,2]',
      '{"who": {"id": "u2"}, "sku": "a",',
      JSON.stringify({ who: { id: 'u3' }, sku: 'z', action: 'click', at: 1700000000123 }),
    ].join('\n');
    const rows = await readAll(jsonlReader(parseColumnMap('user=who.id,item=sku,event=action,ts=at')), text);
    expect(eventOf(rows[0])).toMatchObject({ userId: 'u1', event: 'Order Completed', timestamp: Date.UTC(2024, 0, 2, 3, 4, 5), properties: { products: [{ productId: '42', quantity: 1 }] } });
    expect(rows[1]).toEqual({ line: 3, ok: false, reason: 'not a JSON object' });
    expect(rows[2]).toMatchObject({ line: 4, ok: false, reason: expect.stringContaining('invalid JSON') });
    expect(eventOf(rows[3])).toMatchObject({ event: 'Product Clicked', userId: 'u3', timestamp: 1700000000123 });
  });

  it('guesses the keys from the first object when no map is given', async () => {
    const rows = await readAll(jsonlReader(), '{"user_id": "u", "product_id": "p", "rating": 4}\n');
    expect(eventOf(rows[0])).toMatchObject({ event: 'Review Submitted', userId: 'u', properties: { productId: 'p', rating: 4 } });
  });
});
