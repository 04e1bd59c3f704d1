import type { ItemStore } from '../storage/item-store.js';

/** What a profile needs to know about an item. */
export interface ItemAttributes {
  /** Root to leaf, e.g. ['Music', 'Guitars', 'Acoustic']. */
  categoryPath: string[];
  brand: string | null;
  tags: string[];
  price: number | null;
}

/**
 * The catalog as the profile processor reads it. The default reads the ItemStore; a test or a broker
 * deployment may give any other source.
 */
export interface CatalogSource {
  /** Attributes of those of `ids` that exist in the workspace's catalog (missing ids are absent). */
  items(workspaceId: string, ids: readonly string[]): Promise<Map<string, ItemAttributes>>;
  /** Prices of the workspace's live items, any order (the shop's price distribution). */
  prices(workspaceId: string): Promise<Float64Array>;
}

const CONCURRENT_READS = 32;
const PAGE = 1000;

/**
 * A CatalogSource over the ItemStore: items one `get` each (up to 32 at a time), prices by paging the
 * whole catalog.
 *
 * @example const catalog = catalogFromItemStore(storage.items);
 */
export function catalogFromItemStore(store: ItemStore): CatalogSource {
  return {
    async items(workspaceId, ids) {
      const found = new Map<string, ItemAttributes>();
      for (let start = 0; start < ids.length; start += CONCURRENT_READS) {
        const chunk = ids.slice(start, start + CONCURRENT_READS);
        const items = await Promise.all(chunk.map((id) => store.get(workspaceId, id)));
        items.forEach((item, i) => {
          if (item) found.set(chunk[i]!, { categoryPath: item.categoryPath, brand: item.brand, tags: item.tags, price: item.price });
        });
      }
      return found;
    },
    async prices(workspaceId) {
      const prices: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list(workspaceId, { limit: PAGE, cursor });
        for (const item of page.items) if (item.price !== null && Number.isFinite(item.price)) prices.push(item.price);
        cursor = page.nextCursor;
      } while (cursor);
      return Float64Array.from(prices);
    },
  };
}

/**
 * A CatalogSource over items held in memory (tests, benchmarks, a broker fed with catalog snapshots).
 *
 * @example const catalog = catalogFromMap({ shop: new Map([['sku-1', { categoryPath: ['A'], brand: 'B', tags: [], price: 10 }]]) });
 */
export function catalogFromMap(byWorkspace: Record<string, ReadonlyMap<string, ItemAttributes>>): CatalogSource {
  return {
    async items(workspaceId, ids) {
      const items = byWorkspace[workspaceId];
      const found = new Map<string, ItemAttributes>();
      if (items) for (const id of ids) {
        const item = items.get(id);
        if (item) found.set(id, item);
      }
      return found;
    },
    async prices(workspaceId) {
      const prices: number[] = [];
      for (const item of byWorkspace[workspaceId]?.values() ?? []) if (item.price !== null) prices.push(item.price);
      return Float64Array.from(prices);
    },
  };
}
