import { sql, type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { Database, Dialect } from './database.js';

/** Column types that differ between the dialects; everything else is shared. */
function types(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return { json: pg ? 'jsonb' : 'text', time: pg ? 'bigint' : 'integer', real: pg ? 'double precision' : 'real', bytes: pg ? 'bytea' : 'blob' } as const;
}

function migrations(dialect: Dialect): Record<string, Migration> {
  const t = types(dialect);
  return {
    '0001_foundation': {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('workspaces')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull()).execute();
        await db.schema.createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('prefix', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('scopes', t.json, (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull())
          .addColumn('revoked_at', t.time).execute();
        await db.schema.createIndex('api_keys_workspace').on('api_keys').columns(['workspace_id']).execute();
        await db.schema.createTable('users')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('traits', t.json, (c) => c.notNull())
          .addColumn('consent', t.json, (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull())
          .addColumn('updated_at', t.time, (c) => c.notNull())
          .addColumn('deleted_at', t.time)
          .addPrimaryKeyConstraint('users_pk', ['workspace_id', 'id']).execute();
        await db.schema.createTable('items')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('translations', t.json, (c) => c.notNull())
          .addColumn('category_path', t.json, (c) => c.notNull())
          .addColumn('category_key', 'text', (c) => c.notNull())
          .addColumn('brand', 'text')
          .addColumn('price', t.real)
          .addColumn('currency', 'text')
          .addColumn('tags', t.json, (c) => c.notNull())
          .addColumn('image_url', 'text')
          .addColumn('attributes', t.json, (c) => c.notNull())
          .addColumn('stock', 'integer')
          .addColumn('sponsored', 'integer', (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull())
          .addColumn('updated_at', t.time, (c) => c.notNull())
          .addColumn('deleted_at', t.time)
          .addPrimaryKeyConstraint('items_pk', ['workspace_id', 'id']).execute();
        await db.schema.createTable('events')
          .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text')
          .addColumn('anonymous_id', 'text')
          .addColumn('previous_id', 'text')
          .addColumn('timestamp', t.time, (c) => c.notNull())
          .addColumn('received_at', t.time, (c) => c.notNull())
          .addColumn('channel', 'text')
          .addColumn('properties', t.json, (c) => c.notNull())
          .addColumn('traits', t.json, (c) => c.notNull())
          .addColumn('context', t.json, (c) => c.notNull()).execute();
        // The unique index is what makes a repeated messageId change nothing.
        await db.schema.createIndex('events_message').unique().on('events').columns(['workspace_id', 'message_id']).execute();
        await db.schema.createIndex('events_user').on('events').columns(['workspace_id', 'user_id', 'seq']).execute();
        // Stitching looks up only events not yet attributed to a user, so only those are indexed.
        await db.schema.createIndex('events_anonymous').on('events').columns(['workspace_id', 'anonymous_id']).where(sql.ref('user_id'), 'is', null).execute();
        await db.schema.createTable('identities')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('anonymous_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull())
          .addPrimaryKeyConstraint('identities_pk', ['workspace_id', 'anonymous_id']).execute();
      },
    },
    '0002_models': {
      async up(db: Kysely<unknown>) {
        // The primary key is also what makes two saves that picked the same version collide (see SqlModelStore.save).
        await db.schema.createTable('models')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('model', 'text', (c) => c.notNull())
          .addColumn('params', t.json, (c) => c.notNull())
          .addColumn('metrics', t.json, (c) => c.notNull())
          .addColumn('bytes', 'integer', (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull())
          .addColumn('data', t.bytes, (c) => c.notNull())
          .addPrimaryKeyConstraint('models_pk', ['workspace_id', 'name', 'version']).execute();
      },
    },
    '0003_segments': {
      async up(db: Kysely<unknown>) {
        // Segment definitions (SqlSegmentStore); names are unique per workspace because rules may name a segment.
        await db.schema.createTable('segments')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('rule', 'text')
          .addColumn('user_ids', t.json, (c) => c.notNull())
          .addColumn('list_size', 'integer', (c) => c.notNull())
          .addColumn('created_at', t.time, (c) => c.notNull())
          .addColumn('updated_at', t.time, (c) => c.notNull())
          .addPrimaryKeyConstraint('segments_pk', ['workspace_id', 'id']).execute();
        await db.schema.createIndex('segments_name').unique().on('segments').columns(['workspace_id', 'name']).execute();
      },
    },
  };
}

/**
 * Applies pending migrations (on every start). Kysely's migrator takes a lock, so two servers
 * starting on one PostgreSQL database do not race.
 */
export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider, migrationTableName: 'shopwise_migrations', migrationLockTableName: 'shopwise_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError('unavailable', `database migration ${failed} failed: ${(error as Error).message}`, {}, { cause: error });
  }
}

/** Used by tests to empty a database between suites. */
export async function dropAll(db: Kysely<Database>): Promise<void> {
  for (const table of ['segments', 'models', 'identities', 'events', 'items', 'users', 'api_keys', 'workspaces', 'shopwise_migrations', 'shopwise_migrations_lock']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
