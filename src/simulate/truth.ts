import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../core/errors.js';
import type { CatalogModel } from './catalog.js';
import type { UserProfile } from './users.js';
import { trueUtility } from './utility.js';
import { CATEGORY_TREE } from './vocabulary/categories.js';

/** What one simulated user is really like. */
export interface TruthUser {
  id: string;
  locale: string;
  /** False when the user declined analytics: the shop has no events of theirs. */
  tracked: boolean;
  /** Share of interest per top category, indexed like `GroundTruth.tops`. */
  topTaste: number[];
  /** Leaves the user cares about: `[leaf index into GroundTruth.leaves, share]`, largest first (shares ≥ 0.005). */
  leafTaste: [number, number][];
  /** 0 (price does not matter) … 1 (very price sensitive). */
  priceSensitivity: number;
  /** Preferred price relative to a category's median price. */
  priceFactor: number;
  /** Brand (as on the items) → affinity, for the user's favourite brands. */
  brandAffinity: Record<string, number>;
  /** The items the user would like most, best first: the top ones by true utility. */
  liked: string[];
}

/**
 * The ground truth of a simulated shop: the latent tastes every event was drawn from, so that a
 * recommender trained on the events can be checked against what users really like (e.g. recall of
 * `liked` in its top-N). Plain JSON: save it with `saveTruth`, read it with `loadTruth`.
 */
export interface GroundTruth {
  version: 1;
  seed: number | string;
  users: number;
  items: number;
  days: number;
  /** Window simulated, epoch ms [start, end). */
  start: number;
  end: number;
  /** Top categories (Chinese names, as in categoryPath[0]). */
  tops: string[];
  /** Leaf categories as `top/sub/leaf` (Chinese, as in categoryPath). */
  leaves: string[];
  /** How many liked items each user lists. */
  likedPerUser: number;
  userTruth: TruthUser[];
  /** Latent quality and popularity of each item, in catalog order. */
  itemTruth: { id: string; quality: number; popularity: number }[];
}

/**
 * Builds the ground truth from the latent model: per user the taste vectors, price sensitivity,
 * brand affinity and the `likedPerUser` items of highest true utility (among all items).
 *
 * @example const truth = computeTruth(catalog, users, { seed: 42, days: 30, start, end });
 */
export function computeTruth(
  catalog: CatalogModel, users: UserProfile[],
  params: { seed: number | string; days: number; start: number; end: number }, likedPerUser = 50,
): GroundTruth {
  const n = catalog.items.length;
  const k = Math.min(likedPerUser, n);
  const scores = new Float64Array(n);
  const order = new Int32Array(n);
  const userTruth = users.map((user): TruthUser => {
    for (let i = 0; i < n; i++) {
      scores[i] = trueUtility(user, catalog, i);
      order[i] = i;
    }
    const best = Array.from(topK(scores, order, k), (i) => catalog.items[i]!.id);
    const leafTaste: [number, number][] = [];
    user.leafTaste.forEach((w, l) => {
      if (w >= 0.005) leafTaste.push([l, round(w)]);
    });
    leafTaste.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const brandAffinity: Record<string, number> = {};
    user.brandAffinity.forEach((a, b) => {
      if (a > 0) brandAffinity[catalog.brands[b]!.en] = round(a);
    });
    return {
      id: user.id, locale: user.locale, tracked: user.consent.analytics, topTaste: Array.from(user.topTaste, round), leafTaste,
      priceSensitivity: round(user.priceSensitivity), priceFactor: round(user.priceFactor), brandAffinity, liked: best,
    };
  });
  return {
    version: 1, seed: params.seed, users: users.length, items: n, days: params.days, start: params.start, end: params.end,
    tops: CATEGORY_TREE.map((t) => t.zh), leaves: catalog.leaves.map((l) => l.pathZh.join('/')), likedPerUser: k, userTruth,
    itemTruth: catalog.items.map((item, i) => ({ id: item.id, quality: round(catalog.quality[i]!), popularity: round(catalog.popularity[i]!) })),
  };
}

/** The indices of the k largest scores, best first (ties by lower index); reorders `order`. */
function topK(scores: Float64Array, order: Int32Array, k: number): Int32Array {
  const better = (a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);
  // Quickselect the k best to the front, then sort only those.
  let lo = 0;
  let hi = order.length - 1;
  while (lo < hi) {
    const pivot = order[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (better(order[i]!, pivot)) i++;
      while (better(pivot, order[j]!)) j--;
      if (i <= j) {
        const t = order[i]!;
        order[i++] = order[j]!;
        order[j--] = t;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else break;
  }
  return order.slice(0, k).sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/**
 * Writes the ground truth as JSON (creating the directory).
 *
 * @example saveTruth(shop.truth, '.shopwise/demo-truth.json');
 */
export function saveTruth(truth: GroundTruth, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(truth));
}

/**
 * Reads a ground truth written by `saveTruth`.
 *
 * @example const truth = loadTruth('.shopwise/demo-truth.json'); truth.userTruth[0]!.liked;
 */
export function loadTruth(path: string): GroundTruth {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('invalid', `cannot read the ground truth ${path}: ${(error as Error).message}`, { field: 'path' }, { cause: error });
  }
  const truth = parsed as Partial<GroundTruth>;
  if (truth.version !== 1 || !Array.isArray(truth.userTruth)) throw AppError.invalid(`${path} is not a Shopwise ground truth (version 1)`, { field: 'path' });
  return truth as GroundTruth;
}
