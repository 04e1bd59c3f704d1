import { AppError } from '../../core/errors.js';
import type { Item } from '../../core/catalog.js';
import type { StoredEvent } from '../../core/events.js';
import type { Storage } from '../../storage/storage.js';
import { InteractionsBuilder, type Interactions, type ItemInfo } from '../interactions.js';
import { DEFAULT_EVENT_WEIGHTS, signalOf } from './feedback.js';

/** Rows asked of the event log and the catalog per query. */
const PAGE_SIZE = 5000;

/** Where a load is: after each page, the events or catalog items read so far and the rows kept. */
export interface LoadProgress {
  phase: 'events' | 'items';
  read: number;
  rows: number;
}

export interface LoadFromStoreOptions {
  /** Event weights by event name, over DEFAULT_EVENT_WEIGHTS (0 drops an event type). */
  weights?: Record<string, number>;
  /** Only events at or after this time (epoch ms). */
  since?: number;
  /** At most this many interaction rows, the first in log order. */
  limit?: number;
  onProgress?: (progress: LoadProgress) => void;
}

/**
 * Reads a workspace's event log and catalog into training interactions.
 *
 * Every `track` event that names products becomes one row per product (`signalOf`), in log order,
 * for its user (the userId, else the anonymous id: stitching has already attributed what it could).
 * The data is explicit (values are ratings) when every signal is a rated review, else implicit with
 * values = event weights (a rated review then counts as the `Review Submitted` weight, and negative
 * feedback keeps its negative weight). No signal at all gives empty implicit data, the usual kind for
 * a shop. Afterwards every live catalog item is described — also items nobody has interacted with, so
 * content models can score cold items — and deleted items only when they have interactions.
 *
 * @example
 * const data = await loadInteractionsFromStore(storage, 'shop-a', { since: Date.now() - 90 * 86_400_000 });
 * data.explicit; // false for view/cart/purchase logs
 */
export async function loadInteractionsFromStore(
  storage: Pick<Storage, 'events' | 'items'>,
  workspaceId: string,
  options: LoadFromStoreOptions = {},
): Promise<Interactions> {
  const limit = options.limit ?? Infinity;
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 1)) throw AppError.invalid(`limit is a whole number of rows ≥ 1, got ${limit}`, { field: 'limit' });
  if (options.since !== undefined && !Number.isFinite(options.since)) throw AppError.invalid(`since is epoch ms, got ${options.since}`, { field: 'since' });
  const weights = { ...DEFAULT_EVENT_WEIGHTS, ...options.weights };
  for (const [name, weight] of Object.entries(weights)) {
    if (!Number.isFinite(weight)) throw AppError.invalid(`the weight of "${name}" must be a finite number, got ${weight}`, { field: 'weights' });
  }

  // Rows go to both builders while every signal so far is a rating; they share the id indices, so
  // whichever is kept has the same users and items. The first unrated signal drops the ratings.
  const implicit = new InteractionsBuilder({ explicit: false });
  let ratings: InteractionsBuilder | undefined = new InteractionsBuilder({ explicit: true, users: implicit.users, items: implicit.items });
  let read = 0;
  let cursor: string | undefined;
  do {
    // Only track events carry product actions; identify/alias/page rows would be read for nothing.
    const page = await storage.events.list(workspaceId, { type: 'track', since: options.since, limit: PAGE_SIZE, cursor });
    for (const event of page.items) {
      if (implicit.length >= limit) break;
      ratings = addEvent(event, weights, implicit, ratings, limit);
    }
    read += page.items.length;
    cursor = implicit.length >= limit ? undefined : page.nextCursor;
    options.onProgress?.({ phase: 'events', read, rows: implicit.length });
  } while (cursor);

  const builder = ratings && ratings.length > 0 ? ratings : implicit;
  await describeCatalog(storage, workspaceId, builder, options.onProgress);
  return builder.build();
}

/** Adds the rows of one event; returns the ratings builder, or undefined once the data is implicit. */
function addEvent(
  event: StoredEvent,
  weights: Readonly<Record<string, number>>,
  implicit: InteractionsBuilder,
  ratings: InteractionsBuilder | undefined,
  limit: number,
): InteractionsBuilder | undefined {
  const user = event.userId ?? event.anonymousId;
  if (user === null) return ratings;
  const signal = signalOf(event.event, event.properties, weights);
  if (!signal) return ratings;
  const rated = ratings && signal.rating !== undefined ? ratings : undefined;
  for (const item of signal.items) {
    if (implicit.length >= limit) break;
    implicit.push(user, item, signal.weight, event.timestamp, signal.text);
    rated?.push(user, item, signal.rating!, event.timestamp, signal.text);
  }
  return rated;
}

/** Describes every live catalog item, and deleted ones that have interactions. */
async function describeCatalog(
  storage: Pick<Storage, 'items'>,
  workspaceId: string,
  builder: InteractionsBuilder,
  onProgress: LoadFromStoreOptions['onProgress'],
): Promise<void> {
  let read = 0;
  let cursor: string | undefined;
  do {
    const page = await storage.items.list(workspaceId, { limit: PAGE_SIZE, cursor, includeDeleted: true });
    for (const item of page.items) {
      if (item.deletedAt !== null && builder.items.get(item.id) < 0) continue;
      builder.describe(item.id, itemInfoOf(item));
    }
    read += page.items.length;
    cursor = page.nextCursor;
    onProgress?.({ phase: 'items', read, rows: builder.length });
  } while (cursor);
}

/** What content models use of a catalog item; unknown fields are left out rather than empty. */
function itemInfoOf(item: Item): ItemInfo {
  const info: ItemInfo = { title: item.title };
  if (item.categoryPath.length > 0) info.category = item.categoryPath;
  if (item.description !== null && item.description !== '') info.description = item.description;
  if (item.tags.length > 0) info.tags = item.tags;
  if (item.brand !== null && item.brand !== '') info.brand = item.brand;
  return info;
}
