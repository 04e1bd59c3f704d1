import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Page } from '../../core/catalog.js';
import type { AppendStatus, Channel, EventType, NormalizedEvent, StoredEvent } from '../../core/events.js';
import type { EventQuery, EventStore } from '../event-store.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { type Database, readJson } from './database.js';
import type { EventAppender } from './event-appender.js';

type EventRow = Database['events'] & { seq: number };

/** The event log: reads through Kysely, writes through the dialect's `EventAppender`. */
export class SqlEventStore implements EventStore {
  constructor(private readonly db: Kysely<Database>, private readonly appender: EventAppender) {}

  append(events: readonly NormalizedEvent[]): Promise<AppendStatus[]> {
    return events.length === 0 ? Promise.resolve([]) : this.appender.append(events);
  }

  async list(workspaceId: string, query: EventQuery): Promise<Page<StoredEvent>> {
    let q = this.filtered(workspaceId, query).selectAll();
    if (query.cursor) q = q.where('seq', '>', decodeCursor<number>(query.cursor, 'number'));
    const rows = (await q.orderBy('seq').limit(query.limit + 1).execute()) as EventRow[];
    const items = rows.slice(0, query.limit).map(toEvent);
    return rows.length > query.limit ? { items, nextCursor: encodeCursor(items[items.length - 1]!.seq) } : { items };
  }

  async count(workspaceId: string, query: Omit<EventQuery, 'cursor' | 'limit'> = {}): Promise<number> {
    const row = await this.filtered(workspaceId, query).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async getByMessageId(workspaceId: string, messageId: string): Promise<StoredEvent | undefined> {
    const row = await this.db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId).where('message_id', '=', messageId).executeTakeFirst();
    return row && toEvent(row as EventRow);
  }

  async resolveIdentity(workspaceId: string, anonymousId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('identities').select('user_id').where('workspace_id', '=', workspaceId).where('anonymous_id', '=', anonymousId).executeTakeFirst();
    return row?.user_id;
  }

  async readAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    const rows = (await this.db.selectFrom('events').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute()) as EventRow[];
    return rows.map(toEvent);
  }

  private filtered(workspaceId: string, query: Omit<EventQuery, 'cursor' | 'limit'>): SelectQueryBuilder<Database, 'events', object> {
    let q = this.db.selectFrom('events').where('workspace_id', '=', workspaceId);
    if (query.userId !== undefined) q = q.where('user_id', '=', query.userId);
    if (query.anonymousId !== undefined) q = q.where('anonymous_id', '=', query.anonymousId);
    if (query.type !== undefined) q = q.where('type', '=', query.type);
    if (query.event !== undefined) q = q.where('event', '=', query.event);
    if (query.since !== undefined) q = q.where('timestamp', '>=', query.since);
    if (query.until !== undefined) q = q.where('timestamp', '<', query.until);
    return q;
  }
}

function toEvent(row: EventRow): StoredEvent {
  return {
    seq: Number(row.seq), workspaceId: row.workspace_id, messageId: row.message_id, type: row.type as EventType, event: row.event,
    userId: row.user_id, anonymousId: row.anonymous_id, previousId: row.previous_id,
    timestamp: Number(row.timestamp), receivedAt: Number(row.received_at), channel: row.channel as Channel | null,
    properties: readJson(row.properties, {}), traits: readJson(row.traits, {}), context: readJson(row.context, {}),
  };
}
