import { AppError } from '../core/errors.js';

/**
 * A dendrogram of `n` leaves (ids 0…n−1): merge m joins `left[m]` and `right[m]` (leaf or earlier
 * merge, merge m having id n + m) at `height[m]`, into a cluster of `size[m]` leaves. Heights never
 * decrease from one merge to the next.
 */
export interface Dendrogram {
  n: number;
  left: Int32Array;
  right: Int32Array;
  height: Float64Array;
  size: Int32Array;
}

/**
 * Agglomerative clustering with average linkage (UPGMA): the distance of two clusters is the mean
 * distance of their members. Computed by the nearest-neighbour chain algorithm (Murtagh 1983) with
 * Lance–Williams updates — O(n²) time on the n×n distance matrix, which it overwrites — then the
 * merges are sorted by height and relabelled with a union–find, as SciPy does.
 *
 * @example
 * // 0 and 1 are close, 2 is far from both
 * const d = new Float64Array([0, 0.1, 0.9, 0.1, 0, 0.8, 0.9, 0.8, 0]);
 * const tree = averageLinkage(d, 3); // merge 0: (0, 1) at 0.1; merge 1: (2, 3) at 0.85
 */
export function averageLinkage(distances: Float64Array, n: number): Dendrogram {
  if (!(Number.isInteger(n) && n >= 0) || distances.length < n * n) throw AppError.invalid(`averageLinkage needs an n×n matrix; got ${distances.length} values for n = ${n}`, { field: 'distances' });
  const d = distances;
  const merges = Math.max(0, n - 1);
  const fromA = new Int32Array(merges);
  const fromB = new Int32Array(merges);
  const at = new Float64Array(merges);
  const size = new Float64Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const chain = new Int32Array(n);
  let length = 0;
  let firstActive = 0;
  for (let m = 0; m < merges; m++) {
    if (length === 0) {
      while (!active[firstActive]) firstActive++;
      chain[length++] = firstActive;
    }
    let x: number;
    let y: number;
    let dxy: number;
    for (;;) {
      x = chain[length - 1]!;
      // Prefer the previous element of the chain on ties, so the chain always ends in a reciprocal pair.
      y = length >= 2 ? chain[length - 2]! : -1;
      dxy = y >= 0 ? d[x * n + y]! : Infinity;
      const row = x * n;
      for (let k = 0; k < n; k++) {
        if (k === x || !active[k]) continue;
        const dk = d[row + k]!;
        if (dk < dxy) {
          dxy = dk;
          y = k;
        }
      }
      if (length >= 2 && y === chain[length - 2]) break;
      chain[length++] = y;
    }
    length -= 2;
    const keep = Math.min(x, y);
    const drop = Math.max(x, y);
    fromA[m] = keep;
    fromB[m] = drop;
    at[m] = dxy;
    const sk = size[keep]!;
    const sd = size[drop]!;
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === keep || k === drop) continue;
      const v = (sk * d[keep * n + k]! + sd * d[drop * n + k]!) / (sk + sd);
      d[keep * n + k] = v;
      d[k * n + keep] = v;
    }
    size[keep] = sk + sd;
    active[drop] = 0;
  }
  return relabel(n, fromA, fromB, at);
}

/** Sorts merges by height (stable) and names each cluster by its merge, through a union–find of the leaves. */
function relabel(n: number, fromA: Int32Array, fromB: Int32Array, at: Float64Array): Dendrogram {
  const merges = fromA.length;
  const order = Array.from({ length: merges }, (_, m) => m).sort((p, q) => at[p]! - at[q]! || p - q);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const nodeOf = Int32Array.from({ length: n }, (_, i) => i);
  const sizeOf = new Int32Array(n).fill(1);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const out: Dendrogram = { n, left: new Int32Array(merges), right: new Int32Array(merges), height: new Float64Array(merges), size: new Int32Array(merges) };
  order.forEach((m, k) => {
    const a = find(fromA[m]!);
    const b = find(fromB[m]!);
    const [l, r] = nodeOf[a]! <= nodeOf[b]! ? [a, b] : [b, a];
    out.left[k] = nodeOf[l]!;
    out.right[k] = nodeOf[r]!;
    out.height[k] = at[m]!;
    out.size[k] = sizeOf[a]! + sizeOf[b]!;
    parent[r] = l;
    nodeOf[l] = n + k;
    sizeOf[l] = out.size[k]!;
  });
  return out;
}
