import type { Kysely } from 'kysely';
import type { ApiKeyRecord, Scope, Workspace } from '../../core/workspace.js';
import type { WorkspaceStore } from '../workspace-store.js';
import { type Database, readJson } from './database.js';

type KeyRow = Database['api_keys'];

/** Workspaces and API keys on SQLite or PostgreSQL through Kysely. */
export class SqlWorkspaceStore implements WorkspaceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createWorkspace(workspace: Workspace): Promise<void> {
    await this.db.insertInto('workspaces').values({ id: workspace.id, name: workspace.name, created_at: workspace.createdAt }).execute();
  }

  async getWorkspace(id: string): Promise<Workspace | undefined> {
    const row = await this.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: Number(row.created_at) };
  }

  async listWorkspaces(): Promise<Workspace[]> {
    const rows = await this.db.selectFrom('workspaces').selectAll().orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: Number(row.created_at) }));
  }

  async createKey(key: ApiKeyRecord): Promise<void> {
    await this.db.insertInto('api_keys').values({
      id: key.id, workspace_id: key.workspaceId, name: key.name, prefix: key.prefix, hash: key.hash,
      scopes: JSON.stringify(key.scopes), created_at: key.createdAt, revoked_at: key.revokedAt,
    }).execute();
  }

  async findKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
    return row && toKey(row);
  }

  async listKeys(workspaceId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toKey);
  }

  async revokeKey(workspaceId: string, keyId: string, at: number): Promise<boolean> {
    const result = await this.db.updateTable('api_keys').set({ revoked_at: at })
      .where('workspace_id', '=', workspaceId).where('id', '=', keyId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id, workspaceId: row.workspace_id, name: row.name, prefix: row.prefix, hash: row.hash,
    scopes: readJson<Scope[]>(row.scopes, []), createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}
