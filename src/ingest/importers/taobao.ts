import type { Readable } from 'node:stream';
import type { EventInput } from '../../core/events.js';
import { readLines } from './line-reader.js';
import { acceptRow, idCell, messageIdOf, parseTimeCell, rejectRow, show } from './row-helpers.js';
import type { FormatReader, ParsedRow } from './types.js';

/** Taobao behaviors and the standard events they become. */
export const TAOBAO_BEHAVIORS: Record<string, string> = {
  pv: 'Product Viewed',
  cart: 'Product Added',
  fav: 'Product Liked',
  buy: 'Order Completed',
};

/**
 * Taobao UserBehavior CSV (Alibaba Tianchi; no header: user_id,item_id,category_id,behavior,unix_ts).
 * pv → Product Viewed, cart → Product Added, fav → Product Liked, buy → Order Completed with one
 * product and an order id derived from the row; the category goes to `properties.category` and to the
 * catalog item. A header row, when a copy of the file has one, is skipped.
 *
 * @example for await (const row of taobaoReader().rows(createReadStream('UserBehavior.csv'))) …
 */
export function taobaoReader(): FormatReader {
  return {
    format: 'taobao',
    async *rows(input: Readable): AsyncGenerator<ParsedRow> {
      let first = true;
      for await (const { line, text } of readLines(input)) {
        const fields = text.split(',');
        if (first) {
          first = false;
          if (fields.length === 5 && !/^\s*\d/.test(fields[0]!) && !/^\s*\d/.test(fields[4]!)) continue;
        }
        yield mapBehavior(line, text, fields);
      }
    },
  };
}

function mapBehavior(line: number, text: string, fields: string[]): ParsedRow {
  if (fields.length !== 5) return rejectRow(line, `expected 5 fields (user_id,item_id,category_id,behavior,timestamp), got ${fields.length}`);
  const user = idCell('user_id', fields[0]);
  if ('error' in user) return rejectRow(line, user.error);
  const item = idCell('item_id', fields[1]);
  if ('error' in item) return rejectRow(line, item.error);
  const category = fields[2]!.trim();
  const behavior = fields[3]!.trim();
  const event = TAOBAO_BEHAVIORS[behavior];
  if (!event) return rejectRow(line, `behavior: unknown value ${show(behavior)} (expected pv, cart, fav or buy)`);
  const time = parseTimeCell('timestamp', fields[4]);
  if ('error' in time) return rejectRow(line, time.error);
  const messageId = messageIdOf('taobao', line, text);
  const properties: Record<string, unknown> = event === 'Order Completed'
    ? { orderId: 'tb-' + messageId.slice(4), products: [{ productId: item.id, quantity: 1 }] }
    : { productId: item.id };
  if (category !== '') properties.category = category;
  const input: EventInput = { type: 'track', event, userId: user.id, timestamp: time.ms, properties, messageId };
  return acceptRow(line, input, category !== '' ? { id: item.id, category } : { id: item.id });
}
