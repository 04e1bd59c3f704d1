import { AppError } from '../../core/errors.js';
import { IdIndex, type Interactions } from '../interactions.js';

/**
 * The rows of `data` whose user and item each have at least `k` distinct partners, applied until it
 * holds for all (the k-core), re-indexed so that dropped users and items leave no empty rows or
 * columns. k ≤ 1 returns `data` unchanged.
 *
 * @example const core = kCore(data, 5);
 */
export function kCore(data: Interactions, k: number, options: { minUser?: number; minItem?: number } = {}): Interactions {
  const minUser = options.minUser ?? k;
  const minItem = options.minItem ?? k;
  for (const [name, v] of [['k-core', minUser], ['k-core', minItem]] as const) {
    if (!(Number.isInteger(v) && v >= 0)) throw AppError.invalid(`${name} needs a whole number ≥ 0, got ${v}`, { field: 'kcore' });
  }
  if (minUser <= 1 && minItem <= 1) return data;
  const n = data.user.length;
  const alive = new Uint8Array(n).fill(1);
  const pairKey = (r: number) => data.user[r]! * data.items.size + data.item[r]!;
  for (;;) {
    const userDegree = new Int32Array(data.users.size);
    const itemDegree = new Int32Array(data.items.size);
    const pairs = new Set<number>();
    for (let r = 0; r < n; r++) {
      if (!alive[r]) continue;
      const key = pairKey(r);
      if (pairs.has(key)) continue;
      pairs.add(key);
      userDegree[data.user[r]!]!++;
      itemDegree[data.item[r]!]!++;
    }
    let removed = 0;
    for (let r = 0; r < n; r++) {
      if (alive[r] && (userDegree[data.user[r]!]! < minUser || itemDegree[data.item[r]!]! < minItem)) {
        alive[r] = 0;
        removed++;
      }
    }
    if (removed === 0) break;
  }
  const rows: number[] = [];
  for (let r = 0; r < n; r++) if (alive[r]) rows.push(r);
  return compact(data, rows);
}

/**
 * The rows `rows` of `data` with fresh id indices holding only the users and items that occur in
 * them (first occurrence order); item info and row text follow.
 *
 * @example const small = compact(data, [0, 5, 9]);
 */
export function compact(data: Interactions, rows: readonly number[]): Interactions {
  const users = new IdIndex();
  const items = new IdIndex();
  const n = rows.length;
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const value = new Float32Array(n);
  const time = new Float64Array(n);
  const rowText = data.rowText ? new Array<string | undefined>(n) : undefined;
  const itemInfo: Interactions['itemInfo'][number][] = [];
  rows.forEach((r, k) => {
    user[k] = users.add(data.users.idOf(data.user[r]!));
    const before = items.size;
    item[k] = items.add(data.items.idOf(data.item[r]!));
    if (items.size > before) itemInfo[item[k]!] = data.itemInfo[data.item[r]!];
    value[k] = data.value[r]!;
    time[k] = data.time[r]!;
    if (rowText) rowText[k] = data.rowText![r];
  });
  return { users, items, user, item, value, time, explicit: data.explicit, itemInfo, ...(rowText ? { rowText } : {}) };
}

/** Counts for a data set summary line. */
export function describeData(data: Interactions): { rows: number; users: number; items: number; pairs: number; density: number; explicit: boolean } {
  const pairs = new Set<number>();
  for (let r = 0; r < data.user.length; r++) pairs.add(data.user[r]! * data.items.size + data.item[r]!);
  return {
    rows: data.user.length, users: data.users.size, items: data.items.size, pairs: pairs.size,
    density: pairs.size / Math.max(1, data.users.size * data.items.size), explicit: data.explicit,
  };
}
