import { AppError } from '../core/errors.js';
import { csrMulTransposed } from '../math/sparse-product.js';
import { CsrMatrix } from '../math/sparse.js';
import { averageLinkage, type Dendrogram } from './average-linkage.js';
import { labelKey, type TagCooccurrence } from './tag-cooccurrence.js';
import { CATEGORY_SEPARATOR } from './workspace-state.js';

/** A node of the tag tree (and of a user's interest tree). */
export interface TagTreeNode {
  /** `root`, `category:<path>`, `brand:<name>`, `tag:<name>`, `cluster:<heaviest member key>/<size>`. */
  id: string;
  name: string;
  kind: 'root' | 'category' | 'cluster' | 'brand' | 'tag';
  /** Basket weight of a label; of a cluster or category, its own plus its children's. */
  weight: number;
  children: TagTreeNode[];
}

export interface TagTreeOptions {
  /** Labels clustered (default 1 000, the heaviest): the distance matrix is n². */
  maxLabels?: number;
  /** Basket weight a label needs (default 2). */
  minWeight?: number;
  /** Top-level clusters are the subtrees merged below this average distance, 1 − cosine (default 0.8). */
  cutDistance?: number;
  /** A merge within this distance of its parent's is flattened into the parent (default 0.1), so the tree is not binary. */
  levelGap?: number;
  /** 'ppmi' (default): positive pointwise mutual information, so popular labels do not look alike; 'count': raw co-occurrence. */
  weighting?: 'ppmi' | 'count';
  /** Members named in a cluster's name (default 3). */
  nameMembers?: number;
  /** Tags to hang next to their nearest known label (promoted trending terms with their neighbours). */
  newTags?: readonly { term: string; weight: number; neighbours: readonly { term: string }[] }[];
}

/**
 * The tag tree of a shop: labels that co-occur (TagCooccurrence) clustered by average linkage on the
 * cosine of their co-occurrence vectors, joined to the category tree. The vectors are rows of the
 * co-occurrence matrix, PPMI-weighted by default, with the diagonal set to the row's largest value (a
 * label is like itself; otherwise two labels that only ever occur together would be orthogonal).
 *
 * The dendrogram is cut at `cutDistance` into clusters; inside a cluster, merges close in height are
 * flattened into multi-way nodes. Each cluster (or lone label) hangs under the deepest category that
 * holds more than half of its members — a member's place is where its items sit (the parent of
 * their leaf category; for a leaf category, its parent) — or under the root. Categories that never
 * hold a cluster do not appear; inner categories are the skeleton and are not clustered.
 *
 * @example
 * const tree = buildTagTree(cooc, { maxLabels: 500 });
 * tree.children[0]; // { id: 'category:Audio', kind: 'category', weight, children: [{ kind: 'cluster', … }] }
 */
export function buildTagTree(cooc: TagCooccurrence, options: TagTreeOptions = {}): TagTreeNode {
  const o = { maxLabels: 1000, minWeight: 2, cutDistance: 0.8, levelGap: 0.1, weighting: 'ppmi' as const, nameMembers: 3, ...options };
  if (!(Number.isInteger(o.maxLabels) && o.maxLabels >= 1)) throw AppError.invalid(`maxLabels must be an integer ≥ 1, got ${o.maxLabels}`, { field: 'maxLabels' });
  if (!(o.cutDistance >= 0 && o.cutDistance <= 1)) throw AppError.invalid(`cutDistance must be in [0, 1], got ${o.cutDistance}`, { field: 'cutDistance' });
  const { labels, weights } = cooc;
  const selected = labels.map((_, i) => i)
    .filter((i) => weights[i]! >= o.minWeight && !(labels[i]!.kind === 'category' && cooc.innerPaths.has(labels[i]!.name)))
    .sort((a, b) => weights[b]! - weights[a]! || (labelKey(labels[a]!) < labelKey(labels[b]!) ? -1 : 1))
    .slice(0, o.maxLabels);
  const counts = cooc.matrix();
  const n = selected.length;
  const dendrogram = averageLinkage(distanceMatrix(labelVectors(counts, selected, o.weighting)), n);

  const leaf = (i: number): TagTreeNode => {
    const label = labels[selected[i]!]!;
    const name = label.kind === 'category' ? lastLevel(label.name) : label.name;
    return { id: labelKey(label), name, kind: label.kind, weight: weights[selected[i]!]!, children: [] };
  };
  const homes = selected.map((id) => homeOf(cooc, counts, id));
  const root: TagTreeNode = { id: 'root', name: 'all', kind: 'root', weight: 0, children: [] };
  const categories = new Map<string, TagTreeNode>([['', root]]);
  const category = (path: string): TagTreeNode => {
    const known = categories.get(path);
    if (known) return known;
    const cut = path.lastIndexOf(CATEGORY_SEPARATOR);
    const node: TagTreeNode = { id: `category:${path}`, name: lastLevel(path), kind: 'category', weight: 0, children: [] };
    category(cut < 0 ? '' : path.slice(0, cut)).children.push(node);
    categories.set(path, node);
    return node;
  };
  for (const top of topClusters(dendrogram, o.cutDistance)) {
    const members = leavesOf(dendrogram, top);
    category(placeOf(members.map((i) => homes[i]!))).children.push(toNode(dendrogram, top, leaf, o.levelGap, o.nameMembers));
  }
  // An inner category that is also some item's leaf keeps that weight as its own.
  labels.forEach((label, i) => {
    if (label.kind === 'category' && cooc.innerPaths.has(label.name) && weights[i]! >= o.minWeight) category(label.name).weight += weights[i]!;
  });
  if (o.newTags) attachNewTags(root, o.newTags);
  sumAndSort(root);
  return root;
}

/** Rows of the selected labels: co-occurrence (or its PPMI) with every label, the diagonal set to the row's maximum. */
function labelVectors(counts: CsrMatrix, selected: readonly number[], weighting: 'ppmi' | 'count'): CsrMatrix {
  const rowSums = new Float64Array(counts.rows);
  let total = 0;
  for (let i = 0; i < counts.rows; i++) {
    for (let p = counts.indptr[i]!; p < counts.indptr[i + 1]!; p++) rowSums[i]! += counts.values[p]!;
    total += rowSums[i]!;
  }
  const indptr = new Int32Array(selected.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  selected.forEach((i, r) => {
    const entries: [number, number][] = [];
    let max = 0;
    for (let p = counts.indptr[i]!; p < counts.indptr[i + 1]!; p++) {
      const j = counts.indices[p]!;
      const c = counts.values[p]!;
      const v = weighting === 'count' ? c : Math.max(0, Math.log((c * total) / (rowSums[i]! * rowSums[j]!)));
      if (v > 0) entries.push([j, v]);
      if (v > max) max = v;
    }
    entries.push([i, max > 0 ? max : 1]);
    entries.sort((a, b) => a[0] - b[0]);
    for (const [j, v] of entries) {
      indices.push(j);
      values.push(v);
    }
    indptr[r + 1] = indices.length;
  });
  return new CsrMatrix(selected.length, counts.cols, indptr, Int32Array.from(indices), Float64Array.from(values)).normalizeRows();
}

/** 1 − cosine between every pair of unit rows, dense. */
function distanceMatrix(unit: CsrMatrix): Float64Array {
  const n = unit.rows;
  const d = new Float64Array(n * n).fill(1);
  const cos = csrMulTransposed(unit, unit);
  for (let i = 0; i < n; i++) {
    for (let p = cos.indptr[i]!; p < cos.indptr[i + 1]!; p++) d[i * n + cos.indices[p]!] = Math.min(1, Math.max(0, 1 - cos.values[p]!));
    d[i * n + i] = 0;
  }
  return d;
}

/** Where a label sits: its items' commonest home; else (seen only in histories) the parent of the leaf category it occurs with most. */
function homeOf(cooc: TagCooccurrence, counts: CsrMatrix, id: number): string | undefined {
  const label = cooc.labels[id]!;
  if (label.kind === 'category') return parentPath(label.name);
  const homes = cooc.homes[id];
  if (homes && homes.size > 0) return [...homes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  let best = -1;
  let bestCount = 0;
  for (let p = counts.indptr[id]!; p < counts.indptr[id + 1]!; p++) {
    const j = counts.indices[p]!;
    if (cooc.labels[j]!.kind === 'category' && counts.values[p]! > bestCount) {
      best = j;
      bestCount = counts.values[p]!;
    }
  }
  return best >= 0 ? parentPath(cooc.labels[best]!.name) : undefined;
}

/** The deepest category path holding more than half of the members' homes ('' = the root). */
function placeOf(homes: readonly (string | undefined)[]): string {
  const tally = new Map<string, number>();
  for (const home of homes) {
    if (!home) continue;
    const levels = home.split(CATEGORY_SEPARATOR);
    for (let k = 1; k <= levels.length; k++) {
      const prefix = levels.slice(0, k).join(CATEGORY_SEPARATOR);
      tally.set(prefix, (tally.get(prefix) ?? 0) + 1);
    }
  }
  let best = '';
  let bestDepth = 0;
  for (const [path, count] of tally) {
    const depth = path.split(CATEGORY_SEPARATOR).length;
    if (count * 2 > homes.length && (depth > bestDepth || (depth === bestDepth && path < best))) {
      best = path;
      bestDepth = depth;
    }
  }
  return best;
}

/** Dendrogram nodes (leaf < n, merge n + m) at the top of the cut: merged at or below `cut`, parent above. */
function topClusters(tree: Dendrogram, cut: number): number[] {
  if (tree.n === 0) return [];
  const out: number[] = [];
  const stack = [tree.n === 1 ? 0 : 2 * tree.n - 2];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node < tree.n || tree.height[node - tree.n]! <= cut) out.push(node);
    else stack.push(tree.right[node - tree.n]!, tree.left[node - tree.n]!);
  }
  return out;
}

function leavesOf(tree: Dendrogram, node: number): number[] {
  const out: number[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x < tree.n) out.push(x);
    else stack.push(tree.right[x - tree.n]!, tree.left[x - tree.n]!);
  }
  return out;
}

/** A dendrogram node as a tree node: merges within `gap` of their parent's height are flattened into it. */
function toNode(tree: Dendrogram, node: number, leaf: (i: number) => TagTreeNode, gap: number, nameMembers: number): TagTreeNode {
  if (node < tree.n) return leaf(node);
  const height = tree.height[node - tree.n]!;
  const children: TagTreeNode[] = [];
  const stack = [tree.right[node - tree.n]!, tree.left[node - tree.n]!];
  while (stack.length > 0) {
    const child = stack.pop()!;
    if (child >= tree.n && height - tree.height[child - tree.n]! < gap) stack.push(tree.right[child - tree.n]!, tree.left[child - tree.n]!);
    else children.push(toNode(tree, child, leaf, gap, nameMembers));
  }
  const members = leavesOf(tree, node).map(leaf).sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : 1));
  return {
    id: `cluster:${members[0]!.id}/${members.length}`, name: members.slice(0, nameMembers).map((m) => m.name).join(' · '), kind: 'cluster', weight: 0, children,
  };
}

/** Hangs each new tag beside its first neighbour found in the tree (by name, ignoring case). */
function attachNewTags(root: TagTreeNode, tags: NonNullable<TagTreeOptions['newTags']>): void {
  const parentOf = new Map<string, TagTreeNode>();
  const ids = new Set<string>();
  const visit = (node: TagTreeNode): void => {
    ids.add(node.id);
    for (const child of node.children) {
      if (child.kind !== 'cluster' && child.kind !== 'category') parentOf.set(child.name.toLowerCase(), node);
      else if (child.kind === 'category' && !parentOf.has(child.name.toLowerCase())) parentOf.set(child.name.toLowerCase(), child);
      visit(child);
    }
  };
  visit(root);
  for (const tag of tags) {
    const id = `tag:${tag.term}`;
    if (ids.has(id)) continue;
    const near = tag.neighbours.map((n) => parentOf.get(n.term.toLowerCase())).find((p) => p !== undefined);
    (near ?? root).children.push({ id, name: tag.term, kind: 'tag', weight: tag.weight, children: [] });
    ids.add(id);
  }
}

/** Weights up the tree (own + children) and children heaviest first. */
function sumAndSort(node: TagTreeNode): number {
  for (const child of node.children) node.weight += sumAndSort(child);
  node.children.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : 1));
  return node.weight;
}

function lastLevel(path: string): string {
  const cut = path.lastIndexOf(CATEGORY_SEPARATOR);
  return cut < 0 ? path : path.slice(cut + CATEGORY_SEPARATOR.length);
}

function parentPath(path: string): string {
  const cut = path.lastIndexOf(CATEGORY_SEPARATOR);
  return cut < 0 ? '' : path.slice(0, cut);
}
