import type { Kysely } from 'kysely';
import type { Consent, Page, User, UserInput } from '../../core/catalog.js';
import type { ListQuery, UpsertCounts, UserStore } from '../user-store.js';
import { encodeCursor, decodeCursor } from './cursor.js';
import { type Database, readJson } from './database.js';
import { existingIds, inChunks, lastPerId } from './batches.js';

/** Users on SQLite or PostgreSQL through Kysely. */
export class SqlUserStore implements UserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async upsert(workspaceId: string, input: UserInput[], now: number): Promise<UpsertCounts> {
    const users = lastPerId(input);
    return this.db.transaction().execute(async (tx) => {
      const existing = await existingIds(tx, 'users', workspaceId, users.map((u) => u.id));
      for (const chunk of inChunks(users, 1000)) {
        await tx.insertInto('users')
          .values(chunk.map((u) => ({
            workspace_id: workspaceId, id: u.id, traits: JSON.stringify(u.traits ?? {}), consent: JSON.stringify(u.consent ?? {}),
            created_at: now, updated_at: now, deleted_at: null,
          })))
          .onConflict((oc) => oc.columns(['workspace_id', 'id']).doUpdateSet((eb) => ({
            traits: eb.ref('excluded.traits'), consent: eb.ref('excluded.consent'), updated_at: eb.ref('excluded.updated_at'), deleted_at: null,
          })))
          .execute();
      }
      const updated = users.filter((u) => existing.has(u.id)).length;
      return { created: users.length - updated, updated };
    });
  }

  async get(workspaceId: string, id: string, options: { includeDeleted?: boolean } = {}): Promise<User | undefined> {
    let query = this.db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
    if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
    const row = await query.executeTakeFirst();
    return row && toUser(row);
  }

  async list(workspaceId: string, query: ListQuery): Promise<Page<User>> {
    let q = this.db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId);
    if (!query.includeDeleted) q = q.where('deleted_at', 'is', null);
    if (query.cursor) q = q.where('id', '>', decodeCursor<string>(query.cursor, 'string'));
    const rows = await q.orderBy('id').limit(query.limit + 1).execute();
    const items = rows.slice(0, query.limit).map(toUser);
    return rows.length > query.limit ? { items, nextCursor: encodeCursor(items[items.length - 1]!.id) } : { items };
  }

  async softDelete(workspaceId: string, id: string, at: number): Promise<boolean> {
    const result = await this.db.updateTable('users').set({ deleted_at: at, updated_at: at })
      .where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async count(workspaceId: string): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n'))
      .where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function toUser(row: Database['users']): User {
  return {
    workspaceId: row.workspace_id, id: row.id, traits: readJson(row.traits, {}), consent: readJson<Consent>(row.consent, {}),
    createdAt: Number(row.created_at), updatedAt: Number(row.updated_at), deletedAt: row.deleted_at === null ? null : Number(row.deleted_at),
  };
}
