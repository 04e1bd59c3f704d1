import { AppError } from '../../core/errors.js';

/** Which column (CSV header name or JSON key) holds each field of a generic import. */
export interface ColumnMap {
  user: string;
  item: string;
  rating?: string;
  ts?: string;
  event?: string;
  category?: string;
}

const KEYS = ['user', 'item', 'rating', 'ts', 'event', 'category'] as const;
type Key = (typeof KEYS)[number];

/** The `--map` syntax, for help texts. */
export const MAP_SYNTAX = 'user=COL,item=COL[,rating=COL][,ts=COL][,event=COL][,category=COL]';

/**
 * Parses a `--map` spec. `user` and `item` are required; `rating`, `ts` (epoch s / ms / ISO),
 * `event` and `category` are optional. Throws `AppError('invalid')` naming the bad part.
 *
 * @example parseColumnMap('user=userId,item=movieId,rating=rating,ts=timestamp')
 * // { user: 'userId', item: 'movieId', rating: 'rating', ts: 'timestamp' }
 */
export function parseColumnMap(spec: string): ColumnMap {
  const map: Partial<Record<Key, string>> = {};
  const parts = spec.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw AppError.invalid(`--map is empty; expected ${MAP_SYNTAX}`, { field: 'map' });
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim() as Key;
    const column = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!KEYS.includes(key)) throw AppError.invalid(`--map: unknown key "${key}" in "${part}"; keys are ${KEYS.join(', ')} (${MAP_SYNTAX})`, { field: 'map' });
    if (column === '') throw AppError.invalid(`--map: "${part}" names no column; write ${key}=COLUMN`, { field: 'map' });
    if (map[key] !== undefined) throw AppError.invalid(`--map: ${key} is given twice`, { field: 'map' });
    map[key] = column;
  }
  for (const key of ['user', 'item'] as const) {
    if (map[key] === undefined) throw AppError.invalid(`--map must name the ${key} column (${MAP_SYNTAX}); got "${spec}"`, { field: 'map' });
  }
  return map as ColumnMap;
}

const GUESSES: Record<Key, string[]> = {
  user: ['user', 'userid', 'user_id', 'customer', 'customerid', 'customer_id', 'visitorid', 'reviewerid', 'uid'],
  item: ['item', 'itemid', 'item_id', 'product', 'productid', 'product_id', 'movieid', 'movie_id', 'asin', 'sku', 'iid'],
  rating: ['rating', 'score', 'stars', 'overall'],
  ts: ['ts', 'timestamp', 'time', 'datetime', 'date', 'event_time', 'eventtime', 'unixreviewtime'],
  event: ['event', 'event_type', 'eventtype', 'behavior', 'behaviour', 'action', 'type'],
  category: ['category', 'categoryid', 'category_id', 'categoryname'],
};

/**
 * A mapping guessed from column names (userId, movieId, rating, timestamp, event…), used when `--map`
 * is not given. Throws `AppError('invalid')` when no user or item column can be recognised.
 *
 * @example guessColumnMap(['userId', 'movieId', 'rating', 'timestamp']) // { user: 'userId', item: 'movieId', rating: 'rating', ts: 'timestamp' }
 */
export function guessColumnMap(columns: readonly string[], source: string): ColumnMap {
  const map: Partial<Record<Key, string>> = {};
  for (const key of KEYS) {
    const found = columns.find((c) => GUESSES[key].includes(c.trim().toLowerCase()));
    if (found !== undefined) map[key] = found;
  }
  for (const key of ['user', 'item'] as const) {
    if (map[key] === undefined) {
      throw AppError.invalid(`${source}: no --map given and no ${key} column recognised among [${columns.slice(0, 20).join(', ')}]; pass --map ${MAP_SYNTAX}`, { field: 'map' });
    }
  }
  return map as ColumnMap;
}

/**
 * Checks that every mapped column is in the header; throws `AppError('invalid')` naming the missing one.
 *
 * @example checkColumns(parseColumnMap('user=u,item=i'), ['u', 'i', 'rating'], 'csv header (line 1)') // passes
 */
export function checkColumns(map: ColumnMap, header: readonly string[], source: string): void {
  for (const key of KEYS) {
    const column = map[key];
    if (column !== undefined && !header.includes(column)) {
      throw AppError.invalid(`${source}: --map ${key}=${column}, but the header has no column "${column}" (columns: ${header.slice(0, 20).join(', ')})`, { field: 'map' });
    }
  }
}
