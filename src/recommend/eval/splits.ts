import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { subset, type Interactions } from '../interactions.js';
import type { UserQuery } from '../training-data.js';

/** A rating split: train on `train`, predict the held-out ratings. */
export interface RatingFold {
  kind: 'rating';
  train: Interactions;
  test: { user: Int32Array; item: Int32Array; value: Float32Array };
}

/** A ranking split: per test user, the held-out relevant items to find in a top-k list. */
export interface RankingFold {
  kind: 'ranking';
  train: Interactions;
  relevant: Map<number, Set<number>>;
  /** Cold users: the query to score them from (user -1); the items in it are not candidates. */
  foldIn?: Map<number, UserQuery>;
  /** Cold items: only these items compete (1 = candidate); default every item not seen in training. */
  candidates?: Uint8Array;
}

export type Fold = RatingFold | RankingFold;

/** Index of the row that starts each (user, item) pair, and the pair's rows. */
function pairs(data: Interactions): { user: number; item: number; rows: number[]; first: number; last: number }[] {
  const byKey = new Map<number, { user: number; item: number; rows: number[]; first: number; last: number }>();
  for (let r = 0; r < data.user.length; r++) {
    const key = data.user[r]! * data.items.size + data.item[r]!;
    let p = byKey.get(key);
    if (!p) byKey.set(key, (p = { user: data.user[r]!, item: data.item[r]!, rows: [], first: r, last: r }));
    p.rows.push(r);
    if (data.time[r]! < data.time[p.first]!) p.first = r;
    if (data.time[r]! >= data.time[p.last]!) p.last = r;
  }
  return [...byKey.values()];
}

function shuffled<T>(list: T[], rng: SeededRandom): T[] {
  const out = list.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function byUser<T extends { user: number }>(list: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const p of list) {
    const l = map.get(p.user);
    if (l) l.push(p);
    else map.set(p.user, [p]);
  }
  return map;
}

function rankingFold(data: Interactions, trainRows: number[], relevant: Map<number, Set<number>>, extra: Partial<RankingFold> = {}): RankingFold {
  for (const [u, set] of relevant) if (set.size === 0) relevant.delete(u);
  return { kind: 'ranking', train: subset(data, trainRows), relevant, ...extra };
}

/**
 * Surprise's benchmark protocol: the latest rating of every (user, item) pair, shuffled with the seed
 * and cut into `folds` folds; each fold is the test set once.
 *
 * @example for (const fold of kFoldRatings(data, 5, 42)) …
 */
export function kFoldRatings(data: Interactions, folds: number, seed: number | string): RatingFold[] {
  if (!data.explicit) throw AppError.invalid('rating protocols need ratings (explicit feedback); this data set holds implicit events', { field: 'protocol' });
  if (!(Number.isInteger(folds) && folds >= 2)) throw AppError.invalid(`folds must be a whole number ≥ 2, got ${folds}`, { field: 'folds' });
  const latest = shuffled(pairs(data).map((p) => p.last), new SeededRandom(seed).fork('kfold'));
  return Array.from({ length: folds }, (_, f) => {
    const test: number[] = [];
    const train: number[] = [];
    latest.forEach((r, k) => (k % folds === f ? test : train).push(r));
    return {
      kind: 'rating' as const, train: subset(data, train),
      test: { user: Int32Array.from(test, (r) => data.user[r]!), item: Int32Array.from(test, (r) => data.item[r]!), value: Float32Array.from(test, (r) => data.value[r]!) },
    };
  });
}

/**
 * Microsoft Recommenders' stratified split: per user, a seeded random `ratio` of their distinct items
 * train and the rest are relevant test items (users with one item stay in training only).
 *
 * @example const fold = stratifiedSplit(data, 0.75, 42);
 */
export function stratifiedSplit(data: Interactions, ratio: number, seed: number | string): RankingFold {
  const rng = new SeededRandom(seed).fork('stratified');
  const train: number[] = [];
  const relevant = new Map<number, Set<number>>();
  for (const [u, list] of byUser(pairs(data))) {
    const order = shuffled(list, rng);
    const cut = list.length < 2 ? list.length : Math.min(list.length - 1, Math.max(1, Math.round(list.length * ratio)));
    const test = new Set<number>();
    order.forEach((p, k) => {
      if (k < cut) train.push(...p.rows);
      else test.add(p.item);
    });
    relevant.set(u, test);
  }
  return rankingFold(data, train, relevant);
}

/**
 * Leave one out: per user with two or more distinct items, the item first met last is held out (all
 * rows of that pair leave training).
 *
 * @example const fold = leaveLastOut(data);
 */
export function leaveLastOut(data: Interactions): RankingFold {
  const train: number[] = [];
  const relevant = new Map<number, Set<number>>();
  for (const [u, list] of byUser(pairs(data))) {
    let last = list[0]!;
    for (const p of list) if (data.time[p.first]! > data.time[last.first]! || (data.time[p.first] === data.time[last.first] && p.first > last.first)) last = p;
    for (const p of list) if (p !== last || list.length < 2) train.push(...p.rows);
    if (list.length >= 2) relevant.set(u, new Set([last.item]));
  }
  return rankingFold(data, train, relevant);
}

/**
 * A global time cut: rows before the `ratio` quantile of time train; each training user's items met
 * only after the cut are relevant.
 *
 * @example const fold = temporalSplit(data, 0.8);
 */
export function temporalSplit(data: Interactions, ratio: number): RankingFold {
  const times = Float64Array.from(data.time).sort();
  const cut = times[Math.min(times.length - 1, Math.floor(times.length * ratio))]!;
  const train: number[] = [];
  const later: number[] = [];
  for (let r = 0; r < data.user.length; r++) (data.time[r]! < cut ? train : later).push(r);
  const known = new Set<number>();
  const trainedUsers = new Set<number>();
  for (const r of train) {
    known.add(data.user[r]! * data.items.size + data.item[r]!);
    trainedUsers.add(data.user[r]!);
  }
  const relevant = new Map<number, Set<number>>();
  for (const r of later) {
    const u = data.user[r]!;
    if (!trainedUsers.has(u) || known.has(u * data.items.size + data.item[r]!)) continue;
    if (data.explicit || data.value[r]! > 0) {
      if (!relevant.has(u)) relevant.set(u, new Set());
      relevant.get(u)!.add(data.item[r]!);
    }
  }
  return rankingFold(data, train, relevant);
}

/**
 * Cold users: a seeded `share` of users (with four or more items) leaves training; each is scored from
 * the first half of their items (oldest first) and asked for the rest.
 *
 * @example const fold = coldUserSplit(data, 0.2, 42);
 */
export function coldUserSplit(data: Interactions, share: number, seed: number | string): RankingFold {
  const rng = new SeededRandom(seed).fork('cold-user');
  const train: number[] = [];
  const relevant = new Map<number, Set<number>>();
  const foldIn = new Map<number, UserQuery>();
  for (const [u, list] of byUser(pairs(data))) {
    if (list.length < 4 || rng.next() >= share) {
      for (const p of list) train.push(...p.rows);
      continue;
    }
    list.sort((a, b) => data.time[a.first]! - data.time[b.first]! || a.first - b.first);
    const given = list.slice(0, Math.floor(list.length / 2));
    const items = Int32Array.from(given, (p) => p.item).sort();
    const weight = (p: (typeof list)[number]) => (data.explicit ? 1 : p.rows.reduce((s, r) => s + data.value[r]!, 0));
    const values = Float32Array.from(items, (i) => weight(given.find((p) => p.item === i)!));
    foldIn.set(u, { user: -1, items, values, history: Int32Array.from(given, (p) => p.item) });
    relevant.set(u, new Set(list.slice(given.length).map((p) => p.item)));
  }
  return rankingFold(data, train, relevant, { foldIn });
}

/**
 * Cold items: a seeded `share` of items leaves training entirely; each training user who met some of
 * them must find those among the cold items only (the candidates).
 *
 * @example const fold = coldItemSplit(data, 0.2, 42);
 */
export function coldItemSplit(data: Interactions, share: number, seed: number | string): RankingFold {
  const rng = new SeededRandom(seed).fork('cold-item');
  const cold = new Uint8Array(data.items.size);
  for (let i = 0; i < cold.length; i++) cold[i] = rng.next() < share ? 1 : 0;
  const train: number[] = [];
  const held = new Map<number, Set<number>>();
  const trainedUsers = new Set<number>();
  for (let r = 0; r < data.user.length; r++) {
    const u = data.user[r]!;
    if (!cold[data.item[r]!]) {
      train.push(r);
      trainedUsers.add(u);
    } else if (data.explicit || data.value[r]! > 0) {
      if (!held.has(u)) held.set(u, new Set());
      held.get(u)!.add(data.item[r]!);
    }
  }
  const relevant = new Map<number, Set<number>>();
  for (const [u, set] of held) if (trainedUsers.has(u)) relevant.set(u, set);
  return rankingFold(data, train, relevant, { candidates: cold });
}
