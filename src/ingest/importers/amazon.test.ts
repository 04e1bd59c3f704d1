import { describe, expect, it } from 'vitest';
import { amazonReader, MAX_REVIEW_TEXT } from './amazon.js';
import { eventOf, readAll } from './test-support.js';

const review = (fields: Record<string, unknown>) => JSON.stringify({
  reviewerID: 'A2IBPI20UZIR0U', asin: '1384719342', overall: 5.0, reviewText: 'Works.', summary: 'good', unixReviewTime: 1393545600, reviewTime: '02 28, 2014', ...fields,
});

describe('amazon reader', () => {
  it('maps a review to Review Submitted with rating, text and title', async () => {
    const rows = await readAll(amazonReader(), review({}) + '\n');
    expect(rows[0]).toMatchObject({ line: 1, ok: true, item: { id: '1384719342' } });
    expect(eventOf(rows[0])).toMatchObject({
      type: 'track', event: 'Review Submitted', userId: 'A2IBPI20UZIR0U', timestamp: 1393545600000,
      properties: { productId: '1384719342', rating: 5, text: 'Works.', title: 'good' },
    });
  });

  it('keeps Chinese and emoji text intact, even split across chunk boundaries', async () => {
    const text = '音色很好，琴弦不错 🎸👍 — “great” strings';
    const rows = await readAll(amazonReader(), review({ reviewText: text, summary: '好评 😀' }) + '\n', 3);
    expect(eventOf(rows[0]).properties).toMatchObject({ text, title: '好评 😀' });
  });

  it('leaves out an empty text, falls back to reviewTime, and cuts a very long text without splitting an emoji', async () => {
    const long = 'a'.repeat(MAX_REVIEW_TEXT - 1) + '😀tail';
    const rows = await readAll(amazonReader(), [
      review({ reviewText: '', unixReviewTime: undefined }),
      review({ reviewText: long }),
    ].join('\n'));
    expect(eventOf(rows[0]).properties).toEqual({ productId: '1384719342', rating: 5, title: 'good' });
    expect(eventOf(rows[0]).timestamp).toBe(Date.parse('02 28, 2014'));
    const cut = eventOf(rows[1]).properties!;
    expect(cut.textTruncated).toBe(true);
    expect(cut.text).toBe('a'.repeat(MAX_REVIEW_TEXT - 1));
  });

  it('rejects invalid JSON, a missing asin and a non-numeric rating with their line numbers; skips blank lines', async () => {
    const rows = await readAll(amazonReader(), ['{"reviewerID": "A1", ', '', review({ asin: undefined }), review({ overall: 'great' }), review({})].join('\n'));
    expect(rows.map((r) => [r.line, r.ok ? 'ok' : r.reason])).toEqual([
      [1, expect.stringContaining('invalid JSON')],
      [3, 'asin: missing'],
      [4, 'overall: "great" is not a number'],
      [5, 'ok'],
    ]);
  });
});
