import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../sql/database.js';
import { migrate } from '../sql/migrations.js';
import { SqlEventStore } from '../sql/sql-event-store.js';
import { SqlItemStore } from '../sql/sql-item-store.js';
import { SqlUserStore } from '../sql/sql-user-store.js';
import { SqlWorkspaceStore } from '../sql/sql-workspace-store.js';
import type { Storage } from '../storage.js';
import { SqliteEventAppender } from './sqlite-event-appender.js';

export interface SqliteOptions {
  /** File path, or `:memory:`. */
  file: string;
  /** FULL: a commit survives power loss; NORMAL: it survives a process crash (WAL). */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Opens (creating if needed) and migrates an embedded SQLite database in WAL mode.
 *
 * @example const storage = await openSqlite({ file: '.shopwise/shopwise.db' });
 */
export async function openSqlite(options: SqliteOptions): Promise<Storage> {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const native = new BetterSqlite3(options.file);
  native.pragma('journal_mode = WAL');
  native.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  native.pragma('busy_timeout = 5000');
  native.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
  await migrate(db, 'sqlite');
  const fastAppender = new SqliteEventAppender(native);
  // Kysely holds the single connection across the awaits of a transaction; taking the connection
  // first keeps the synchronous appender from starting a transaction inside one of those.
  const appender = { append: (events: Parameters<SqliteEventAppender['append']>[0]) => db.connection().execute(() => fastAppender.append(events)) };
  return {
    capabilities: { dialect: 'sqlite', shared: false },
    workspaces: new SqlWorkspaceStore(db),
    users: new SqlUserStore(db),
    items: new SqlItemStore(db),
    events: new SqlEventStore(db, appender),
    async ping() {
      native.prepare('select 1').get();
    },
    async close() {
      await db.destroy();
    },
  };
}
