import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely } from 'kysely';
import type { Database } from '../sql/database.js';
import { migrate } from '../sql/migrations.js';
import { SqlEventStore } from '../sql/sql-event-store.js';
import { SqlItemStore } from '../sql/sql-item-store.js';
import { SqlModelStore } from '../sql/sql-model-store.js';
import { SqlSegmentStore } from '../sql/sql-segment-store.js';
import { SqlUserStore } from '../sql/sql-user-store.js';
import { SqlWorkspaceStore } from '../sql/sql-workspace-store.js';
import type { Storage } from '../storage.js';
import type { EventAppender } from '../sql/event-appender.js';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import { openSqliteConnection } from './sqlite-connection.js';
import { SqliteEventAppender } from './sqlite-event-appender.js';
import { SqliteWriterClient } from './sqlite-writer-client.js';

/**
 * Groups handed to the writer thread before earlier ones commit. The writer merges everything queued
 * while it fsyncs into its next transaction, so forwarding at once makes the largest groups.
 */
const WRITER_PIPELINE_DEPTH = 64;

export interface SqliteOptions {
  /** File path, or `:memory:`. */
  file: string;
  /** FULL: a commit survives power loss; NORMAL: it survives a process crash (WAL). */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * Commit events on a writer thread (default for files) so fsync does not block HTTP. An in-memory
   * database cannot be shared between threads, so it always writes in-thread.
   */
  writerThread?: boolean;
}

/**
 * Opens (creating if needed) and migrates an embedded SQLite database in WAL mode.
 *
 * @example const storage = await openSqlite({ file: '.shopwise/shopwise.db' });
 */
export async function openSqlite(options: SqliteOptions): Promise<Storage> {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const synchronous = options.synchronous ?? 'FULL';
  const native = openSqliteConnection(options.file, synchronous);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: native }) });
  await migrate(db, 'sqlite');
  const writer = options.file !== ':memory:' && options.writerThread !== false ? new SqliteWriterClient(options.file, synchronous) : undefined;
  const inThread = new SqliteEventAppender(native);
  // Kysely holds the single connection across the awaits of a transaction; taking the connection
  // first keeps the synchronous appender from starting a transaction inside one of those.
  const appender: EventAppender = writer ?? { append: (events) => db.connection().execute(() => inThread.append(events)) };
  return {
    capabilities: { dialect: 'sqlite', shared: false, appendPipelineDepth: writer ? WRITER_PIPELINE_DEPTH : 1 },
    workspaces: new SqlWorkspaceStore(db),
    users: new SqlUserStore(db),
    items: new SqlItemStore(db),
    events: new SqlEventStore(db, appender),
    models: new SqlModelStore(db),
    segments: new SqlSegmentStore(db),
    async ping() {
      native.prepare('select 1').get();
    },
    async close() {
      await writer?.close();
      await db.destroy();
    },
  };
}
