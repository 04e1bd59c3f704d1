import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { SegmentInfo, SegmentInput, SegmentRecord, SegmentStore } from '../segment-store.js';
import { type Database, readJson } from './database.js';

/** The segments table (migration 0003_segments); kept here so the shared Database type stays as it is. */
export type SegmentTables = {
  segments: {
    workspace_id: string; id: string; name: string; description: string | null; kind: string; rule: string | null;
    user_ids: string; list_size: number; created_at: number; updated_at: number;
  };
};

type SegmentRow = SegmentTables['segments'];
const INFO_COLUMNS = ['workspace_id', 'id', 'name', 'description', 'kind', 'rule', 'list_size', 'created_at', 'updated_at'] as const;
/** A list of a million ids is about 20 MB of JSON: the most one row holds. */
const MAX_LIST = 1_000_000;

/**
 * Segment definitions on SQLite or PostgreSQL through Kysely. `put` reads and writes in one
 * transaction; the (workspace, name) unique index turns a duplicate name into a conflict.
 *
 * @example
 * const store = new SqlSegmentStore(db);
 * await store.put('shop', { id: 'vip', name: 'VIP', kind: 'rule', rule: 'rfm.orders >= 5' }, Date.now());
 */
export class SqlSegmentStore implements SegmentStore {
  private readonly db: Kysely<Database & SegmentTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<SegmentTables>();
  }

  async put(workspaceId: string, input: SegmentInput, now: number): Promise<{ record: SegmentRecord; created: boolean }> {
    check(input);
    const userIds = input.kind === 'list' ? [...new Set(input.userIds ?? [])] : [];
    try {
      return await this.db.transaction().execute(async (tx) => {
        const current = await tx.selectFrom('segments').select(['created_at']).where('workspace_id', '=', workspaceId).where('id', '=', input.id).executeTakeFirst();
        const row: SegmentRow = {
          workspace_id: workspaceId, id: input.id, name: input.name.trim(), description: input.description ?? null, kind: input.kind,
          rule: input.kind === 'rule' ? input.rule ?? null : null, user_ids: JSON.stringify(userIds), list_size: userIds.length,
          created_at: current ? Number(current.created_at) : now, updated_at: now,
        };
        if (current) await tx.updateTable('segments').set(row).where('workspace_id', '=', workspaceId).where('id', '=', input.id).execute();
        else await tx.insertInto('segments').values(row).execute();
        return { record: toRecord(row), created: !current };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw AppError.conflict(`another segment of workspace ${workspaceId} is named "${input.name}"; names are unique (rules refer to segments by name)`, { field: 'name' });
      throw error;
    }
  }

  async get(workspaceId: string, id: string): Promise<SegmentRecord | undefined> {
    const row = await this.db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async list(workspaceId: string): Promise<SegmentInfo[]> {
    const rows = await this.db.selectFrom('segments').select(INFO_COLUMNS).where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toInfo);
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('segments').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function check(input: SegmentInput): void {
  if (typeof input.id !== 'string' || input.id === '') throw AppError.invalid('a segment needs an id', { field: 'id' });
  if (typeof input.name !== 'string' || input.name.trim() === '') throw AppError.invalid(`segment ${input.id} needs a name`, { field: 'name' });
  if (input.kind !== 'rule' && input.kind !== 'list') throw AppError.invalid(`segment ${input.id}: kind must be "rule" or "list", got ${String(input.kind)}`, { field: 'kind' });
  if (input.kind === 'rule' && (typeof input.rule !== 'string' || input.rule.trim() === '')) throw AppError.invalid(`segment ${input.id} is a rule segment without a rule`, { field: 'rule' });
  if (input.kind === 'list' && !Array.isArray(input.userIds)) throw AppError.invalid(`segment ${input.id} is a list without userIds`, { field: 'userIds' });
  if (input.kind === 'list' && input.userIds!.length > MAX_LIST) throw AppError.invalid(`segment ${input.id}: a list holds at most ${MAX_LIST} ids, got ${input.userIds!.length}`, { field: 'userIds' });
}

function toInfo(row: Omit<SegmentRow, 'user_ids'>): SegmentInfo {
  return {
    workspaceId: row.workspace_id, id: row.id, name: row.name, description: row.description, kind: row.kind as 'rule' | 'list', rule: row.rule,
    listSize: Number(row.list_size), createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
  };
}

function toRecord(row: SegmentRow): SegmentRecord {
  return { ...toInfo(row), userIds: readJson<string[]>(row.user_ids, []) };
}

/** PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
