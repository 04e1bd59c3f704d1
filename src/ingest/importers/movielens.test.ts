import { describe, expect, it } from 'vitest';
import { movielensReader } from './movielens.js';
import { eventOf, readAll } from './test-support.js';

describe('movielens reader', () => {
  it('reads u.data (tab-separated) as Review Submitted with seconds turned into ms', async () => {
    const rows = await readAll(movielensReader(), '196\t242\t3\t881250949\n186\t302\t3\t891717742\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ line: 1, ok: true, item: { id: '242' } });
    expect(eventOf(rows[0])).toMatchObject({
      type: 'track', event: 'Review Submitted', userId: '196', timestamp: 881250949000, properties: { productId: '242', rating: 3 },
    });
    expect(eventOf(rows[0]).messageId).toMatch(/^imp-[0-9a-f]{32}$/);
  });

  it('reads ratings.dat (::) and keeps half stars; 0.5 becomes 1 with the original kept', async () => {
    const rows = await readAll(movielensReader(), '1::1193::5::978300760\n2::1::3.5::1112486027\n3::2::0.5::1112486027\n');
    expect(rows.map((r) => eventOf(r).properties)).toEqual([
      { productId: '1193', rating: 5 },
      { productId: '1', rating: 3.5 },
      { productId: '2', rating: 1, sourceRating: 0.5 },
    ]);
  });

  it('skips the header of ratings.csv and blank lines, and numbers lines like an editor', async () => {
    const rows = await readAll(movielensReader(), 'userId,movieId,rating,timestamp\r\n\r\n1,31,2.5,1260759144\r\n\n1,1029,3.0,1260759179\r\n');
    expect(rows.map((r) => r.line)).toEqual([3, 5]);
    expect(eventOf(rows[1])).toMatchObject({ userId: '1', properties: { productId: '1029', rating: 3 } });
  });

  it('rejects a non-numeric rating, a bad timestamp and a short row with the line and the column', async () => {
    const rows = await readAll(movielensReader(), '1\t2\tfive\t881250949\n1\t2\t3\tyesterday\n1\t2\t3\n');
    expect(rows).toEqual([
      { line: 1, ok: false, reason: 'rating: "five" is not a number' },
      { line: 2, ok: false, reason: expect.stringContaining('timestamp: "yesterday" is not a time') },
      { line: 3, ok: false, reason: 'expected 4 fields (user, item, rating, timestamp), got 3' },
    ]);
  });

  it('gives the same message id to the same line and different ids to different lines', async () => {
    const text = '1\t2\t3\t881250949\n1\t2\t3\t881250949\n';
    const first = await readAll(movielensReader(), text);
    const again = await readAll(movielensReader(), text);
    expect(eventOf(first[0]).messageId).toBe(eventOf(again[0]).messageId);
    expect(eventOf(first[0]).messageId).not.toBe(eventOf(first[1]).messageId);
  });
});
