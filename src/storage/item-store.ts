import type { Item, ItemInput, Page } from '../core/catalog.js';
import type { ListQuery, UpsertCounts } from './user-store.js';

export interface ItemListQuery extends ListQuery {
  /** Only items whose category path starts with this one. */
  categoryPrefix?: string[];
}

/** The catalog of a workspace. Deletion is soft (`deletedAt`). */
export interface ItemStore {
  /** Inserts or replaces items (a soft-deleted item comes back); all in one transaction. */
  upsert(workspaceId: string, items: ItemInput[], now: number): Promise<UpsertCounts>;
  get(workspaceId: string, id: string, options?: { includeDeleted?: boolean }): Promise<Item | undefined>;
  list(workspaceId: string, query: ItemListQuery): Promise<Page<Item>>;
  softDelete(workspaceId: string, id: string, at: number): Promise<boolean>;
  count(workspaceId: string): Promise<number>;
}
