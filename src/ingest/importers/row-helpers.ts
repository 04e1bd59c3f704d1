import type { EventInput } from '../../core/events.js';
import { stableId } from '../../core/ids.js';
import { parseTimestamp } from '../../core/time.js';
import type { ImportFormat, ItemRef, ParsedRow } from './types.js';

/**
 * The message id of a row: derived from the format, the line number and the line's content, so
 * importing the same file again yields the same ids and stores nothing twice.
 *
 * @example messageIdOf('movielens', 1, '196\t242\t3\t881250949') // 'imp-…' (always the same)
 */
export function messageIdOf(format: ImportFormat, line: number, text: string): string {
  return stableId(format, line, text);
}

/**
 * A rejected row; `reason` should name the column and what is wrong with it.
 *
 * @example rejectRow(7, 'rating: "x" is not a number')
 */
export function rejectRow(line: number, reason: string): ParsedRow {
  return { line, ok: false, reason };
}

/**
 * A mapped row, with the catalog item it mentions.
 *
 * @example acceptRow(3, { type: 'track', event: 'Product Viewed', userId: 'u1', properties: { productId: 'p1' } }, { id: 'p1' })
 */
export function acceptRow(line: number, event: EventInput, item?: ItemRef): ParsedRow {
  return item ? { line, ok: true, event, item } : { line, ok: true, event };
}

/**
 * Epoch ms of a timestamp cell (epoch seconds, epoch ms or ISO 8601), or a reason it is not one.
 *
 * @example parseTimeCell('ts', '881250949') // { ms: 881250949000 }
 */
export function parseTimeCell(column: string, value: unknown): { ms: number } | { error: string } {
  if (typeof value !== 'string' && typeof value !== 'number') return { error: `${column}: expected a time, got ${show(value)}` };
  const ms = parseTimestamp(typeof value === 'string' ? value.trim() : value);
  return ms === undefined ? { error: `${column}: ${show(value)} is not a time (use epoch seconds, epoch ms or ISO 8601)` } : { ms };
}

/**
 * A rating cell as a number, or a reason it is not one (the 1–5 range is checked by ingest validation).
 *
 * @example parseRatingCell('stars', '4.5') // { rating: 4.5 }
 */
export function parseRatingCell(column: string, value: unknown): { rating: number } | { error: string } {
  const rating = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
  return Number.isFinite(rating) ? { rating } : { error: `${column}: ${show(value)} is not a number` };
}

/**
 * A non-empty id cell (numbers become strings), or a reason it is missing.
 *
 * @example idCell('user', 42) // { id: '42' }
 */
export function idCell(column: string, value: unknown): { id: string } | { error: string } {
  if (typeof value === 'number' && Number.isFinite(value)) return { id: String(value) };
  if (typeof value === 'string' && value.trim() !== '') return { id: value.trim() };
  return { error: `${column}: ${value === undefined || value === '' ? 'missing' : `${show(value)} is not an id`}` };
}

/**
 * A short JSON rendering of a cell for messages.
 *
 * @example show('abc') // '"abc"'
 */
export function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 40 ? text.slice(0, 37) + '…' : text;
}
