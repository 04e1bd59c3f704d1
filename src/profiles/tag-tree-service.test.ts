import { describe, expect, it } from 'vitest';
import type { Item, Page } from '../core/catalog.js';
import type { UserProfile } from './profile.js';
import { catalogItems, historyLabels, type ProfileReader, TagTreeService } from './tag-tree-service.js';
import { departmentItems } from './tag-tree.fixtures.js';

function profile(userId: string, categories: [string, number][], brands: [string, number][] = [], tags: [string, number][] = []): UserProfile {
  const list = (xs: [string, number][]) => xs.map(([name, weight]) => ({ name, weight }));
  return {
    workspaceId: 'shop', userId, anonymous: false, consent: 'full', firstSeen: 0, lastSeen: 0, events: 1, eventCounts: {},
    interests: { asOf: 0, halfLifeDays: 14, categories: list(categories), brands: list(brands), tags: list(tags) },
  };
}

function reader(profiles: UserProfile[]): ProfileReader & { reads: number } {
  const byId = new Map(profiles.map((p) => [p.userId, p]));
  return {
    reads: 0,
    profileIds: () => ({ users: [...byId.keys()], anonymous: [] }),
    async getProfile(_ws, id) {
      this.reads++;
      return byId.get(id);
    },
  };
}

/** An ItemStore `list` over the fixture catalog, two items a page. */
function store() {
  const items = departmentItems(1, 2).map((a, i) => ({ id: `p${i}`, categoryPath: a.categoryPath, brand: a.brand, tags: a.tags, price: a.price }) as unknown as Item);
  return {
    async list(_ws: string, q: { limit: number; cursor?: string }): Promise<Page<Item>> {
      const start = q.cursor ? Number(q.cursor) : 0;
      const next = start + q.limit;
      return { items: items.slice(start, next), nextCursor: next < items.length ? String(next) : undefined } as Page<Item>;
    },
  };
}

describe('historyLabels', () => {
  it('takes leaf categories, brands and tags, heaviest first', () => {
    const p = profile('u', [['Audio', 5], ['Audio > Earbuds', 4], ['Music', 1]], [['Jabra', 3]], [['wireless', 2]]);
    expect(historyLabels(p, 10)).toEqual([
      { kind: 'category', name: 'Audio > Earbuds' }, { kind: 'brand', name: 'Jabra' }, { kind: 'tag', name: 'wireless' }, { kind: 'category', name: 'Music' },
    ]);
    expect(historyLabels(p, 2)).toHaveLength(2);
    expect(historyLabels({}, 5)).toEqual([]);
  });
});

describe('TagTreeService', () => {
  it('builds from the catalog and the profiles, caches for refreshMs and shares concurrent builds', async () => {
    let now = 0;
    const profiles = reader([
      profile('a', [['Audio', 2], ['Audio > Earbuds', 1], ['Audio > Headphones', 1]], [['Bose', 1]], [['commute', 1]]),
      profile('b', [['Audio', 2], ['Audio > Earbuds', 1], ['Audio > Headphones', 1]], [['Jabra', 1]], [['commute', 1]]),
    ]);
    const service = new TagTreeService(profiles, { items: catalogItems(store(), 2), refreshMs: 1000, clock: () => now, tree: { minWeight: 1 } });
    const [first, second] = await Promise.all([service.tree('shop'), service.tree('shop')]);
    expect(second).toBe(first);
    expect(profiles.reads).toBe(2);
    expect(first).toMatchObject({ profiles: 2, items: 10, builtAt: 0 });
    expect(first.tree.children.map((c) => c.id)).toContain('category:Audio');
    now = 999;
    expect(await service.tree('shop')).toBe(first);
    now = 1000;
    expect(await service.tree('shop')).not.toBe(first);
    expect(profiles.reads).toBe(4);
  });

  it('hangs promoted trending terms into the tree', async () => {
    const service = new TagTreeService(reader([]), {
      items: catalogItems(store()), tree: { minWeight: 1 },
      newTags: () => [{ term: 'zorbapods', weight: 12, neighbours: [{ term: 'wireless' }] }],
    });
    const { tree } = await service.tree('shop');
    const flat = (n: typeof tree): (typeof tree)[] => [n, ...n.children.flatMap(flat)];
    const parent = flat(tree).find((n) => n.children.some((c) => c.id === 'tag:zorbapods'))!;
    expect(parent.children.map((c) => c.id)).toContain('tag:wireless');
  });
});
