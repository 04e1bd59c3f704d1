import type { UserQuery } from './training-data.js';

/**
 * The query's item values weighted by how recently each item occurs in its history: an occurrence m
 * steps before the newest one adds 2^(−m / halfLife), so the last few items count most — what a
 * shopper does next follows what they did last. halfLife ≤ 0 returns the values unchanged; items
 * missing from the history keep their value.
 *
 * @example const weighted = recencyWeighted(query, 3); // the newest item 1, three items back 0.5
 */
export function recencyWeighted(query: UserQuery, halfLife: number): Float32Array {
  const { items, values, history } = query;
  if (halfLife <= 0 || history.length === 0) return values;
  const weight = new Map<number, number>();
  const last = history.length - 1;
  for (let p = last; p >= 0; p--) {
    const item = history[p]!;
    weight.set(item, (weight.get(item) ?? 0) + Math.pow(2, -(last - p) / halfLife));
  }
  const out = new Float32Array(items.length);
  for (let k = 0; k < items.length; k++) out[k] = (values[k] ?? 1) * (weight.get(items[k]!) ?? 1);
  return out;
}
