import type { Item } from '../core/catalog.js';
import type { UserProfile } from '../profiles/profile.js';
import { matchesSlots, type SearchSlots } from './state/search-slots.js';

export { matchesSlots } from './state/search-slots.js';

/** A scored item id from a recommender (higher is better). */
export interface ScoredId {
  itemId: string;
  score: number;
}

/** Signals that order the products matching a search. */
export interface RankingSignals {
  profile?: UserProfile;
  /** The recommender's list for the shopper, best first. */
  recommended?: readonly ScoredId[];
  /** The shop's popular items, best first. */
  popular?: readonly ScoredId[];
}

function rankScores(list: readonly ScoredId[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  list?.forEach((s, rank) => out.set(s.itemId, 1 / (1 + rank / 10)));
  return out;
}

/**
 * The items matching the slots, best first: the shopper's recommender list (weight 1), their profile's
 * category and brand interests (0.6, relative to their strongest), the shop's popularity (0.3); items
 * out of stock go last; then cheapest first when the shopper asked for cheap things, dearest first for
 * dear ones, else by id (stable). Sponsored items get no boost: they are only flagged. With `limit`,
 * only the best `limit` are kept (no full sort).
 *
 * @example const top = searchProducts(items, state.slots, { profile }, 5);
 */
export function searchProducts(items: readonly Item[], slots: SearchSlots, signals: RankingSignals = {}, limit = Infinity): Item[] {
  const rec = rankScores(signals.recommended);
  const pop = rankScores(signals.popular);
  const interests = signals.profile?.interests;
  const categoryWeight = new Map((interests?.categories ?? []).map((i) => [i.name, i.weight]));
  const brandWeight = new Map((interests?.brands ?? []).map((i) => [i.name, i.weight]));
  const maxInterest = Math.max(1e-9, ...categoryWeight.values(), ...brandWeight.values());
  const personal = categoryWeight.size > 0 || brandWeight.size > 0;
  const score = (item: Item): number => {
    let profile = 0;
    if (personal) {
      for (const path of pathKeys(item)) profile += categoryWeight.get(path) ?? 0;
      if (item.brand) profile += brandWeight.get(item.brand) ?? 0;
    }
    return (rec.get(item.id) ?? 0) + (0.6 * profile) / maxInterest + 0.3 * (pop.get(item.id) ?? 0);
  };
  const priceOf = (i: Item) => i.price ?? Infinity;
  const before = (a: Ranked, b: Ranked): number => {
    if (a.out !== b.out) return a.out - b.out;
    if (slots.sort === 'price_asc' && priceOf(a.item) !== priceOf(b.item)) return priceOf(a.item) - priceOf(b.item);
    if (slots.sort === 'price_desc' && priceOf(a.item) !== priceOf(b.item)) return priceOf(b.item) - priceOf(a.item);
    if (a.score !== b.score) return b.score - a.score;
    return a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0;
  };
  const best: Ranked[] = [];
  for (const item of items) {
    if (!matchesSlots(item, slots)) continue;
    const ranked = { item, score: score(item), out: item.stock === 0 ? 1 : 0 };
    if (best.length >= limit && before(ranked, best[best.length - 1]!) >= 0) continue;
    // Insertion into the (short) sorted list of the best so far; a full sort when there is no limit.
    if (limit === Infinity) best.push(ranked);
    else {
      let at = best.length;
      while (at > 0 && before(ranked, best[at - 1]!) < 0) at--;
      best.splice(at, 0, ranked);
      if (best.length > limit) best.pop();
    }
  }
  if (limit === Infinity) best.sort(before);
  return best.map((m) => m.item);
}

interface Ranked {
  item: Item;
  score: number;
  out: number;
}

const pathMemo = new WeakMap<Item, string[]>();

/** The item's category path prefixes joined by " > ", as profiles name category interests. */
function pathKeys(item: Item): string[] {
  let keys = pathMemo.get(item);
  if (!keys) {
    keys = item.categoryPath.map((_, d) => item.categoryPath.slice(0, d + 1).join(' > '));
    pathMemo.set(item, keys);
  }
  return keys;
}
