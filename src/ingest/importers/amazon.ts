import type { Readable } from 'node:stream';
import { readLines } from './line-reader.js';
import { acceptRow, idCell, messageIdOf, parseRatingCell, parseTimeCell, rejectRow } from './row-helpers.js';
import type { FormatReader, ParsedRow } from './types.js';

/**
 * Review text longer than this (in UTF-16 units) is cut (and `textTruncated` set), so that a very long review still
 * brings its rating instead of exceeding the event size limit.
 */
export const MAX_REVIEW_TEXT = 16_000;

/**
 * Amazon review JSON lines (McAuley et al.) as `Review Submitted` events:
 * reviewerID → userId, asin → productId, overall → rating, reviewText → text, summary → title,
 * unixReviewTime (or reviewTime) → timestamp.
 *
 * @example for await (const row of amazonReader().rows(createReadStream('reviews_5.json'))) …
 */
export function amazonReader(): FormatReader {
  return {
    format: 'amazon',
    async *rows(input: Readable): AsyncGenerator<ParsedRow> {
      for await (const { line, text } of readLines(input)) yield mapReview(line, text);
    },
  };
}

function mapReview(line: number, text: string): ParsedRow {
  let review: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return rejectRow(line, 'not a JSON object');
    review = parsed as Record<string, unknown>;
  } catch (error) {
    return rejectRow(line, `invalid JSON: ${(error as Error).message}`);
  }
  const user = idCell('reviewerID', review.reviewerID);
  if ('error' in user) return rejectRow(line, user.error);
  const item = idCell('asin', review.asin);
  if ('error' in item) return rejectRow(line, item.error);
  const rating = parseRatingCell('overall', review.overall);
  if ('error' in rating) return rejectRow(line, rating.error);
  const time = review.unixReviewTime !== undefined ? parseTimeCell('unixReviewTime', review.unixReviewTime) : parseTimeCell('reviewTime', review.reviewTime);
  if ('error' in time) return rejectRow(line, time.error);
  const properties: Record<string, unknown> = { productId: item.id, rating: rating.rating };
  if (typeof review.reviewText === 'string' && review.reviewText !== '') {
    properties.text = review.reviewText.length > MAX_REVIEW_TEXT ? cut(review.reviewText) : review.reviewText;
    if (review.reviewText.length > MAX_REVIEW_TEXT) properties.textTruncated = true;
  }
  if (typeof review.summary === 'string' && review.summary !== '') properties.title = review.summary;
  return acceptRow(line, {
    type: 'track', event: 'Review Submitted', userId: user.id, timestamp: time.ms, properties,
    messageId: messageIdOf('amazon', line, text),
  }, { id: item.id });
}

/** The first MAX_REVIEW_TEXT UTF-16 units, never splitting a surrogate pair (an emoji). */
function cut(text: string): string {
  const head = text.slice(0, MAX_REVIEW_TEXT);
  const last = head.charCodeAt(head.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? head.slice(0, -1) : head;
}
