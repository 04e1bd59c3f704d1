import type { StoredEvent } from '../../core/events.js';
import type { EventStore } from '../../storage/event-store.js';
import { countedName } from '../apply-event.js';
import type { CatalogSource, ItemAttributes } from '../catalog-source.js';
import type { BehaviourTracks, ProductFacts } from './behaviour-tracks.js';
import { productsOf } from './event-products.js';

/** One past event as a backfill needs it. */
export interface HistoryEvent {
  /** The profile id: user id as attributed now, else the anonymous id. */
  user: string;
  at: number;
  products: ProductFacts[];
}

/**
 * Past events for filling a new behaviour window: a rule defined today that counts orders of the last
 * 30 days must see the orders of the last 30 days, not only the ones after it was created.
 */
export interface SegmentHistory {
  /** Events named `event` of a workspace at or after `since` with seq ≤ `upTo`, in pages. */
  read(workspaceId: string, event: string, since: number, upTo: number): AsyncIterable<HistoryEvent[]>;
}

const PAGE = 5000;

/**
 * History from the event log and the catalog (the server's storage).
 *
 * @example const history = historyFromEventStore(storage.events, catalogFromItemStore(storage.items));
 */
export function historyFromEventStore(events: Pick<EventStore, 'list'>, catalog: CatalogSource): SegmentHistory {
  return {
    async *read(workspaceId, event, since, upTo) {
      let cursor: string | undefined;
      do {
        const page = await events.list(workspaceId, { event, since, limit: PAGE, cursor });
        const wanted = page.items.filter((e) => e.seq <= upTo && countedName(e) === event && (e.userId ?? e.anonymousId) !== null);
        const ids = new Set<string>();
        for (const e of wanted) productsOf(e, (id) => void ids.add(id));
        const items = ids.size ? await catalog.items(workspaceId, [...ids]) : new Map<string, ItemAttributes>();
        yield wanted.map((e: StoredEvent) => ({ user: (e.userId ?? e.anonymousId)!, at: e.timestamp, products: productsOf(e, (id) => items.get(id)) }));
        cursor = page.items.length && page.items[page.items.length - 1]!.seq > upTo ? undefined : page.nextCursor;
      } while (cursor);
    },
  };
}

/**
 * Fills a new track from the history: the events of its name within its window (all history for an
 * "ever" count) up to log position `upTo`; later events reach it live.
 *
 * @example await backfillTrack(history, 'shop', w.tracks, index, Date.now(), processor.logPosition);
 */
export async function backfillTrack(history: SegmentHistory, workspaceId: string, tracks: BehaviourTracks, index: number, now: number, upTo: number): Promise<void> {
  const spec = tracks.spec(index);
  for await (const page of history.read(workspaceId, spec.event, tracks.backfillSince(index, now), upTo)) {
    for (const h of page) if (tracks.matches(index, h.products)) tracks.record(index, h.user, h.at);
  }
}
