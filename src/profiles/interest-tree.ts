import type { Interest, UserProfile } from './profile.js';
import type { TagTreeNode } from './tag-tree.js';
import { CATEGORY_SEPARATOR } from './workspace-state.js';

/** A node of a user's interest tree: shares of the user's interest mass. */
export interface InterestTreeNode {
  id: string;
  name: string;
  kind: TagTreeNode['kind'] | 'other';
  /** Share of the user's interest in this node and below it (the root has 1). */
  weight: number;
  /** Share of the user's interest in this node itself. */
  own: number;
  children: InterestTreeNode[];
}

export interface InterestTreeOptions {
  /** Leave out nodes with a smaller share (default 0: keep every node with interest); their weight stays in the parent's. */
  minShare?: number;
}

/**
 * A user's own weight on each label of the tag tree. Brands and tags are the profile's interests as
 * they are. A category interest counts every level of the paths engaged with (an event in
 * "Audio > Earbuds" adds to "Audio" too), so a category's own weight is its interest minus that of
 * its child categories: propagating up the tree then gives each category its interest back.
 *
 * @example ownInterestWeights({ categories: [{ name: 'Audio', weight: 3 }, { name: 'Audio > Earbuds', weight: 2 }], brands: [], tags: [] })
 * // Map { 'category:Audio' => 1, 'category:Audio > Earbuds' => 2 }
 */
export function ownInterestWeights(interests: Pick<NonNullable<UserProfile['interests']>, 'categories' | 'brands' | 'tags'>): Map<string, number> {
  const own = new Map<string, number>();
  const byPath = new Map(interests.categories.map((c) => [c.name, c.weight]));
  const childSum = new Map<string, number>();
  for (const { name, weight } of interests.categories) {
    const cut = name.lastIndexOf(CATEGORY_SEPARATOR);
    if (cut >= 0 && byPath.has(name.slice(0, cut))) childSum.set(name.slice(0, cut), (childSum.get(name.slice(0, cut)) ?? 0) + weight);
  }
  for (const { name, weight } of interests.categories) add(own, `category:${name}`, Math.max(0, weight - (childSum.get(name) ?? 0)));
  const addAll = (kind: string, list: readonly Interest[]) => list.forEach(({ name, weight }) => add(own, `${kind}:${name}`, weight));
  addAll('brand', interests.brands);
  addAll('tag', interests.tags);
  return own;
}

/**
 * A user's interest tree: their interest weights (UserProfile.interests) placed on the shop's tag
 * tree and propagated up — a node's weight is its own plus its children's — then normalised so the
 * root is 1. Only nodes with interest appear, heaviest first. A category missing from the tag tree
 * adds to its nearest ancestor that is in it; a brand or tag missing from it goes under `other`.
 * Undefined when the profile has no interests (personalization declined).
 *
 * @example
 * const tree = interestTree(profile, tagTree, { minShare: 0.01 });
 * tree?.children[0]; // { id: 'category:Audio', weight: 0.62, own: 0, children: […] }
 */
export function interestTree(profile: Pick<UserProfile, 'interests'>, tagTree: TagTreeNode, options: InterestTreeOptions = {}): InterestTreeNode | undefined {
  if (!profile.interests) return undefined;
  const own = ownInterestWeights(profile.interests);
  const inTree = new Set<string>();
  const collect = (node: TagTreeNode): void => {
    inTree.add(node.id);
    node.children.forEach(collect);
  };
  collect(tagTree);
  const other: TreeShape & { children: TreeShape[] } = { id: 'other', name: 'other', kind: 'other', children: [] };
  for (const [id, weight] of [...own]) {
    if (inTree.has(id) || weight <= 0) continue;
    const ancestor = id.startsWith('category:') ? nearestAncestor(id.slice('category:'.length), inTree) : undefined;
    if (ancestor) {
      own.delete(id);
      add(own, ancestor, weight);
    } else {
      const kind = id.startsWith('brand:') ? 'brand' : id.startsWith('tag:') ? 'tag' : 'category';
      other.children.push({ id, name: id.slice(id.indexOf(':') + 1), kind, children: [] });
    }
  }
  const shape: TreeShape = other.children.length > 0 ? { ...tagTree, children: [...tagTree.children, other] } : tagTree;
  const root = propagate(shape, own);
  if (!root) return { id: tagTree.id, name: tagTree.name, kind: tagTree.kind, weight: 0, own: 0, children: [] };
  normalise(root, root.weight, options.minShare ?? 0);
  return root;
}

/** The part of a tree propagation reads: the tag tree, plus the `other` node. */
interface TreeShape {
  id: string;
  name: string;
  kind: InterestTreeNode['kind'];
  children: readonly TreeShape[];
}

function propagate(node: TreeShape, own: ReadonlyMap<string, number>): InterestTreeNode | undefined {
  const children: InterestTreeNode[] = [];
  let weight = own.get(node.id) ?? 0;
  const self = weight;
  for (const child of node.children) {
    const c = propagate(child, own);
    if (c) {
      children.push(c);
      weight += c.weight;
    }
  }
  if (!(weight > 0)) return undefined;
  children.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : 1));
  return { id: node.id, name: node.name, kind: node.kind, weight, own: self, children };
}

/** Divides by the total; children under `minShare` are dropped into their parent's own share. */
function normalise(node: InterestTreeNode, total: number, minShare: number): void {
  node.weight /= total;
  node.own /= total;
  const kept: InterestTreeNode[] = [];
  for (const child of node.children) {
    if (child.weight / total < minShare) node.own += child.weight / total;
    else {
      normalise(child, total, minShare);
      kept.push(child);
    }
  }
  node.children = kept;
}

function nearestAncestor(path: string, inTree: ReadonlySet<string>): string | undefined {
  let p = path;
  for (let cut = p.lastIndexOf(CATEGORY_SEPARATOR); cut >= 0; cut = p.lastIndexOf(CATEGORY_SEPARATOR)) {
    p = p.slice(0, cut);
    if (inTree.has(`category:${p}`)) return `category:${p}`;
  }
  return undefined;
}

function add(map: Map<string, number>, key: string, weight: number): void {
  map.set(key, (map.get(key) ?? 0) + weight);
}
