import type BetterSqlite3 from 'better-sqlite3';
import type { AppendStatus, NormalizedEvent } from '../../core/events.js';
import type { EventAppender } from '../sql/event-appender.js';

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
  private readonly run: (events: readonly NormalizedEvent[]) => AppendStatus[];

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
    this.run = db.transaction((events: readonly NormalizedEvent[]) => this.appendInTransaction(events));
  }

  append(events: readonly NormalizedEvent[]): Promise<AppendStatus[]> {
    try {
      return Promise.resolve(this.run(events));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private appendInTransaction(events: readonly NormalizedEvent[]): AppendStatus[] {
    const statuses: AppendStatus[] = new Array(events.length);
    const knownUsers = new Set<string>();
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const userId = e.userId ?? (e.anonymousId === null ? null : ((this.findIdentity.get(e.workspaceId, e.anonymousId) as string | undefined) ?? null));
      const result = this.insertEvent.run(e.workspaceId, e.messageId, e.type, e.event, userId, e.anonymousId, e.previousId,
        e.timestamp, e.receivedAt, e.channel, JSON.stringify(e.properties), JSON.stringify(e.traits), JSON.stringify(e.context));
      if (result.changes === 0) {
        statuses[i] = 'duplicate';
        continue;
      }
      statuses[i] = 'stored';
      if (userId === null) continue;
      const userKey = e.workspaceId + '\u0000' + userId;
      if (!knownUsers.has(userKey)) {
        this.ensureUser.run(e.workspaceId, userId, e.receivedAt, e.receivedAt);
        knownUsers.add(userKey);
      }
      if (e.type === 'identify') {
        if (Object.keys(e.traits).length > 0) this.mergeTraits.run(JSON.stringify(e.traits), e.receivedAt, e.workspaceId, userId);
        if (e.anonymousId !== null) this.link(e.workspaceId, e.anonymousId, userId, e.receivedAt);
      } else if (e.type === 'alias' && e.previousId !== null && e.previousId !== userId) {
        this.link(e.workspaceId, e.previousId, userId, e.receivedAt);
        this.reassignUser.run(userId, e.workspaceId, e.previousId);
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
