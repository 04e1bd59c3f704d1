// Test fixtures for photo search: a small pictured catalog of a few demo leaves and colours.
import type { Item } from '../../core/catalog.js';
import type { ItemStore } from '../../storage/item-store.js';

export const FIXTURE_LEAVES: string[][] = [
  ['服装', '鞋靴', '运动鞋'], ['数码', '手机', '智能手机'], ['家居', '灯具', '台灯'], ['运动', '球类', '羽毛球拍'],
];
export const FIXTURE_COLOURS = ['Red', 'Blue', 'Green'];

/** `perLeaf` items of every fixture leaf, colours cycling, ids `<leaf>-<colour>-<k>` (all in workspace `ws`). */
export function fixtureItems(perLeaf: number, ws = 'shop', prefix = 'i'): Item[] {
  const items: Item[] = [];
  FIXTURE_LEAVES.forEach((path, l) => {
    for (let k = 0; k < perLeaf; k++) {
      const colour = FIXTURE_COLOURS[k % FIXTURE_COLOURS.length]!;
      items.push({
        workspaceId: ws, id: `${prefix}${l}-${colour}-${k}`, title: `${path[2]} ${colour} ${k}`, description: null, translations: {},
        categoryPath: path, brand: null, price: 10 + k, currency: 'CNY', tags: [], imageUrl: null, attributes: { colorEn: colour },
        stock: 1, sponsored: false, createdAt: 0, updatedAt: 0, deletedAt: null,
      });
    }
  });
  return items;
}

/** An in-memory `list` over a mutable array of items (pages of `limit`, cursor = offset). */
export function memoryItems(items: Item[]): Pick<ItemStore, 'list'> {
  return {
    async list(ws, query) {
      const mine = items.filter((i) => i.workspaceId === ws);
      const from = Number(query.cursor ?? 0);
      const limit = query.limit ?? 100;
      return { items: mine.slice(from, from + limit), nextCursor: from + limit < mine.length ? String(from + limit) : undefined };
    },
  };
}
