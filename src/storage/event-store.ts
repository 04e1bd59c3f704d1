import type { Page } from '../core/catalog.js';
import type { AppendStatus, NormalizedEvent, StoredEvent } from '../core/events.js';

export interface EventQuery {
  userId?: string;
  anonymousId?: string;
  type?: string;
  event?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  cursor?: string;
  limit: number;
}

/**
 * The durable event log. `append` writes a group of events (any workspaces) in ONE transaction and
 * returns only after it is committed: that is what makes a 2xx durable.
 * A repeated (workspaceId, messageId) is a `duplicate` and changes nothing.
 * Identity stitching happens in the same transaction: `identify` and `alias` map an anonymous id (or a
 * previous user id) to a user id, attribute that id's past events to the user, and later events that
 * carry only the anonymous id are attributed on arrival.
 */
export interface EventStore {
  append(events: readonly NormalizedEvent[]): Promise<AppendStatus[]>;
  list(workspaceId: string, query: EventQuery): Promise<Page<StoredEvent>>;
  count(workspaceId: string, query?: Omit<EventQuery, 'cursor' | 'limit'>): Promise<number>;
  getByMessageId(workspaceId: string, messageId: string): Promise<StoredEvent | undefined>;
  /** The user an anonymous id was identified as, if any. */
  resolveIdentity(workspaceId: string, anonymousId: string): Promise<string | undefined>;
  /**
   * Up to `limit` events of ALL workspaces with `seq > seq`, in ascending seq: how stream consumers
   * (the profile processor) follow the log from a position they saved. Events carry the user id as
   * stored now, so history attributed by a later identify/alias already names the user.
   *
   * @example const next = await events.readAfter(lastSeq, 5000); // lastSeq = next.at(-1)?.seq ?? lastSeq
   */
  readAfter(seq: number, limit: number): Promise<StoredEvent[]>;
}
