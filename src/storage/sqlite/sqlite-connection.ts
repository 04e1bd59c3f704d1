import BetterSqlite3 from 'better-sqlite3';

export type SqliteSynchronous = 'FULL' | 'NORMAL';

/** Opens a connection with the pragmas every Shopwise connection uses (WAL, fsync policy, busy wait). */
export function openSqliteConnection(file: string, synchronous: SqliteSynchronous): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
