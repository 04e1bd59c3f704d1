import type { EventInput } from '../../core/events.js';
import type { ColumnMap } from './column-map.js';
import { standardEventName } from './event-names.js';
import { acceptRow, idCell, messageIdOf, parseRatingCell, parseTimeCell, rejectRow, show } from './row-helpers.js';
import type { ImportFormat, ParsedRow } from './types.js';

/**
 * Maps one record of a generic CSV / JSONL file through a column map. The event is the mapped `event`
 * value (aliases such as view, cart, buy become standard names), else `Review Submitted` when a rating
 * column is mapped, else `Product Viewed`. A purchase becomes `Order Completed` with one product and an
 * order id derived from the row.
 *
 * @example mapGenericRecord('csv', 2, 'u1,p1,4', (c) => ({ user: 'u1', item: 'p1', stars: '4' })[c], { user: 'user', item: 'item', rating: 'stars' })
 */
export function mapGenericRecord(format: ImportFormat, line: number, text: string, get: (column: string) => unknown, map: ColumnMap): ParsedRow {
  const user = idCell(map.user, get(map.user));
  if ('error' in user) return rejectRow(line, user.error);
  const item = idCell(map.item, get(map.item));
  if ('error' in item) return rejectRow(line, item.error);
  let timestamp: number | undefined;
  if (map.ts !== undefined) {
    const time = parseTimeCell(map.ts, get(map.ts));
    if ('error' in time) return rejectRow(line, time.error);
    timestamp = time.ms;
  }
  let event = map.rating !== undefined ? 'Review Submitted' : 'Product Viewed';
  if (map.event !== undefined) {
    const value = get(map.event);
    if (typeof value !== 'string' || value.trim() === '') return rejectRow(line, `${map.event}: expected an event name, got ${value === '' ? 'an empty value' : show(value)}`);
    event = standardEventName(value);
  }
  const messageId = messageIdOf(format, line, text);
  const properties: Record<string, unknown> = event === 'Order Completed'
    ? { orderId: 'ord-' + messageId.slice(4), products: [{ productId: item.id, quantity: 1 }] }
    : { productId: item.id };
  if (event === 'Review Submitted' && map.rating !== undefined) {
    const rating = parseRatingCell(map.rating, get(map.rating));
    if ('error' in rating) return rejectRow(line, rating.error);
    properties.rating = rating.rating;
  }
  const rawCategory = map.category === undefined ? undefined : get(map.category);
  const category = typeof rawCategory === 'number' ? String(rawCategory) : typeof rawCategory === 'string' ? rawCategory.trim() : '';
  if (category !== '') properties.category = category;
  const input: EventInput = { type: 'track', event, userId: user.id, properties, messageId };
  if (timestamp !== undefined) input.timestamp = timestamp;
  return acceptRow(line, input, category !== '' ? { id: item.id, category } : { id: item.id });
}
