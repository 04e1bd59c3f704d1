import { SeededRandom } from '../../math/random.js';
import { TopKHeap } from '../../math/topk.js';
import type { Recommender } from '../recommender.js';
import type { TrainingData } from '../training-data.js';
import { BeyondAccuracy, rankingMetrics, userAuc } from './metrics.js';
import type { Protocol } from './protocols.js';
import type { Fold, RankingFold, RatingFold } from './splits.js';

/** Metric name → value, named as in the JSON output (`rmse`, `ndcg@10`, …). */
export type Metrics = Record<string, number>;

/**
 * RMSE and MAE of a rating model's predictions for the held-out ratings (Surprise's measures).
 *
 * @example const { rmse, mae } = evaluateRatings(model, fold);
 */
export function evaluateRatings(model: Recommender, fold: RatingFold): Metrics {
  const { user, item, value } = fold.test;
  let se = 0;
  let ae = 0;
  for (let e = 0; e < user.length; e++) {
    const err = model.predict!(user[e]!, item[e]!) - value[e]!;
    se += err * err;
    ae += Math.abs(err);
  }
  const n = Math.max(1, user.length);
  return { rmse: Math.sqrt(se / n), mae: ae / n };
}

export interface RankingOptions {
  k: number;
  /** Also rank each held-out item among this many sampled unseen items (0: full ranking only). */
  sampledNegatives?: number;
  seed?: number | string;
  /** Called after each user with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Full-ranking accuracy of a model on a ranking fold: per test user, every candidate item not seen in
 * training (nor in the user's fold-in items) is scored, the top k are compared with the relevant items.
 * Gives precision, recall, NDCG, MAP, hit rate and MRR @k, AUC, and coverage, novelty, intra-list
 * diversity and Gini of exposure over all lists; with `sampledNegatives`, HR / NDCG / MRR @k when the
 * held-out items compete with that many sampled unseen items only (`sampled_…` keys).
 *
 * @example const metrics = await evaluateRanking(model, fold, trainData, { k: 10 });
 */
export async function evaluateRanking(model: Recommender, fold: RankingFold, train: TrainingData, options: RankingOptions): Promise<Metrics> {
  const { k } = options;
  const sums: Record<string, number> = {};
  const add = (name: string, v: number) => (sums[name] = (sums[name] ?? 0) + v);
  const counts = train.itemCounts();
  const beyond = new BeyondAccuracy(train.numItems, counts, train.numUsers, distinctness(train));
  const rng = new SeededRandom(options.seed ?? 1).fork('sampled-negatives');
  const scores = new Float32Array(train.numItems);
  const heap = new TopKHeap(k);
  let users = 0;
  let aucUsers = 0;
  const total = fold.relevant.size;
  for (const [u, relevant] of fold.relevant) {
    const query = fold.foldIn?.get(u) ?? train.query(u);
    await model.score(query, scores);
    const seen = fold.foldIn ? new Set(query.items) : train.seen(u);
    const candidate = (i: number) => !seen.has(i) && (!fold.candidates || fold.candidates[i] === 1);
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      if (candidate(i)) heap.push(i, Number.isNaN(s) ? -Infinity : s);
    }
    const list = heap.drain().ids;
    const m = rankingMetrics(list, relevant, k);
    add(`precision@${k}`, m.precision);
    add(`recall@${k}`, m.recall);
    add(`ndcg@${k}`, m.ndcg);
    add(`map@${k}`, m.map);
    add(`hit@${k}`, m.hit);
    add(`mrr@${k}`, m.mrr);
    beyond.add(list);
    const auc = userAuc(scores, relevant, candidate);
    if (!Number.isNaN(auc)) {
      add('auc', auc);
      aucUsers++;
    }
    if (options.sampledNegatives) for (const [name, v] of Object.entries(sampledRanking(scores, relevant, candidate, options.sampledNegatives, k, rng))) add(name, v);
    users++;
    options.onProgress?.(users, total);
  }
  const out: Metrics = {};
  for (const [name, v] of Object.entries(sums)) out[name] = v / (name === 'auc' ? Math.max(1, aucUsers) : Math.max(1, users));
  return { ...out, ...beyond.result(), users };
}

/** HR, NDCG and MRR @k of each relevant item ranked among `negatives` sampled unseen candidates. */
function sampledRanking(scores: Float32Array, relevant: ReadonlySet<number>, candidate: (i: number) => boolean, negatives: number, k: number, rng: SeededRandom): Metrics {
  const pool: number[] = [];
  for (let i = 0; i < scores.length; i++) if (candidate(i) && !relevant.has(i)) pool.push(i);
  let hit = 0;
  let ndcg = 0;
  let mrr = 0;
  let n = 0;
  for (const target of relevant) {
    if (!candidate(target)) continue;
    const s = scores[target]!;
    // Rank = 1 + sampled negatives scoring above the target (ties count against it, the strict reading).
    let rank = 1;
    for (let d = 0; d < negatives && pool.length > 0; d++) if (scores[pool[rng.int(pool.length)]!]! >= s) rank++;
    n++;
    if (rank <= k) {
      hit++;
      ndcg += 1 / Math.log2(rank + 1);
    }
    mrr += rank <= k ? 1 / rank : 0;
  }
  const d = Math.max(1, n);
  return { [`sampled_hit@${k}`]: hit / d, [`sampled_ndcg@${k}`]: ndcg / d, [`sampled_mrr@${k}`]: mrr / d };
}

/** Whether two items differ for intra-list diversity: by leaf category when known, else by co-interaction. */
function distinctness(train: TrainingData): (a: number, b: number) => boolean {
  const hasCategories = train.numItems > 0 && train.itemInfo(0)?.category !== undefined;
  if (hasCategories) {
    const leaf = (i: number) => train.itemInfo(i)?.category?.join('/') ?? `#${i}`;
    return (a, b) => leaf(a) !== leaf(b);
  }
  const byItem = train.itemUsers();
  return (a, b) => {
    const x = byItem.rowIndices(a);
    const y = byItem.rowIndices(b);
    let p = 0;
    let q = 0;
    while (p < x.length && q < y.length) {
      if (x[p] === y[q]) return false;
      if (x[p]! < y[q]!) p++;
      else q++;
    }
    return true;
  };
}

/** The metrics of one fitted model on one fold. */
export async function evaluateFold(model: Recommender, fold: Fold, train: TrainingData, protocol: Protocol, k: number, seed: number | string): Promise<Metrics> {
  if (fold.kind === 'rating') return evaluateRatings(model, fold);
  return evaluateRanking(model, fold, train, { k, sampledNegatives: protocol.sampledNegatives, seed });
}
