/**
 * Accuracy of a ranked list against the set of relevant items, with binary relevance (the convention of
 * Microsoft Recommenders and most papers): precision@k, recall@k (relevant found / all relevant),
 * NDCG@k (DCG over the ideal DCG of min(k, |relevant|) hits), AP@k (mean precision at each hit over
 * min(k, |relevant|)), hit@k (any relevant in the list) and reciprocal rank of the first hit.
 *
 * @example rankingMetrics(Int32Array.of(4, 2, 9), new Set([2, 7]), 3) // precision 1/3, recall 1/2, …
 */
export function rankingMetrics(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): { precision: number; recall: number; ndcg: number; map: number; hit: number; mrr: number } {
  let hits = 0;
  let dcg = 0;
  let apSum = 0;
  let firstHit = 0;
  const n = Math.min(k, ranked.length);
  for (let p = 0; p < n; p++) {
    if (!relevant.has(ranked[p]!)) continue;
    hits++;
    dcg += 1 / Math.log2(p + 2);
    apSum += hits / (p + 1);
    if (firstHit === 0) firstHit = p + 1;
  }
  const ideal = Math.min(k, relevant.size);
  let idcg = 0;
  for (let p = 0; p < ideal; p++) idcg += 1 / Math.log2(p + 2);
  return {
    precision: hits / k,
    recall: relevant.size === 0 ? 0 : hits / relevant.size,
    ndcg: idcg === 0 ? 0 : dcg / idcg,
    map: ideal === 0 ? 0 : apSum / ideal,
    hit: hits > 0 ? 1 : 0,
    mrr: firstHit === 0 ? 0 : 1 / firstHit,
  };
}

/**
 * Area under the ROC curve of one user's scores: the chance that a relevant item outscores an
 * irrelevant candidate (ties count half). `candidate(i)` says which items compete (not seen in training).
 *
 * @example userAuc(scores, new Set([3]), (i) => !seen.has(i))
 */
export function userAuc(scores: Float32Array, relevant: ReadonlySet<number>, candidate: (item: number) => boolean): number {
  const positives: number[] = [];
  for (const i of relevant) if (candidate(i)) positives.push(scores[i]!);
  if (positives.length === 0) return NaN;
  positives.sort((a, b) => a - b);
  let wins = 0;
  let negatives = 0;
  for (let i = 0; i < scores.length; i++) {
    if (relevant.has(i) || !candidate(i)) continue;
    negatives++;
    const s = scores[i]!;
    // Positives strictly above s, plus half of those equal to it (binary search on the sorted list).
    const above = positives.length - upperBound(positives, s);
    const equal = upperBound(positives, s) - lowerBound(positives, s);
    wins += above + equal / 2;
  }
  return negatives === 0 ? NaN : wins / (negatives * positives.length);
}

function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What a whole set of recommendation lists does beyond accuracy: catalog coverage (share of items
 * recommended to anyone), novelty (mean −log₂ of the share of training users who know a recommended
 * item), intra-list diversity (mean share of pairs in a list from different categories — or, without
 * categories, with no co-interacting user) and the Gini coefficient of exposure over all items
 * (0: every item shown equally; 1: one item gets everything).
 */
export class BeyondAccuracy {
  private readonly exposure: Float64Array;
  private noveltySum = 0;
  private diversitySum = 0;
  private lists = 0;
  private recommended = 0;

  constructor(
    private readonly numItems: number,
    private readonly popularity: Float64Array,
    private readonly numUsers: number,
    private readonly distinct: (a: number, b: number) => boolean,
  ) {
    this.exposure = new Float64Array(numItems);
  }

  add(list: ArrayLike<number>): void {
    const n = list.length;
    if (n === 0) return;
    this.lists++;
    let pairs = 0;
    let different = 0;
    for (let p = 0; p < n; p++) {
      const i = list[p]!;
      this.exposure[i]!++;
      this.recommended++;
      this.noveltySum += -Math.log2(Math.max(1, this.popularity[i]!) / Math.max(1, this.numUsers));
      for (let q = p + 1; q < n; q++) {
        pairs++;
        if (this.distinct(i, list[q]!)) different++;
      }
    }
    if (pairs > 0) this.diversitySum += different / pairs;
  }

  result(): { coverage: number; novelty: number; diversity: number; gini: number } {
    let covered = 0;
    for (const e of this.exposure) if (e > 0) covered++;
    return {
      coverage: covered / Math.max(1, this.numItems),
      novelty: this.recommended === 0 ? 0 : this.noveltySum / this.recommended,
      diversity: this.lists === 0 ? 0 : this.diversitySum / this.lists,
      gini: gini(this.exposure),
    };
  }
}

/**
 * The Gini coefficient of non-negative values (0 = all equal).
 *
 * @example gini(new Float64Array([1, 1, 1])) // 0
 */
export function gini(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += sorted[i]!;
    weighted += (i + 1) * sorted[i]!;
  }
  return total === 0 || n === 0 ? 0 : (2 * weighted) / (n * total) - (n + 1) / n;
}
