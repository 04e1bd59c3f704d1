import type { ItemStore } from '../storage/item-store.js';
import type { ItemAttributes } from './catalog-source.js';
import type { UserProfile } from './profile.js';
import { type Label, TagCooccurrence } from './tag-cooccurrence.js';
import { buildTagTree, type TagTreeNode, type TagTreeOptions } from './tag-tree.js';

/** What the service reads profiles through (the ProfileProcessor has both). */
export interface ProfileReader {
  profileIds(workspaceId: string): { users: string[]; anonymous: string[] };
  getProfile(workspaceId: string, id: string): Promise<UserProfile | undefined>;
}

export interface TagTreeServiceOptions {
  /** The shop's catalog items (e.g. `catalogItems(storage.items)`): they give co-occurrence and where labels sit. */
  items?: (workspaceId: string) => AsyncIterable<Pick<ItemAttributes, 'categoryPath' | 'brand' | 'tags'>>;
  /** Promoted trending terms to hang beside their neighbours (e.g. from VocabularyTracker.tags). */
  newTags?: (workspaceId: string) => NonNullable<TagTreeOptions['newTags']>;
  /** Rebuild a workspace's tree when it is older than this (default 10 min). */
  refreshMs?: number;
  /** Profiles read per build (default 20 000, spread evenly over the workspace's users). */
  maxProfiles?: number;
  /** Interests of a profile used as its history basket (default 30). */
  labelsPerProfile?: number;
  tree?: TagTreeOptions;
  clock?: () => number;
}

/** A built tree and what it was built from. */
export interface BuiltTagTree {
  tree: TagTreeNode;
  builtAt: number;
  profiles: number;
  items: number;
  seconds: number;
}

/**
 * Keeps each workspace's tag tree (tag-tree.ts), rebuilt from the catalog and the profiles when it is
 * older than `refreshMs`: every item is a basket, and so is every profile's interests (leaf
 * categories, brands and tags, heaviest first). Concurrent requests share one build.
 *
 * @example
 * const tags = new TagTreeService(processor, { items: catalogItems(storage.items), newTags: (ws) => vocabulary.tags(ws).map((t) => ({ term: t.term, weight: t.count, neighbours: t.neighbours })) });
 * const { tree } = await tags.tree('shop');
 */
export class TagTreeService {
  private readonly built = new Map<string, BuiltTagTree>();
  private readonly building = new Map<string, Promise<BuiltTagTree>>();
  private readonly clock: () => number;

  constructor(private readonly profiles: ProfileReader, private readonly options: TagTreeServiceOptions = {}) {
    this.clock = options.clock ?? Date.now;
  }

  /** The workspace's tree, built now if it has none or it is stale. */
  async tree(workspaceId: string): Promise<BuiltTagTree> {
    const known = this.built.get(workspaceId);
    if (known && this.clock() - known.builtAt < (this.options.refreshMs ?? 600_000)) return known;
    let pending = this.building.get(workspaceId);
    if (!pending) {
      pending = this.build(workspaceId).finally(() => this.building.delete(workspaceId));
      this.building.set(workspaceId, pending);
    }
    return pending;
  }

  /** Forgets a workspace's tree (the next request rebuilds it). */
  invalidate(workspaceId: string): void {
    this.built.delete(workspaceId);
  }

  private async build(workspaceId: string): Promise<BuiltTagTree> {
    const started = performance.now();
    const cooc = new TagCooccurrence();
    let items = 0;
    if (this.options.items) {
      for await (const item of this.options.items(workspaceId)) {
        cooc.addItem(item);
        items++;
      }
    }
    const ids = this.profiles.profileIds(workspaceId).users;
    const max = this.options.maxProfiles ?? 20_000;
    const step = Math.max(1, ids.length / max);
    let profiles = 0;
    for (let k = 0; k < ids.length; k += step) {
      const profile = await this.profiles.getProfile(workspaceId, ids[Math.floor(k)]!);
      if (!profile?.interests) continue;
      cooc.addHistory(historyLabels(profile, this.options.labelsPerProfile ?? 30));
      profiles++;
    }
    const tree = buildTagTree(cooc, { ...this.options.tree, newTags: this.options.newTags?.(workspaceId) ?? this.options.tree?.newTags });
    const result = { tree, builtAt: this.clock(), profiles, items, seconds: (performance.now() - started) / 1000 };
    this.built.set(workspaceId, result);
    return result;
  }
}

/**
 * A profile's interests as a history basket, heaviest first: its leaf categories (those without a
 * child category among its interests), brands and tags.
 *
 * @example historyLabels(profile, 30) // [{ kind: 'category', name: 'Audio > Earbuds' }, { kind: 'brand', name: 'Jabra' }, …]
 */
export function historyLabels(profile: Pick<UserProfile, 'interests'>, max: number): Label[] {
  const interests = profile.interests;
  if (!interests) return [];
  const paths = new Set(interests.categories.map((c) => c.name));
  const parents = new Set<string>();
  for (const path of paths) {
    const cut = path.lastIndexOf(' > ');
    if (cut >= 0) parents.add(path.slice(0, cut));
  }
  const weighted: { label: Label; weight: number }[] = [
    ...interests.categories.filter((c) => !parents.has(c.name)).map((c) => ({ label: { kind: 'category' as const, name: c.name }, weight: c.weight })),
    ...interests.brands.map((b) => ({ label: { kind: 'brand' as const, name: b.name }, weight: b.weight })),
    ...interests.tags.map((t) => ({ label: { kind: 'tag' as const, name: t.name }, weight: t.weight })),
  ];
  weighted.sort((a, b) => b.weight - a.weight);
  return weighted.slice(0, max).map((w) => w.label);
}

/**
 * The live items of a workspace, paged from the ItemStore (the `items` option of the service).
 *
 * @example new TagTreeService(processor, { items: catalogItems(storage.items) })
 */
export function catalogItems(store: Pick<ItemStore, 'list'>, pageSize = 1000): (workspaceId: string) => AsyncIterable<ItemAttributes> {
  return async function* (workspaceId: string) {
    let cursor: string | undefined;
    do {
      const page = await store.list(workspaceId, { limit: pageSize, cursor });
      for (const item of page.items) yield { categoryPath: item.categoryPath, brand: item.brand, tags: item.tags, price: item.price };
      cursor = page.nextCursor;
    } while (cursor);
  };
}
