import { sql, type Kysely } from 'kysely';
import type { Item, ItemInput, Page } from '../../core/catalog.js';
import { parseTimestamp } from '../../core/time.js';
import type { ItemListQuery, ItemStore } from '../item-store.js';
import type { UpsertCounts } from '../user-store.js';
import { existingIds, inChunks, lastPerId } from './batches.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { type Database, readJson } from './database.js';

/** Separator of category_key, the category path as one comparable string. */
const CATEGORY_SEPARATOR = ' > ';

/** The catalog on SQLite or PostgreSQL through Kysely. */
export class SqlItemStore implements ItemStore {
  constructor(private readonly db: Kysely<Database>) {}

  async upsert(workspaceId: string, input: ItemInput[], now: number): Promise<UpsertCounts> {
    const items = lastPerId(input);
    return this.db.transaction().execute(async (tx) => {
      const existing = await existingIds(tx, 'items', workspaceId, items.map((i) => i.id));
      for (const chunk of inChunks(items, 500)) {
        await tx.insertInto('items').values(chunk.map((item) => toRow(workspaceId, item, now)))
          .onConflict((oc) => oc.columns(['workspace_id', 'id']).doUpdateSet((eb) => ({
            title: eb.ref('excluded.title'), description: eb.ref('excluded.description'), translations: eb.ref('excluded.translations'),
            category_path: eb.ref('excluded.category_path'), category_key: eb.ref('excluded.category_key'), brand: eb.ref('excluded.brand'),
            price: eb.ref('excluded.price'), currency: eb.ref('excluded.currency'), tags: eb.ref('excluded.tags'),
            image_url: eb.ref('excluded.image_url'), attributes: eb.ref('excluded.attributes'), stock: eb.ref('excluded.stock'),
            sponsored: eb.ref('excluded.sponsored'), updated_at: eb.ref('excluded.updated_at'), deleted_at: null,
          })))
          .execute();
      }
      const updated = items.filter((i) => existing.has(i.id)).length;
      return { created: items.length - updated, updated };
    });
  }

  async get(workspaceId: string, id: string, options: { includeDeleted?: boolean } = {}): Promise<Item | undefined> {
    let query = this.db.selectFrom('items').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
    if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
    const row = await query.executeTakeFirst();
    return row && toItem(row);
  }

  async list(workspaceId: string, query: ItemListQuery): Promise<Page<Item>> {
    let q = this.db.selectFrom('items').selectAll().where('workspace_id', '=', workspaceId);
    if (!query.includeDeleted) q = q.where('deleted_at', 'is', null);
    if (query.cursor) q = q.where('id', '>', decodeCursor<string>(query.cursor, 'string'));
    if (query.categoryPrefix?.length) {
      const key = query.categoryPrefix.join(CATEGORY_SEPARATOR);
      const child = key + CATEGORY_SEPARATOR;
      q = q.where((eb) => eb.or([
        eb('category_key', '=', key),
        eb(sql<string>`substr(category_key, 1, ${child.length})`, '=', child),
      ]));
    }
    const rows = await q.orderBy('id').limit(query.limit + 1).execute();
    const items = rows.slice(0, query.limit).map(toItem);
    return rows.length > query.limit ? { items, nextCursor: encodeCursor(items[items.length - 1]!.id) } : { items };
  }

  async softDelete(workspaceId: string, id: string, at: number): Promise<boolean> {
    const result = await this.db.updateTable('items').set({ deleted_at: at, updated_at: at })
      .where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async count(workspaceId: string): Promise<number> {
    const row = await this.db.selectFrom('items').select((eb) => eb.fn.countAll().as('n'))
      .where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function toRow(workspaceId: string, item: ItemInput, now: number): Database['items'] {
  const categoryPath = item.categoryPath ?? [];
  return {
    workspace_id: workspaceId, id: item.id, title: item.title, description: item.description ?? null,
    translations: JSON.stringify(item.translations ?? {}), category_path: JSON.stringify(categoryPath),
    category_key: categoryPath.join(CATEGORY_SEPARATOR), brand: item.brand ?? null, price: item.price ?? null,
    currency: item.currency ?? null, tags: JSON.stringify(item.tags ?? []), image_url: item.imageUrl ?? null,
    attributes: JSON.stringify(item.attributes ?? {}), stock: item.stock ?? null, sponsored: item.sponsored ? 1 : 0,
    created_at: parseTimestamp(item.createdAt) ?? now, updated_at: now, deleted_at: null,
  };
}

function toItem(row: Database['items']): Item {
  return {
    workspaceId: row.workspace_id, id: row.id, title: row.title, description: row.description,
    translations: readJson(row.translations, {}), categoryPath: readJson<string[]>(row.category_path, []),
    brand: row.brand, price: row.price === null ? null : Number(row.price), currency: row.currency,
    tags: readJson<string[]>(row.tags, []), imageUrl: row.image_url, attributes: readJson(row.attributes, {}),
    stock: row.stock === null ? null : Number(row.stock), sponsored: Number(row.sponsored) === 1,
    createdAt: Number(row.created_at), updatedAt: Number(row.updated_at), deletedAt: row.deleted_at === null ? null : Number(row.deleted_at),
  };
}
