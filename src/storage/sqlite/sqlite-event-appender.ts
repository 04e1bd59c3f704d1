import type BetterSqlite3 from 'better-sqlite3';
import { type AppendStatus, encodedJson, type NormalizedEvent } from '../../core/events.js';
import type { EventAppender } from '../sql/event-appender.js';

/**
 * One event as the insert statement's parameters, in column order. A flat array of primitives is
 * also what crosses to the writer thread: it clones far cheaper than the event object.
 */
export type EventRow = [
  workspaceId: string, messageId: string, type: string, event: string, userId: string | null, anonymousId: string | null,
  previousId: string | null, timestamp: number, receivedAt: number, channel: string | null,
  properties: string, traits: string, context: string,
];

export function toEventRow(e: NormalizedEvent): EventRow {
  const json = encodedJson(e);
  return [e.workspaceId, e.messageId, e.type, e.event, e.userId, e.anonymousId, e.previousId, e.timestamp, e.receivedAt, e.channel, json.properties, json.traits, json.context];
}

/**
 * Appends events with prepared statements in one synchronous transaction (measured ~10x faster than
 * going through the query builder per row). Events are processed in order, so an event that follows an
 * `identify` in the same group is already attributed to the user.
 */
export class SqliteEventAppender implements EventAppender {
  private readonly insertEvent: BetterSqlite3.Statement;
  private readonly findIdentity: BetterSqlite3.Statement;
  private readonly insertIdentity: BetterSqlite3.Statement;
  private readonly attributeAnonymous: BetterSqlite3.Statement;
  private readonly reassignUser: BetterSqlite3.Statement;
  private readonly ensureUser: BetterSqlite3.Statement;
  private readonly mergeTraits: BetterSqlite3.Statement;
  private readonly run: (rows: readonly EventRow[]) => AppendStatus[];
  /**
   * Users known to have a row, so the insert-if-missing runs once per user, not once per commit.
   * Safe because users are never hard-deleted while this appender lives (soft delete keeps the row).
   * Users first seen in a transaction join it only after the commit, so a rollback forgets them.
   */
  private readonly knownUsers = new Set<string>();
  private newUsers = new Set<string>();

  constructor(db: BetterSqlite3.Database) {
    this.insertEvent = db.prepare(`insert into events (workspace_id, message_id, type, event, user_id, anonymous_id, previous_id,
      timestamp, received_at, channel, properties, traits, context) values (?,?,?,?,?,?,?,?,?,?,?,?,?)
      on conflict (workspace_id, message_id) do nothing`);
    this.findIdentity = db.prepare('select user_id from identities where workspace_id = ? and anonymous_id = ?').pluck();
    this.insertIdentity = db.prepare('insert into identities (workspace_id, anonymous_id, user_id, created_at) values (?,?,?,?) on conflict do nothing');
    this.attributeAnonymous = db.prepare('update events set user_id = ? where workspace_id = ? and anonymous_id = ? and user_id is null');
    this.reassignUser = db.prepare('update events set user_id = ? where workspace_id = ? and user_id = ?');
    this.ensureUser = db.prepare(`insert into users (workspace_id, id, traits, consent, created_at, updated_at) values (?,?,'{}','{}',?,?) on conflict do nothing`);
    this.mergeTraits = db.prepare('update users set traits = json_patch(traits, ?), updated_at = ? where workspace_id = ? and id = ?');
    this.run = db.transaction((rows: readonly EventRow[]) => this.appendInTransaction(rows));
  }

  append(events: readonly NormalizedEvent[]): Promise<AppendStatus[]> {
    try {
      return Promise.resolve(this.appendRows(events.map(toEventRow)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Appends rows in one transaction, synchronously (the writer thread calls this directly). */
  appendRows(rows: readonly EventRow[]): AppendStatus[] {
    this.newUsers = new Set();
    const statuses = this.run(rows);
    if (this.knownUsers.size > 1_000_000) this.knownUsers.clear();
    for (const user of this.newUsers) this.knownUsers.add(user);
    return statuses;
  }

  private appendInTransaction(rows: readonly EventRow[]): AppendStatus[] {
    const statuses: AppendStatus[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const [workspaceId, , type, , givenUserId, anonymousId, previousId, , receivedAt, , , traits] = row;
      const userId = givenUserId ?? (anonymousId === null ? null : ((this.findIdentity.get(workspaceId, anonymousId) as string | undefined) ?? null));
      row[4] = userId;
      if (this.insertEvent.run(row).changes === 0) {
        statuses[i] = 'duplicate';
        continue;
      }
      statuses[i] = 'stored';
      if (userId === null) continue;
      const userKey = workspaceId + '\u0000' + userId;
      if (!this.knownUsers.has(userKey) && !this.newUsers.has(userKey)) {
        this.ensureUser.run(workspaceId, userId, receivedAt, receivedAt);
        this.newUsers.add(userKey);
      }
      if (type === 'identify') {
        if (traits !== '{}') this.mergeTraits.run(traits, receivedAt, workspaceId, userId);
        if (anonymousId !== null) this.link(workspaceId, anonymousId, userId, receivedAt);
      } else if (type === 'alias' && previousId !== null && previousId !== userId) {
        this.link(workspaceId, previousId, userId, receivedAt);
        this.reassignUser.run(userId, workspaceId, previousId);
      }
    }
    return statuses;
  }

  /** Maps an anonymous id to a user once (the first identification wins) and attributes its history. */
  private link(workspaceId: string, anonymousId: string, userId: string, at: number): void {
    if (this.insertIdentity.run(workspaceId, anonymousId, userId, at).changes > 0) {
      this.attributeAnonymous.run(userId, workspaceId, anonymousId);
    }
  }
}
