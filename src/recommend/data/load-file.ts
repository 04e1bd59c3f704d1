import { createReadStream, statSync } from 'node:fs';
import { AppError } from '../../core/errors.js';
import { createFormatReader } from '../../ingest/importers/formats.js';
import { InteractionsBuilder, type Interactions } from '../interactions.js';
import { DEFAULT_EVENT_WEIGHTS, signalOf } from './feedback.js';

export interface LoadFileOptions {
  /** An import format: movielens | csv | jsonl | amazon | taobao | diginetica. */
  format: string;
  /** Column map for csv / jsonl (the importers' `--map`). */
  map?: string;
  /** Weight per event type for implicit feedback (default DEFAULT_EVENT_WEIGHTS). */
  weights?: Readonly<Record<string, number>>;
  /** Read at most this many rows. */
  limit?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** What reading a file gave: the interactions and how many rows were skipped and why (the first few). */
export interface LoadedFile {
  data: Interactions;
  rows: number;
  skipped: number;
  firstSkipped: string[];
}

/**
 * Reads a data set file straight into interactions, through the same format readers as `shopwise
 * import` (so every import format and column map works), without touching any store. Ratings make an
 * explicit data set when every row has one; otherwise rows are implicit feedback weighted by event type.
 * The category of a row (Taobao, mapped CSV) becomes the item's category; review text is kept per row.
 *
 * @example const { data } = await loadInteractionsFile('u.data', { format: 'movielens' });
 */
export async function loadInteractionsFile(file: string, options: LoadFileOptions): Promise<LoadedFile> {
  let total: number;
  try {
    total = statSync(file).size;
  } catch (error) {
    throw AppError.invalid(`data file not found or unreadable: ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { field: 'data' });
  }
  const reader = createFormatReader(options.format, options.map);
  const weights = options.weights ?? DEFAULT_EVENT_WEIGHTS;
  const builder = new InteractionsBuilder({ explicit: true });
  let allRatings = true;
  let rows = 0;
  let skipped = 0;
  const firstSkipped: string[] = [];
  const skip = (line: number, reason: string) => {
    skipped++;
    if (firstSkipped.length < 5) firstSkipped.push(`line ${line}: ${reason}`);
  };
  const stream = createReadStream(file);
  try {
    for await (const row of reader.rows(stream)) {
      if (options.limit !== undefined && rows >= options.limit) break;
      rows++;
      if (rows % 20_000 === 0) options.onProgress?.(stream.bytesRead, total);
      if (!row.ok) {
        skip(row.line, row.reason);
        continue;
      }
      const { event } = row;
      const user = event.userId ?? event.anonymousId;
      const signal = signalOf(event.event ?? '', event.properties, weights);
      if (!user || !signal) {
        skip(row.line, !user ? 'no user id' : `event "${event.event}" names no product or has weight 0`);
        continue;
      }
      if (signal.rating === undefined) allRatings = false;
      const time = typeof event.timestamp === 'number' ? event.timestamp : Date.parse(String(event.timestamp ?? 0));
      for (const item of signal.items) builder.push(user, item, signal.rating ?? signal.weight, Number.isFinite(time) ? time : 0, signal.text);
      if (row.item?.category) builder.describe(row.item.id, { category: [row.item.category] });
    }
  } finally {
    stream.destroy();
  }
  options.onProgress?.(total, total);
  if (builder.length === 0) throw AppError.invalid(`${file}: no interactions could be read as ${options.format}${firstSkipped.length ? ` (${firstSkipped[0]})` : ''}`, { field: 'data' });
  builder.setExplicit(allRatings);
  let data = builder.build();
  if (!allRatings) data = ratingsAsWeights(data, weights['Review Submitted'] ?? 1);
  return { data, rows, skipped, firstSkipped };
}

/** In a mixed file, a rated review is one more implicit signal: its value becomes the review weight. */
function ratingsAsWeights(data: Interactions, reviewWeight: number): Interactions {
  // Rows pushed with a rating cannot be told apart afterwards, so a mixed file's ratings (1–5) are capped
  // at the review weight; a pure-ratings file stays explicit and never gets here.
  const value = Float32Array.from(data.value, (v) => Math.min(v, reviewWeight));
  return { ...data, value };
}
