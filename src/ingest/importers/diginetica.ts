import type { Readable } from 'node:stream';
import { AppError } from '../../core/errors.js';
import { readLines } from './line-reader.js';
import { acceptRow, idCell, messageIdOf, rejectRow, show } from './row-helpers.js';
import type { FormatReader, ParsedRow } from './types.js';

const COLUMNS = ['sessionid', 'userid', 'itemid', 'timeframe', 'eventdate'] as const;
type Columns = Record<(typeof COLUMNS)[number], number>;
const DEFAULT_COLUMNS: Columns = { sessionid: 0, userid: 1, itemid: 2, timeframe: 3, eventdate: 4 };

/**
 * Diginetica item views (CIKM Cup 2016, `;`-separated: session_id;user_id;item_id;timeframe;eventdate)
 * as `Product Viewed` events. Each session is an anonymous visitor `dg-session-<session_id>` (plus the
 * userId when user_id is not NA); the time is eventdate (UTC midnight) + timeframe (ms into the session).
 * The header row is read by name (session_id or sessionId…); without one the column order above is assumed.
 *
 * @example for await (const row of digineticaReader().rows(createReadStream('train-item-views.csv'))) …
 */
export function digineticaReader(): FormatReader {
  return {
    format: 'diginetica',
    async *rows(input: Readable): AsyncGenerator<ParsedRow> {
      let columns: Columns | undefined;
      for await (const { line, text } of readLines(input)) {
        const fields = text.split(';');
        if (!columns) {
          columns = /^\s*\d/.test(fields[0]!) ? DEFAULT_COLUMNS : headerColumns(line, fields);
          if (columns !== DEFAULT_COLUMNS) continue;
        }
        yield mapView(line, text, fields, columns);
      }
    },
  };
}

function headerColumns(line: number, fields: string[]): Columns {
  const names = fields.map((f) => f.trim().toLowerCase().replace(/[^a-z]/g, ''));
  const columns = {} as Columns;
  for (const column of COLUMNS) {
    const index = names.indexOf(column);
    if (index < 0) {
      throw AppError.invalid(`diginetica: the header on line ${line} (${fields.join(';')}) has no ${column} column; expected session_id;user_id;item_id;timeframe;eventdate`, { field: column, index: line });
    }
    columns[column] = index;
  }
  return columns;
}

function mapView(line: number, text: string, fields: string[], columns: Columns): ParsedRow {
  if (fields.length < COLUMNS.length) return rejectRow(line, `expected 5 ;-separated fields (session_id;user_id;item_id;timeframe;eventdate), got ${fields.length}`);
  const session = idCell('session_id', fields[columns.sessionid]);
  if ('error' in session) return rejectRow(line, session.error);
  const item = idCell('item_id', fields[columns.itemid]);
  if ('error' in item) return rejectRow(line, item.error);
  const date = fields[columns.eventdate]!.trim();
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (Number.isNaN(day)) return rejectRow(line, `eventdate: ${show(date)} is not a date (expected YYYY-MM-DD)`);
  const timeframe = fields[columns.timeframe]!.trim();
  const offset = /^\d+$/.test(timeframe) ? Number(timeframe) : NaN;
  if (Number.isNaN(offset)) return rejectRow(line, `timeframe: ${show(timeframe)} is not a whole number of milliseconds`);
  const userId = fields[columns.userid]!.trim();
  const known = userId !== '' && userId.toUpperCase() !== 'NA';
  return acceptRow(line, {
    type: 'track', event: 'Product Viewed',
    ...(known ? { userId } : {}),
    anonymousId: `dg-session-${session.id}`,
    timestamp: day + offset,
    properties: { productId: item.id },
    context: { sessionId: session.id },
    messageId: messageIdOf('diginetica', line, text),
  }, { id: item.id });
}
