import type { ItemInput } from '../../core/catalog.js';
import { isValidId } from '../../core/ids.js';
import type { ItemStore } from '../../storage/item-store.js';
import type { ItemRef } from './types.js';

/** Most item ids held in memory by default; a larger catalog is checked id by id (once per distinct id and batch). */
export const MAX_KNOWN_ITEMS = 1_000_000;
const PAGE = 5000;
const LOOKUP_CONCURRENCY = 256;

/**
 * Creates minimal catalog items (`Item <id>`, with the category when the data has one) for item ids
 * that an import mentions and the store does not have. Items already in the store (deleted ones too)
 * are never touched, so a catalog with real titles is kept.
 *
 * On the first flush it reads the ids of the catalog once (paged); new ids are then written in one upsert
 * per batch without a query per id. Past MAX_KNOWN_ITEMS it forgets and looks ids up in the store
 * instead (concurrently, once per distinct id in a batch). An item written by someone else between the
 * snapshot and a batch would be replaced by a placeholder, so do not upload a catalog while importing.
 *
 * @example const filler = new CatalogFiller(storage.items, 'demo'); filler.note({ id: '42' }); await filler.flush();
 */
export class CatalogFiller {
  private readonly known = new Set<string>();
  /** True while `known` holds every item id of the store. */
  private complete = false;
  private started = false;
  private pending = new Map<string, string | undefined>();

  private readonly clock: () => number;
  private readonly maxKnown: number;

  constructor(private readonly items: ItemStore, private readonly workspaceId: string, options: { clock?: () => number; maxKnown?: number } = {}) {
    this.clock = options.clock ?? Date.now;
    this.maxKnown = options.maxKnown ?? MAX_KNOWN_ITEMS;
  }

  /** Notes an item id seen in an accepted row. */
  note(ref: ItemRef): void {
    if (this.known.has(ref.id) || !isValidId(ref.id)) return;
    const category = ref.category !== undefined && ref.category.length <= 200 ? ref.category : undefined;
    if (!this.pending.has(ref.id) || (category !== undefined && this.pending.get(ref.id) === undefined)) this.pending.set(ref.id, category);
  }

  /** Creates the noted items that are not in the store yet; returns how many were created. */
  async flush(): Promise<number> {
    if (!this.started) await this.loadKnownIds();
    if (this.pending.size === 0) return 0;
    const pending = this.pending;
    this.pending = new Map();
    let ids = [...pending.keys()].filter((id) => !this.known.has(id));
    if (!this.complete) ids = await this.absentFromStore(ids);
    const missing: ItemInput[] = ids.map((id) => {
      const category = pending.get(id);
      return category === undefined ? { id, title: `Item ${id}` } : { id, title: `Item ${id}`, categoryPath: [category] };
    });
    const created = missing.length === 0 ? 0 : (await this.items.upsert(this.workspaceId, missing, this.clock())).created;
    this.remember(pending.keys());
    return created;
  }

  private async loadKnownIds(): Promise<void> {
    this.started = true;
    if ((await this.items.count(this.workspaceId)) > this.maxKnown) return;
    let cursor: string | undefined;
    do {
      const page = await this.items.list(this.workspaceId, { limit: PAGE, cursor, includeDeleted: true });
      for (const item of page.items) this.known.add(item.id);
      cursor = page.nextCursor;
    } while (cursor !== undefined && this.known.size <= this.maxKnown);
    this.complete = this.known.size <= this.maxKnown;
    if (!this.complete) this.known.clear();
  }

  private async absentFromStore(ids: string[]): Promise<string[]> {
    const absent: string[] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_CONCURRENCY) {
      const chunk = ids.slice(i, i + LOOKUP_CONCURRENCY);
      const found = await Promise.all(chunk.map((id) => this.items.get(this.workspaceId, id, { includeDeleted: true })));
      chunk.forEach((id, j) => found[j] === undefined && absent.push(id));
    }
    return absent;
  }

  private remember(ids: Iterable<string>): void {
    for (const id of ids) this.known.add(id);
    if (this.known.size > this.maxKnown) {
      this.known.clear();
      this.complete = false;
    }
  }
}
