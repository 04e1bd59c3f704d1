import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, SqliteDriver, type SqliteDialectConfig } from 'kysely';

/**
 * SQLite transactions that take the write lock when they begin (BEGIN IMMEDIATE). The writer thread
 * commits events on another connection; a deferred transaction that reads first and then writes would
 * fail at once with SQLITE_BUSY when a commit lands in between, while BEGIN IMMEDIATE waits its turn
 * (busy_timeout).
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
