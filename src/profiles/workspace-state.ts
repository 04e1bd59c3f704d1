import type { ItemAttributes } from './catalog-source.js';
import { INTEREST_KIND, SECTION } from './profile-layout.js';
import type { ProfileTable } from './profile-table.js';
import { Interner } from './interner.js';
import { PRICE_BUCKETS } from './price-band.js';

/** An item as profiles use it, resolved once from the catalog. */
export interface CachedItem {
  /** Interest keys (term id × 4 + kind): every level of the category path, the brand, every tag. */
  terms: number[];
  /** Catalog price, NaN when unknown. */
  price: number;
  /** False when the catalog has no such item (the event's own properties are used instead). */
  found: boolean;
  fetchedAt: number;
}

/** The vocabularies of a workspace, as a snapshot stores them. */
export interface WorkspaceExport {
  id: string;
  items: readonly string[];
  categories: readonly string[];
  brands: readonly string[];
  tags: readonly string[];
  names: readonly string[];
  devices: readonly string[];
  queries: readonly string[];
  priceHistogram: number[];
}

/** Category levels are stored as their path from the root, joined like the items API filter. */
export const CATEGORY_SEPARATOR = ' > ';

/**
 * Everything the processor keeps per workspace besides the profiles' rows: the profile index (user and
 * anonymous ids → slots), vocabularies, the item cache, and a histogram of the prices engaged with
 * (the shop's price distribution when its catalog has no prices).
 *
 * @example const ws = new WorkspaceState('shop', 0); ws.users.set('u1', slot);
 */
export class WorkspaceState {
  readonly users = new Map<string, number>();
  readonly anons = new Map<string, number>();
  /** Users who declined analytics: not tracked; value = when their consent was read. */
  readonly untracked = new Map<string, number>();
  readonly items: Interner;
  readonly categories: Interner;
  readonly brands: Interner;
  readonly tags: Interner;
  readonly names: Interner;
  readonly devices: Interner;
  readonly itemCache = new Map<string, CachedItem>();
  /** The searches profiles hold; see compactQueries. */
  queries: Interner;
  /** Compact the search vocabulary when it grows past this. */
  private compactAt = 100_000;
  /** Engaged events per price bucket (price-band.ts `priceBucket`). */
  readonly priceHistogram: Float64Array;
  /** Sorted catalog prices and when they were read. */
  shopPrices: { sorted: Float64Array; loadedAt: number } | undefined;
  /**
   * The shop's clock: the latest event time applied (-Infinity before the first). Profiles are decayed
   * to it, so an imported history (Taobao 2017) reads as of its end, not as of
   * today when every interest would have decayed to nothing. Not in snapshots: a restore takes the
   * latest `lastSeen` of the restored profiles.
   */
  latestEventAt = -Infinity;

  constructor(readonly id: string, readonly index: number, saved?: WorkspaceExport) {
    this.items = new Interner(saved?.items);
    this.categories = new Interner(saved?.categories);
    this.brands = new Interner(saved?.brands);
    this.tags = new Interner(saved?.tags);
    this.names = new Interner(saved?.names);
    this.devices = new Interner(saved?.devices);
    this.queries = new Interner(saved?.queries);
    this.priceHistogram = new Float64Array(PRICE_BUCKETS);
    if (saved) this.priceHistogram.set(saved.priceHistogram.slice(0, PRICE_BUCKETS));
  }

  /** Interest keys of an item: each category level, the brand, each distinct tag. */
  termsOf(attrs: Pick<ItemAttributes, 'categoryPath' | 'brand' | 'tags'>): number[] {
    const terms: number[] = [];
    let path = '';
    for (const level of attrs.categoryPath) {
      if (typeof level !== 'string' || level === '') break;
      path = path === '' ? level : path + CATEGORY_SEPARATOR + level;
      terms.push(this.categories.id(path) * 4 + INTEREST_KIND.category);
    }
    if (typeof attrs.brand === 'string' && attrs.brand !== '') terms.push(this.brands.id(attrs.brand) * 4 + INTEREST_KIND.brand);
    for (const tag of attrs.tags) {
      if (typeof tag !== 'string' || tag === '') continue;
      const key = this.tags.id(tag) * 4 + INTEREST_KIND.tag;
      if (!terms.includes(key)) terms.push(key);
    }
    return terms;
  }

  /** The name of an interest key. */
  termName(key: number): string {
    const id = key >>> 2;
    const kind = key & 3;
    return kind === INTEREST_KIND.category ? this.categories.name(id) : kind === INTEREST_KIND.brand ? this.brands.name(id) : this.tags.name(id);
  }

  /** Caches an item read from the catalog (or its absence), evicting the oldest entries beyond `max`. */
  cacheItem(id: string, attrs: ItemAttributes | undefined, now: number, max: number): void {
    this.itemCache.delete(id);
    const price = attrs?.price;
    this.itemCache.set(id, {
      terms: attrs ? this.termsOf(attrs) : [], price: typeof price === 'number' && Number.isFinite(price) ? price : NaN, found: attrs !== undefined, fetchedAt: now,
    });
    if (this.itemCache.size > max) {
      let drop = Math.ceil(max / 10);
      for (const key of this.itemCache.keys()) {
        if (drop-- <= 0) break;
        this.itemCache.delete(key);
      }
    }
  }

  /**
   * Searches are free text, so their vocabulary would only grow: when it doubles, it is rebuilt from the
   * queries the profiles still hold (each keeps its last few) and their keys renumbered.
   */
  compactQueries(table: ProfileTable): void {
    if (this.queries.size < this.compactAt) return;
    const renumber = new Int32Array(this.queries.size).fill(-1);
    const kept = new Interner();
    for (const index of [this.users, this.anons]) {
      for (const slot of index.values()) {
        const off = table.offset(slot, SECTION.searches);
        const keys = table.arena.keys;
        for (let i = off; i < off + table.length(slot, SECTION.searches); i++) {
          const old = keys[i]!;
          if (renumber[old] === -1) renumber[old] = kept.id(this.queries.name(old));
          keys[i] = renumber[old]!;
        }
      }
    }
    this.queries = kept;
    this.compactAt = Math.max(100_000, 2 * kept.size);
  }

  export(): WorkspaceExport {
    return {
      id: this.id, items: this.items.list().slice(), categories: this.categories.list().slice(), brands: this.brands.list().slice(),
      tags: this.tags.list().slice(), names: this.names.list().slice(), devices: this.devices.list().slice(),
      queries: this.queries.list().slice(), priceHistogram: Array.from(this.priceHistogram),
    };
  }
}
