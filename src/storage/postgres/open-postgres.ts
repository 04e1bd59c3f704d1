import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../../core/errors.js';
import type { Database } from '../sql/database.js';
import { migrate } from '../sql/migrations.js';
import { SqlEventStore } from '../sql/sql-event-store.js';
import { SqlItemStore } from '../sql/sql-item-store.js';
import { SqlModelStore } from '../sql/sql-model-store.js';
import { SqlSegmentStore } from '../sql/sql-segment-store.js';
import { SqlUserStore } from '../sql/sql-user-store.js';
import { SqlWorkspaceStore } from '../sql/sql-workspace-store.js';
import type { Storage } from '../storage.js';
import { PostgresEventAppender } from './postgres-event-appender.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Connects to PostgreSQL and applies migrations. Times are bigint epoch ms and come back as numbers.
 *
 * @example const storage = await openPostgres({ url: 'postgres://localhost/shopwise' });
 */
export async function openPostgres(options: { url: string; poolSize?: number }): Promise<Storage> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, types: types as pg.CustomTypesConfig });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    throw AppError.unavailable(`cannot connect to PostgreSQL: ${(error as Error).message}`, error);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrate(db, 'postgres');
  return {
    // One group at a time: concurrent groups could each miss the other's identify (stitching race).
    capabilities: { dialect: 'postgres', shared: true, appendPipelineDepth: 1 },
    workspaces: new SqlWorkspaceStore(db),
    users: new SqlUserStore(db),
    items: new SqlItemStore(db),
    events: new SqlEventStore(db, new PostgresEventAppender(db)),
    models: new SqlModelStore(db),
    segments: new SqlSegmentStore(db),
    async ping() {
      try {
        await pool.query('select 1');
      } catch (error) {
        throw AppError.unavailable(`PostgreSQL does not answer: ${(error as Error).message}`, error);
      }
    },
    async close() {
      await db.destroy();
    },
  };
}
