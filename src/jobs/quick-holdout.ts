import { topK } from '../math/topk.js';
import type { SeededRandom } from '../math/random.js';
import { type Interactions, subset } from '../recommend/interactions.js';
import { type FitOptions, type Recommender, secondsSince } from '../recommend/recommender.js';
import { TrainingData } from '../recommend/training-data.js';

/** A leave-last-out figure measured while training: how often the top k held the user's latest item. */
export interface HoldoutReport {
  protocol: 'leave-last-out';
  /** Users evaluated (a sample of those with at least `minItems` distinct positive items). */
  users: number;
  k: number;
  /** Share of users whose held-out item is in the model's top k (unseen items only). */
  hitRate: number;
  /** The same for the most popular items, as the baseline to read it against. */
  popularityHitRate: number;
  seconds: number;
}

export interface HoldoutOptions {
  rng: SeededRandom;
  /** Most users evaluated (default 500). */
  users?: number;
  k?: number;
  minItems?: number;
  fit?: Omit<FitOptions, 'rng'>;
}

/**
 * A quick held-out figure for a training job: for a sample of users, every row of their latest
 * positively rated (user, item) pair is held out, a fresh model is fitted on the rest, and the hit
 * rate at k of the held items is measured next to popularity's. `undefined` when no user has enough
 * items. It costs one extra fit.
 *
 * @example const figure = await quickHoldout(data, () => createModel('ease'), { rng: rng.fork('holdout') });
 */
export async function quickHoldout(data: Interactions, make: () => Recommender, options: HoldoutOptions): Promise<HoldoutReport | undefined> {
  const started = performance.now();
  const k = options.k ?? 20;
  const held = pickHeldPairs(data, options.minItems ?? 3, options.users ?? 500, options.rng);
  if (held.size === 0) return undefined;
  const rows: number[] = [];
  for (let r = 0; r < data.user.length; r++) if (held.get(data.user[r]!) !== data.item[r]) rows.push(r);
  const train = new TrainingData(subset(data, rows));
  const model = make();
  await model.fit(train, { ...options.fit, rng: options.rng.fork('fit') });
  const popularity = train.itemCounts();
  const scores = new Float32Array(train.numItems);
  let hits = 0;
  let popularHits = 0;
  for (const [user, item] of held) {
    const seen = train.seen(user);
    await model.score(train.query(user), scores);
    if (topK(scores, k, seen).includes(item)) hits++;
    if (topK(popularity, k, seen).includes(item)) popularHits++;
  }
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return { protocol: 'leave-last-out', users: held.size, k, hitRate: round(hits / held.size), popularityHitRate: round(popularHits / held.size), seconds: round(secondsSince(started)) };
}

/** user → the item of their latest positive row, for a random sample of users with enough items. */
function pickHeldPairs(data: Interactions, minItems: number, maxUsers: number, rng: SeededRandom): Map<number, number> {
  const latest = new Int32Array(data.users.size).fill(-1);
  const distinct = new Map<number, Set<number>>();
  for (let r = 0; r < data.user.length; r++) {
    const positive = data.explicit ? data.value[r]! >= 4 : data.value[r]! > 0;
    if (!positive) continue;
    const u = data.user[r]!;
    if (latest[u]! < 0 || data.time[r]! >= data.time[latest[u]!]!) latest[u] = r;
    let set = distinct.get(u);
    if (!set) distinct.set(u, (set = new Set()));
    set.add(data.item[r]!);
  }
  const eligible: number[] = [];
  for (const [u, set] of distinct) if (set.size >= minItems) eligible.push(u);
  eligible.sort((a, b) => a - b);
  // A partial Fisher–Yates shuffle picks the sample.
  const count = Math.min(maxUsers, eligible.length);
  for (let s = 0; s < count; s++) {
    const j = s + rng.int(eligible.length - s);
    [eligible[s], eligible[j]] = [eligible[j]!, eligible[s]!];
  }
  const held = new Map<number, number>();
  for (const u of eligible.slice(0, count).sort((a, b) => a - b)) held.set(u, data.item[latest[u]!]!);
  return held;
}
