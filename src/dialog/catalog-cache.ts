import type { Item } from '../core/catalog.js';
import type { ItemStore } from '../storage/item-store.js';
import { catalogVocabulary, type CatalogVocabulary } from './domain/catalog-vocabulary.js';
import { Gazetteer } from './nlu/gazetteer.js';

/** A workspace's live catalog in memory, with what the dialog derives from it. */
export interface CatalogSnapshot {
  workspaceId: string;
  items: Item[];
  byId: Map<string, Item>;
  /** Changes whenever an item is added, changed or deleted (count and a hash of ids and update times). */
  fingerprint: string;
  /** Changes only when the vocabulary does (brands, categories, colours, sizes): what the NLU is trained on. */
  vocabularyKey: string;
  loadedAt: number;
  vocabulary: CatalogVocabulary;
  gazetteer: Gazetteer;
}

export interface CatalogCacheOptions {
  /** A snapshot older than this (ms) is reloaded in the background on the next read (default 30 000). */
  refreshMs?: number;
  /** Items read per page (default 250: small pages let chat requests run between them during a reload). */
  pageSize?: number;
  clock?: () => number;
}

/**
 * Keeps each workspace's catalog in memory for the dialog (filtering products by slots must not touch
 * storage on every turn): the first read loads it, later reads return the snapshot at once and reload
 * it in the background when it is older than `refreshMs`. Listeners hear when a reload found changes.
 *
 * @example
 * const catalogs = new CatalogCache(storage.items);
 * const { items, gazetteer } = await catalogs.get('demo');
 */
export class CatalogCache {
  private readonly snapshots = new Map<string, CatalogSnapshot>();
  private readonly loading = new Map<string, Promise<CatalogSnapshot>>();
  private readonly listeners: Array<(snapshot: CatalogSnapshot) => void> = [];
  private readonly refreshMs: number;
  private readonly clock: () => number;

  constructor(private readonly store: Pick<ItemStore, 'list'>, private readonly options: CatalogCacheOptions = {}) {
    this.refreshMs = options.refreshMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Calls `listener` with the new snapshot whenever a reload finds the catalog changed. */
  onChange(listener: (snapshot: CatalogSnapshot) => void): void {
    this.listeners.push(listener);
  }

  async get(workspaceId: string): Promise<CatalogSnapshot> {
    const current = this.snapshots.get(workspaceId);
    if (!current) return this.reload(workspaceId);
    if (this.clock() - current.loadedAt > this.refreshMs) void this.reload(workspaceId).catch(() => undefined);
    return current;
  }

  /** Reloads now (one load at a time per workspace) and returns the fresh snapshot. */
  reload(workspaceId: string): Promise<CatalogSnapshot> {
    const running = this.loading.get(workspaceId);
    if (running) return running;
    const load = this.load(workspaceId).finally(() => this.loading.delete(workspaceId));
    this.loading.set(workspaceId, load);
    return load;
  }

  private async load(workspaceId: string): Promise<CatalogSnapshot> {
    const items: Item[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.list(workspaceId, { limit: this.options.pageSize ?? 250, cursor });
      for (const item of page.items) if (item.deletedAt === null) items.push(item);
      cursor = page.nextCursor;
      if (cursor) await new Promise((resolve) => setImmediate(resolve));
    } while (cursor);
    const fingerprint = fingerprintOf(items);
    const previous = this.snapshots.get(workspaceId);
    if (previous && previous.fingerprint === fingerprint) {
      const refreshed = { ...previous, loadedAt: this.clock() };
      this.snapshots.set(workspaceId, refreshed);
      return refreshed;
    }
    const vocabulary = catalogVocabulary(items);
    const vocabularyKey = hashText(JSON.stringify(vocabulary));
    const snapshot: CatalogSnapshot = {
      workspaceId, items, byId: new Map(items.map((i) => [i.id, i])), fingerprint, vocabularyKey, loadedAt: this.clock(),
      vocabulary, gazetteer: previous?.vocabularyKey === vocabularyKey ? previous.gazetteer : Gazetteer.fromVocabulary(vocabulary),
    };
    this.snapshots.set(workspaceId, snapshot);
    if (previous) for (const listener of this.listeners) listener(snapshot);
    return snapshot;
  }
}

function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}:${(h >>> 0).toString(16)}`;
}

function fingerprintOf(items: readonly Item[]): string {
  let h = 0x811c9dc5;
  for (const item of items) {
    const key = `${item.id}\u0000${item.updatedAt}`;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  return `${items.length}:${(h >>> 0).toString(16)}`;
}
