import { sql, type Kysely, type Transaction } from 'kysely';
import { type AppendStatus, encodedJson, type NormalizedEvent } from '../../core/events.js';
import type { Database } from '../sql/database.js';
import type { EventAppender } from '../sql/event-appender.js';

const key = (workspaceId: string, id: string) => workspaceId + '\u0000' + id;

/**
 * Appends a group of events with one multi-row insert from unnest() (one round trip for the whole group),
 * then applies identity stitching for the identify / alias events that were stored. Concurrent servers
 * on one database are safe: the unique (workspace_id, message_id) index serialises duplicates.
 */
export class PostgresEventAppender implements EventAppender {
  constructor(private readonly db: Kysely<Database>) {}

  append(events: readonly NormalizedEvent[]): Promise<AppendStatus[]> {
    return this.db.transaction().execute((tx) => this.appendInTransaction(tx, events));
  }

  private async appendInTransaction(tx: Transaction<Database>, events: readonly NormalizedEvent[]): Promise<AppendStatus[]> {
    const known = await this.knownIdentities(tx, events);
    const userIds = events.map((e) => e.userId ?? (e.anonymousId === null ? null : known.get(key(e.workspaceId, e.anonymousId)) ?? null));
    const column = <T>(pick: (e: NormalizedEvent, i: number) => T) => events.map(pick);
    const json = events.map(encodedJson);
    const inserted = await sql<{ workspace_id: string; message_id: string }>`
      insert into events (workspace_id, message_id, type, event, user_id, anonymous_id, previous_id, timestamp, received_at, channel, properties, traits, context)
      select * from unnest(${column((e) => e.workspaceId)}::text[], ${column((e) => e.messageId)}::text[], ${column((e) => e.type)}::text[],
        ${column((e) => e.event)}::text[], ${userIds}::text[], ${column((e) => e.anonymousId)}::text[], ${column((e) => e.previousId)}::text[],
        ${column((e) => e.timestamp)}::bigint[], ${column((e) => e.receivedAt)}::bigint[], ${column((e) => e.channel)}::text[],
        ${json.map((j) => j.properties)}::jsonb[], ${json.map((j) => j.traits)}::jsonb[], ${json.map((j) => j.context)}::jsonb[])
      on conflict (workspace_id, message_id) do nothing
      returning workspace_id, message_id`.execute(tx);
    const storedKeys = new Set(inserted.rows.map((r) => key(r.workspace_id, r.message_id)));
    const statuses: AppendStatus[] = events.map((e) => {
      const k = key(e.workspaceId, e.messageId);
      // A messageId repeated inside the group is stored once: its first occurrence.
      if (!storedKeys.delete(k)) return 'duplicate';
      return 'stored';
    });
    await this.ensureUsers(tx, events, userIds, statuses);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const userId = userIds[i];
      if (statuses[i] !== 'stored' || !userId) continue;
      if (e.type === 'identify') {
        if (Object.keys(e.traits).length > 0) {
          await sql`update users set traits = traits || ${json[i]!.traits}::jsonb, updated_at = ${e.receivedAt}
            where workspace_id = ${e.workspaceId} and id = ${userId}`.execute(tx);
        }
        if (e.anonymousId !== null) await this.link(tx, e.workspaceId, e.anonymousId, userId, e.receivedAt);
      } else if (e.type === 'alias' && e.previousId !== null && e.previousId !== userId) {
        await this.link(tx, e.workspaceId, e.previousId, userId, e.receivedAt);
        await sql`update events set user_id = ${userId} where workspace_id = ${e.workspaceId} and user_id = ${e.previousId}`.execute(tx);
      }
    }
    return statuses;
  }

  private async knownIdentities(tx: Transaction<Database>, events: readonly NormalizedEvent[]): Promise<Map<string, string>> {
    const pairs = new Map<string, [string, string]>();
    for (const e of events) if (e.userId === null && e.anonymousId !== null) pairs.set(key(e.workspaceId, e.anonymousId), [e.workspaceId, e.anonymousId]);
    const found = new Map<string, string>();
    if (pairs.size === 0) return found;
    const list = [...pairs.values()];
    const rows = await sql<{ workspace_id: string; anonymous_id: string; user_id: string }>`
      select i.workspace_id, i.anonymous_id, i.user_id from identities i
      join unnest(${list.map((p) => p[0])}::text[], ${list.map((p) => p[1])}::text[]) as q(w, a) on i.workspace_id = q.w and i.anonymous_id = q.a`.execute(tx);
    for (const row of rows.rows) found.set(key(row.workspace_id, row.anonymous_id), row.user_id);
    return found;
  }

  private async ensureUsers(tx: Transaction<Database>, events: readonly NormalizedEvent[], userIds: (string | null)[], statuses: AppendStatus[]): Promise<void> {
    const users = new Map<string, [string, string, number]>();
    events.forEach((e, i) => {
      const userId = userIds[i];
      if (statuses[i] === 'stored' && userId) users.set(key(e.workspaceId, userId), [e.workspaceId, userId, e.receivedAt]);
    });
    if (users.size === 0) return;
    const list = [...users.values()];
    await sql`insert into users (workspace_id, id, traits, consent, created_at, updated_at)
      select w, u, '{}'::jsonb, '{}'::jsonb, t, t from unnest(${list.map((x) => x[0])}::text[], ${list.map((x) => x[1])}::text[], ${list.map((x) => x[2])}::bigint[]) as q(w, u, t)
      on conflict do nothing`.execute(tx);
  }

  private async link(tx: Transaction<Database>, workspaceId: string, anonymousId: string, userId: string, at: number): Promise<void> {
    const created = await sql`insert into identities (workspace_id, anonymous_id, user_id, created_at) values (${workspaceId}, ${anonymousId}, ${userId}, ${at})
      on conflict do nothing returning user_id`.execute(tx);
    if (created.rows.length > 0) {
      await sql`update events set user_id = ${userId} where workspace_id = ${workspaceId} and anonymous_id = ${anonymousId} and user_id is null`.execute(tx);
    }
  }
}
