import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { ModelInfo, ModelRecord, ModelStore } from '../model-store.js';
import { type Database, readJson } from './database.js';

type ModelRow = Database['models'];
type InfoRow = Omit<ModelRow, 'data'>;

/** Every column but the bytes, so listing many versions does not read megabytes of model files. */
const INFO_COLUMNS = ['workspace_id', 'name', 'version', 'model', 'params', 'metrics', 'bytes', 'created_at'] as const;

/**
 * How often `save` starts again after another save took the same version. Each round at least one of
 * the competing saves commits, so this bounds how many saves of one name may race, not how long.
 */
const SAVE_ATTEMPTS = 20;

/**
 * Versioned model files on SQLite or PostgreSQL through Kysely.
 *
 * `save` reads max(version) + 1 and inserts in one transaction. On SQLite the transaction begins with
 * BEGIN IMMEDIATE (ImmediateSqliteDialect), so it holds the write lock from the read on and two saves
 * cannot pick the same version. On PostgreSQL (read committed) two saves can read the same maximum;
 * the primary key refuses the second insert and that save starts again and takes the next version.
 *
 * @example
 * const store = new SqlModelStore(db);
 * const info = await store.save('shop-a', { name: 'default', model: 'ease', params: {}, metrics: {}, createdAt: Date.now(), data });
 * (await store.latest('shop-a', 'default'))?.info.version === info.version;
 */
export class SqlModelStore implements ModelStore {
  constructor(private readonly db: Kysely<Database>) {}

  async save(workspaceId: string, record: ModelRecord): Promise<ModelInfo> {
    checkRecord(record);
    const row = {
      workspace_id: workspaceId, name: record.name, model: record.model,
      params: JSON.stringify(record.params ?? {}), metrics: JSON.stringify(record.metrics ?? {}),
      bytes: record.data.byteLength, created_at: record.createdAt, data: toBuffer(record.data),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const version = await this.db.transaction().execute(async (tx) => {
          const top = await tx.selectFrom('models').select((eb) => eb.fn.max('version').as('top'))
            .where('workspace_id', '=', workspaceId).where('name', '=', record.name).executeTakeFirst();
          const next = Number(top?.top ?? 0) + 1;
          await tx.insertInto('models').values({ ...row, version: next }).execute();
          return next;
        });
        const { data: _data, ...info } = row;
        return toInfo({ ...info, version });
      } catch (error) {
        if (!isRetryable(error)) throw error;
        if (attempt >= SAVE_ATTEMPTS) {
          throw AppError.conflict(`could not assign a version to model "${record.name}" of workspace ${workspaceId}: ${attempt} concurrent saves took each version first`, { field: 'name', workspaceId });
        }
        // A short, growing pause lets the save that won commit before this one reads the maximum again.
        await new Promise((resolve) => setTimeout(resolve, attempt * 2));
      }
    }
  }

  async latest(workspaceId: string, name: string): Promise<{ info: ModelInfo; data: Uint8Array } | undefined> {
    const row = await this.db.selectFrom('models').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name)
      .orderBy('version', 'desc').limit(1).executeTakeFirst();
    return row && withData(row);
  }

  async get(workspaceId: string, name: string, version: number): Promise<{ info: ModelInfo; data: Uint8Array } | undefined> {
    if (!Number.isInteger(version)) return undefined;
    const row = await this.db.selectFrom('models').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name)
      .where('version', '=', version).executeTakeFirst();
    return row && withData(row);
  }

  /**
   * One name: by version, newest first. Every name: by creation time, newest first (then by name and
   * version, so the order is stable when times are equal).
   */
  async list(workspaceId: string, name?: string): Promise<ModelInfo[]> {
    let q = this.db.selectFrom('models').select(INFO_COLUMNS).where('workspace_id', '=', workspaceId);
    q = name === undefined ? q.orderBy('created_at', 'desc').orderBy('name').orderBy('version', 'desc') : q.where('name', '=', name).orderBy('version', 'desc');
    const rows = await q.execute();
    return rows.map(toInfo);
  }

  async prune(workspaceId: string, name: string, keep: number): Promise<number> {
    if (!Number.isInteger(keep) || keep < 0) throw AppError.invalid(`prune keeps a whole number ≥ 0 of versions, got ${keep}`, { field: 'keep', value: keep });
    // The newest version that goes: everything at or below it is older than the newest `keep`.
    const cutoff = await this.db.selectFrom('models').select('version').where('workspace_id', '=', workspaceId).where('name', '=', name)
      .orderBy('version', 'desc').limit(1).offset(keep).executeTakeFirst();
    if (!cutoff) return 0;
    const result = await this.db.deleteFrom('models').where('workspace_id', '=', workspaceId).where('name', '=', name)
      .where('version', '<=', Number(cutoff.version)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function checkRecord(record: ModelRecord): void {
  if (typeof record.name !== 'string' || record.name.trim() === '') throw AppError.invalid('a saved model needs a name (the slot it serves, e.g. "default")', { field: 'name' });
  if (typeof record.model !== 'string' || record.model.trim() === '') throw AppError.invalid(`model "${record.name}" needs the algorithm name it was trained with`, { field: 'model' });
  if (!(record.data instanceof Uint8Array)) throw AppError.invalid(`model "${record.name}" data must be a Uint8Array (the model file)`, { field: 'data' });
  if (!Number.isFinite(record.createdAt)) throw AppError.invalid(`model "${record.name}" createdAt must be epoch ms, got ${record.createdAt}`, { field: 'createdAt' });
}

/** Both drivers bind a Buffer as bytes; a view over the same memory avoids copying the file. */
function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The drivers return a Buffer. Callers get a plain Uint8Array of exactly the file's bytes: a small
 * Buffer can be a slice of a shared pool, so it is copied unless it owns its whole ArrayBuffer.
 */
function fromBuffer(value: Uint8Array): Uint8Array {
  if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) return new Uint8Array(value.buffer);
  return new Uint8Array(value);
}

function withData(row: ModelRow): { info: ModelInfo; data: Uint8Array } {
  return { info: toInfo(row), data: fromBuffer(row.data) };
}

function toInfo(row: InfoRow): ModelInfo {
  return {
    workspaceId: row.workspace_id, name: row.name, version: Number(row.version), model: row.model,
    params: readJson<Record<string, unknown>>(row.params, {}), metrics: readJson<Record<string, unknown>>(row.metrics, {}),
    bytes: Number(row.bytes), createdAt: Number(row.created_at),
  };
}

/**
 * A save lost the race for a version: the primary key refused its insert (PostgreSQL 23505, SQLite
 * SQLITE_CONSTRAINT_PRIMARYKEY) or the database gave up on a lock (serialization failure, deadlock,
 * lock not available, SQLITE_BUSY). Another attempt reads the new maximum.
 */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['23505', '40001', '40P01', '55P03', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_BUSY'].includes(code);
}
