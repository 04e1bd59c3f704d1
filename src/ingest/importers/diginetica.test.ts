import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.js';
import { digineticaReader } from './diginetica.js';
import { eventOf, readAll } from './test-support.js';

describe('diginetica reader', () => {
  it('maps views to Product Viewed per session; NA users stay anonymous', async () => {
    const rows = await readAll(digineticaReader(), 'session_id;user_id;item_id;timeframe;eventdate\n1;NA;81766;526309;2016-05-09\n48;2;24764;8863;2016-04-09\n');
    expect(rows).toHaveLength(2);
    const anonymous = eventOf(rows[0]);
    expect(anonymous).toMatchObject({
      type: 'track', event: 'Product Viewed', anonymousId: 'dg-session-1', properties: { productId: '81766' },
      context: { sessionId: '1' }, timestamp: Date.UTC(2016, 4, 9) + 526309,
    });
    expect(anonymous.userId).toBeUndefined();
    expect(eventOf(rows[1])).toMatchObject({ userId: '2', anonymousId: 'dg-session-48', timestamp: Date.UTC(2016, 3, 9) + 8863 });
    expect(rows[1]).toMatchObject({ line: 3, item: { id: '24764' } });
  });

  it('reads the header by name in any order (CIKM spelling sessionId;userId;…)', async () => {
    const rows = await readAll(digineticaReader(), 'itemId;sessionId;userId;eventdate;timeframe\n81766;7;NA;2016-05-09;0\n');
    expect(eventOf(rows[0])).toMatchObject({ anonymousId: 'dg-session-7', properties: { productId: '81766' }, timestamp: Date.UTC(2016, 4, 9) });
  });

  it('assumes the standard column order without a header', async () => {
    const rows = await readAll(digineticaReader(), '5;NA;100;10;2016-01-03\r\n');
    expect(rows[0]).toMatchObject({ line: 1, ok: true });
  });

  it('rejects a bad date, a bad timeframe and a short row with the line number', async () => {
    const rows = await readAll(digineticaReader(), 'session_id;user_id;item_id;timeframe;eventdate\n1;NA;5;10;09/05/2016\n\n1;NA;5;ten;2016-05-09\n1;NA;5\n');
    expect(rows).toEqual([
      { line: 2, ok: false, reason: 'eventdate: "09/05/2016" is not a date (expected YYYY-MM-DD)' },
      { line: 4, ok: false, reason: 'timeframe: "ten" is not a whole number of milliseconds' },
      { line: 5, ok: false, reason: expect.stringContaining('expected 5 ;-separated fields') },
    ]);
  });

  it('stops with AppError(invalid) when the header lacks a column', async () => {
    const error = await readAll(digineticaReader(), 'session_id;user_id;timeframe;eventdate\n1;NA;5;2016-05-09\n').catch((e: unknown) => e);
    expect(isAppError(error) && error.kind).toBe('invalid');
    expect((error as Error).message).toMatch(/header on line 1 .* has no itemid column/);
  });
});
