import { AppError } from '../core/errors.js';

/**
 * A two-way map between external ids (strings) and dense indices 0…size-1, so models work on typed
 * arrays while the API speaks the shop's ids. Indices are assigned in order of first `add`.
 *
 * @example
 * const users = new IdIndex();
 * users.add('alice'); // 0
 * users.get('alice'); // 0
 * users.idOf(0);      // 'alice'
 */
export class IdIndex {
  private readonly byId = new Map<string, number>();
  private readonly list: string[] = [];

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  get size(): number {
    return this.list.length;
  }

  /** The index of `id`, assigning the next one when it is new. */
  add(id: string): number {
    let index = this.byId.get(id);
    if (index === undefined) {
      index = this.list.length;
      this.byId.set(id, index);
      this.list.push(id);
    }
    return index;
  }

  /** The index of `id`, or -1 when it is unknown. */
  get(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  idOf(index: number): string {
    const id = this.list[index];
    if (id === undefined) throw AppError.invalid(`no id at index ${index} (size ${this.list.length})`, { field: 'index' });
    return id;
  }

  /** The ids in index order (a copy). */
  ids(): string[] {
    return this.list.slice();
  }
}

/** What is known of an item besides its interactions (used by content models and filters). */
export interface ItemInfo {
  /** Category path from root to leaf. */
  category?: string[];
  title?: string;
  description?: string;
  tags?: string[];
  brand?: string;
}

/**
 * Interactions as columns: row r says user `user[r]` did something with item `item[r]` at `time[r]`
 * worth `value[r]` — a rating when `explicit`, otherwise the weight of the event type (negative for
 * negative feedback such as "not interested"). The id indices are shared by every subset, so a model
 * trained on one split scores the items of another with the same indices.
 */
export interface Interactions {
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly user: Int32Array;
  readonly item: Int32Array;
  readonly value: Float32Array;
  /** Epoch ms. */
  readonly time: Float64Array;
  /** True when values are ratings (explicit feedback). */
  readonly explicit: boolean;
  /** Content per item index (may be shorter than items.size; missing means unknown). */
  readonly itemInfo: readonly (ItemInfo | undefined)[];
  /** Free text attached to a row (a review), by row; only the rows of a training split are used. */
  readonly rowText?: readonly (string | undefined)[];
}

/**
 * Collects interactions row by row into growing typed arrays.
 *
 * @example
 * const b = new InteractionsBuilder({ explicit: true });
 * b.push('u1', 'i1', 4, Date.now());
 * const data = b.build();
 */
export class InteractionsBuilder {
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly itemInfo: (ItemInfo | undefined)[] = [];
  private user = new Int32Array(1024);
  private item = new Int32Array(1024);
  private value = new Float32Array(1024);
  private time = new Float64Array(1024);
  private texts: (string | undefined)[] | undefined;
  private n = 0;
  private explicit: boolean;

  constructor(options: { explicit: boolean; users?: IdIndex; items?: IdIndex }) {
    this.explicit = options.explicit;
    this.users = options.users ?? new IdIndex();
    this.items = options.items ?? new IdIndex();
  }

  get length(): number {
    return this.n;
  }

  /** Adds one row; `text` is kept for content models (a review's text). Returns the row number. */
  push(userId: string, itemId: string, value: number, time: number, text?: string): number {
    if (!Number.isFinite(value)) throw AppError.invalid(`interaction value must be a finite number, got ${value}`, { field: 'value', index: this.n });
    if (!Number.isFinite(time)) throw AppError.invalid(`interaction time must be a finite number, got ${time}`, { field: 'time', index: this.n });
    if (this.n === this.user.length) this.grow();
    const r = this.n++;
    this.user[r] = this.users.add(userId);
    this.item[r] = this.items.add(itemId);
    this.value[r] = value;
    this.time[r] = time;
    if (text !== undefined && text !== '') {
      this.texts ??= [];
      this.texts[r] = text;
    }
    return r;
  }

  /** Sets what is known of an item (merged with what was set before). */
  describe(itemId: string, info: ItemInfo): void {
    const index = this.items.add(itemId);
    this.itemInfo[index] = { ...this.itemInfo[index], ...info };
  }

  /** Marks the values as ratings or weights (when the source only becomes clear while reading). */
  setExplicit(explicit: boolean): void {
    this.explicit = explicit;
  }

  build(): Interactions {
    const n = this.n;
    const rowText = this.texts ? Array.from({ length: n }, (_, r) => this.texts![r]) : undefined;
    return {
      users: this.users, items: this.items, explicit: this.explicit, itemInfo: this.itemInfo,
      user: this.user.slice(0, n), item: this.item.slice(0, n), value: this.value.slice(0, n), time: this.time.slice(0, n),
      ...(rowText ? { rowText } : {}),
    };
  }

  private grow(): void {
    const size = this.user.length * 2;
    const grown = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.user = grown(this.user, (k) => new Int32Array(k));
    this.item = grown(this.item, (k) => new Int32Array(k));
    this.value = grown(this.value, (k) => new Float32Array(k));
    this.time = grown(this.time, (k) => new Float64Array(k));
  }
}

/**
 * The rows `rows` of `data` (same id indices, same item info).
 *
 * @example const train = subset(data, trainRows);
 */
export function subset(data: Interactions, rows: ArrayLike<number>): Interactions {
  const n = rows.length;
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const value = new Float32Array(n);
  const time = new Float64Array(n);
  const text: (string | undefined)[] | undefined = data.rowText ? new Array(n) : undefined;
  for (let k = 0; k < n; k++) {
    const r = rows[k]!;
    user[k] = data.user[r]!;
    item[k] = data.item[r]!;
    value[k] = data.value[r]!;
    time[k] = data.time[r]!;
    if (text) text[k] = data.rowText![r];
  }
  return { users: data.users, items: data.items, explicit: data.explicit, itemInfo: data.itemInfo, user, item, value, time, ...(text ? { rowText: text } : {}) };
}
