import type { Readable } from 'node:stream';
import { readLines } from './line-reader.js';
import { acceptRow, idCell, messageIdOf, parseRatingCell, parseTimeCell, rejectRow } from './row-helpers.js';
import type { FormatReader, ParsedRow } from './types.js';

/** Splits a MovieLens line: `::` (ratings.dat), TAB (u.data), `,` (ratings.csv) or runs of spaces. */
function separatorOf(text: string): string | RegExp {
  if (text.includes('::')) return '::';
  if (text.includes('\t')) return '\t';
  if (text.includes(',')) return ',';
  return /\s+/;
}

/**
 * MovieLens ratings as `Review Submitted` events: u.data (100K), ratings.dat (1M, 10M), ratings.csv
 * (latest, 20M, 25M; its header row is skipped). Half stars are kept; a 0.5 rating becomes 1 (the
 * lowest the event accepts) with the original in `properties.sourceRating`.
 *
 * @example for await (const row of movielensReader().rows(createReadStream('u.data'))) …
 */
export function movielensReader(): FormatReader {
  return {
    format: 'movielens',
    async *rows(input: Readable): AsyncGenerator<ParsedRow> {
      let separator: string | RegExp | undefined;
      let first = true;
      for await (const { line, text } of readLines(input)) {
        separator ??= separatorOf(text);
        const fields = text.trim().split(separator);
        if (first) {
          first = false;
          // ratings.csv starts with userId,movieId,rating,timestamp.
          if (fields.length >= 3 && !/^\d/.test(fields[0]!.trim()) && Number.isNaN(Number(fields[2]))) continue;
        }
        yield mapRating(line, text, fields);
      }
    },
  };
}

function mapRating(line: number, text: string, fields: string[]): ParsedRow {
  if (fields.length < 4) return rejectRow(line, `expected 4 fields (user, item, rating, timestamp), got ${fields.length}`);
  const user = idCell('user', fields[0]);
  if ('error' in user) return rejectRow(line, user.error);
  const item = idCell('item', fields[1]);
  if ('error' in item) return rejectRow(line, item.error);
  const rating = parseRatingCell('rating', fields[2]);
  if ('error' in rating) return rejectRow(line, rating.error);
  const time = parseTimeCell('timestamp', fields[3]);
  if ('error' in time) return rejectRow(line, time.error);
  const properties: Record<string, unknown> = { productId: item.id, rating: rating.rating };
  if (rating.rating >= 0.5 && rating.rating < 1) {
    properties.rating = 1;
    properties.sourceRating = rating.rating;
  }
  return acceptRow(line, {
    type: 'track', event: 'Review Submitted', userId: user.id, timestamp: time.ms, properties,
    messageId: messageIdOf('movielens', line, text),
  }, { id: item.id });
}
