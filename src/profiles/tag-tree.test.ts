import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../math/random.js';
import { type Label, TagCooccurrence } from './tag-cooccurrence.js';
import { buildTagTree, type TagTreeNode } from './tag-tree.js';
import { DEPARTMENTS, departmentItems } from './tag-tree.fixtures.js';

function find(node: TagTreeNode, id: string): TagTreeNode | undefined {
  if (node.id === id) return node;
  for (const child of node.children) {
    const hit = find(child, id);
    if (hit) return hit;
  }
  return undefined;
}
/** The path of node ids from the root to `id`. */
function pathTo(node: TagTreeNode, id: string, trail: string[] = []): string[] | undefined {
  if (node.id === id) return [...trail, node.id];
  for (const child of node.children) {
    const hit = pathTo(child, id, [...trail, node.id]);
    if (hit) return hit;
  }
  return undefined;
}
function leafIds(node: TagTreeNode): string[] {
  return node.children.length === 0 ? [node.id] : node.children.flatMap(leafIds);
}
function labelsOf(d: (typeof DEPARTMENTS)[number]): string[] {
  return [`category:${d.path.join(' > ')}`, ...d.brands.map((b) => `brand:${b}`), ...d.tags.map((t) => `tag:${t}`)];
}

describe('buildTagTree', () => {
  it('clusters the tags, brands and leaf category that co-occur on items, under the right category', () => {
    const cooc = new TagCooccurrence();
    for (const item of departmentItems(1)) cooc.addItem(item);
    const tree = buildTagTree(cooc);
    expect(tree.children.map((c) => c.id).sort()).toEqual(['category:Audio', 'category:Music', 'category:Sports']);
    for (const d of DEPARTMENTS) {
      const members = labelsOf(d);
      // The cluster holding the department's leaf category holds exactly the department's labels …
      const path = pathTo(tree, members[0]!)!;
      const topCluster = find(tree, path.find((id) => id.startsWith('cluster:'))!)!;
      expect(leafIds(topCluster).sort()).toEqual(members.sort());
      // … and hangs under the parent of that leaf category.
      expect(path[path.indexOf(topCluster.id) - 1]).toBe(`category:${d.path.slice(0, -1).join(' > ')}`);
    }
    // The leaf category is a member (named by its last level); inner categories are the skeleton.
    expect(find(tree, 'category:Audio > Earbuds')).toMatchObject({ name: 'Earbuds', kind: 'category', weight: 12, children: [] });
    expect(find(tree, 'category:Music > Guitars')!.kind).toBe('category');
  });

  it('weighs a label by its baskets and every other node by the sum of its children', () => {
    const cooc = new TagCooccurrence();
    for (const item of departmentItems(2)) cooc.addItem(item);
    const tree = buildTagTree(cooc);
    const check = (node: TagTreeNode): void => {
      if (node.children.length === 0) return;
      expect(node.weight).toBeCloseTo(node.children.reduce((s, c) => s + c.weight, 0), 9);
      for (let i = 1; i < node.children.length; i++) expect(node.children[i - 1]!.weight).toBeGreaterThanOrEqual(node.children[i]!.weight);
      node.children.forEach(check);
    };
    check(tree);
    // 60 items × (leaf category + brand + 2 tags)
    expect(tree.weight).toBe(60 * 4);
    expect(find(tree, 'tag:wireless')!.weight).toBe(cooc.weights[cooc.idOf({ kind: 'tag', name: 'wireless' })!]);
  });

  it('joins departments that users shop together, and places labels seen only in histories', () => {
    const cooc = new TagCooccurrence();
    for (const item of departmentItems(3)) cooc.addItem(item);
    const rng = new SeededRandom(4);
    const [earbuds, headphones] = DEPARTMENTS;
    for (let u = 0; u < 80; u++) {
      // Audio shoppers look at earbuds and headphones, and say 'commute' (a word no item has).
      const labels: Label[] = [
        { kind: 'category', name: earbuds!.path.join(' > ') }, { kind: 'category', name: headphones!.path.join(' > ') },
        { kind: 'tag', name: rng.pick(earbuds!.tags) }, { kind: 'tag', name: rng.pick(headphones!.tags) }, { kind: 'tag', name: 'commute' },
        { kind: 'brand', name: rng.pick([...earbuds!.brands, ...headphones!.brands]) },
      ];
      cooc.addHistory(labels);
    }
    const tree = buildTagTree(cooc);
    const audio = find(tree, 'category:Audio')!;
    expect(audio.children).toHaveLength(1);
    const cluster = audio.children[0]!;
    expect(cluster.kind).toBe('cluster');
    expect(leafIds(cluster).sort()).toEqual([...labelsOf(earbuds!), ...labelsOf(headphones!), 'tag:commute'].sort());
    // The guitars stay apart from audio.
    expect(leafIds(cluster).some((id) => id.includes('Guitars'))).toBe(false);
  });

  it('hangs a new tag beside its nearest known label, and honours maxLabels and minWeight', () => {
    const cooc = new TagCooccurrence();
    for (const item of departmentItems(5)) cooc.addItem(item);
    cooc.addItem({ categoryPath: ['Misc'], tags: ['once'] });
    const tree = buildTagTree(cooc, { newTags: [{ term: 'zorbapods', weight: 30, neighbours: [{ term: 'nothing-known' }, { term: 'Wireless' }] }] });
    const zorba = pathTo(tree, 'tag:zorbapods')!;
    const wireless = pathTo(tree, 'tag:wireless')!;
    expect(zorba.slice(0, -1)).toEqual(wireless.slice(0, -1));
    expect(find(tree, 'tag:once')).toBeUndefined(); // weight 1 < minWeight 2
    const small = buildTagTree(cooc, { maxLabels: 5 });
    expect(leafIds(small)).toHaveLength(5);
    expect(() => buildTagTree(cooc, { cutDistance: 2 })).toThrow(/cutDistance/);
  });

  it('builds from user histories alone (categories without a hierarchy)', () => {
    const cooc = new TagCooccurrence();
    const groups = [['101', '102', '103'], ['201', '202']];
    const rng = new SeededRandom(6);
    for (let u = 0; u < 60; u++) {
      const names = u % 5 === 0 ? ['301'] : rng.sampleWithoutReplacement(groups[u % 2]!, 2);
      cooc.addHistory(names.map((name) => ({ kind: 'category' as const, name })));
    }
    const tree = buildTagTree(cooc);
    const clusters = tree.children.filter((c) => c.kind === 'cluster').map((c) => leafIds(c).sort());
    expect(clusters.sort()).toEqual([['category:101', 'category:102', 'category:103'], ['category:201', 'category:202']]);
    // A category never seen with another stands alone under the root.
    expect(tree.children.find((c) => c.id === 'category:301')).toMatchObject({ kind: 'category', weight: 12, children: [] });
  });
});
