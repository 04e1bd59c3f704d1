import type { Readable } from 'node:stream';
import type { EventInput } from '../../core/events.js';

/** The file formats `shopwise import` reads. */
export const IMPORT_FORMATS = ['movielens', 'csv', 'jsonl', 'amazon', 'taobao', 'diginetica'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One line of each format, for help texts and error messages. */
export const FORMAT_DESCRIPTIONS: Record<ImportFormat, string> = {
  movielens: 'MovieLens ratings: u.data (user<TAB>item<TAB>rating<TAB>ts), ratings.dat (user::item::rating::ts) or ratings.csv (with header)',
  csv: 'any CSV with a header row (delimiter , ; TAB or | detected), columns chosen with --map',
  jsonl: 'JSON lines (one object a line), keys chosen with --map (a.b reaches nested keys)',
  amazon: 'Amazon review JSON lines: reviewerID, asin, overall, reviewText, summary, unixReviewTime',
  taobao: 'Taobao UserBehavior CSV without header: user_id,item_id,category_id,behavior(pv|cart|fav|buy),unix_ts',
  diginetica: 'Diginetica (CIKM Cup 2016) item views: session_id;user_id;item_id;timeframe;eventdate',
};

/** A catalog item seen in a row: its id and, when the data has one, its category. */
export interface ItemRef {
  id: string;
  category?: string;
}

/** One non-empty row of a file, mapped to an event (with the item it mentions) or rejected with a reason. */
export type ParsedRow =
  | { line: number; ok: true; event: EventInput; item?: ItemRef }
  | { line: number; ok: false; reason: string };

/**
 * Reads one format: streams the rows of a file in order, never holding more than a row (or a chunk)
 * in memory. Empty lines are skipped and never yielded; `line` is the 1-based line where a row starts.
 */
export interface FormatReader {
  readonly format: ImportFormat;
  rows(input: Readable): AsyncIterable<ParsedRow>;
}

/** Counts of an import so far. */
export interface ImportCounts {
  /** Non-empty rows read (a header row is not counted). */
  rowsRead: number;
  /** Events newly stored. */
  imported: number;
  /** Events already in the store (same message id): a re-import stores nothing twice. */
  duplicates: number;
  /** Rows the importer could not map plus events that ingest validation refused. */
  rejected: number;
  /** Catalog items created for item ids that were not in the store yet. */
  itemsCreated: number;
}
