import { type FitOptions, type FitReport, type ModelEntry, BaseRecommender, checkCancelled, secondsSince } from '../recommender.js';
import { arrayOf, decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import type { TrainingData, UserQuery } from '../training-data.js';

export const POPULARITY_PARAMS = {
  mode: { type: 'enum', default: 'global', values: ['global', 'category', 'trending'], doc: 'global counts; counts within the user’s categories; counts decayed by age (trending)' },
  halfLifeDays: { type: 'float', default: 7, min: 0.01, max: 3650, doc: 'trending: an interaction this many days older than the newest counts half', tune: [1, 60], log: true },
} as const;

const DAY = 86_400_000;

/**
 * Popularity, the baseline every model must beat: items by how many users interacted with them
 * (`global`), weighted by the share of the user's history in the item's category (`category`), or with
 * each interaction decayed exponentially by its age relative to the newest one (`trending`).
 *
 * @example const model = POPULARITY.create({ mode: 'trending', halfLifeDays: 3 });
 */
export class Popularity extends BaseRecommender {
  readonly name = 'popularity';
  readonly capabilities = { ratings: false, foldIn: true, content: false, sequential: false };
  readonly params: ParamsOf<typeof POPULARITY_PARAMS>;
  /** Normalised popularity per item (max 1). */
  private popularity = new Float32Array(0);
  /** Category index of each item (-1 unknown), for the category mode. */
  private category = new Int32Array(0);

  constructor(params: Record<string, unknown> = {}) {
    super();
    this.params = resolveParams('popularity', POPULARITY_PARAMS, params);
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    const started = this.begin(data);
    const counts = new Float64Array(data.numItems);
    if (this.params.mode === 'trending') {
      const r = data.ratings();
      let newest = -Infinity;
      for (let e = 0; e < r.time.length; e++) newest = Math.max(newest, r.time[e]!);
      const rate = Math.LN2 / (this.params.halfLifeDays * DAY);
      for (let e = 0; e < r.user.length; e++) if (data.explicit || r.value[e]! > 0) counts[r.item[e]!]! += Math.exp(-rate * (newest - r.time[e]!));
    } else {
      counts.set(data.itemCounts());
    }
    let max = 0;
    for (const c of counts) max = Math.max(max, c);
    this.popularity = Float32Array.from(counts, (c) => (max > 0 ? c / max : 0));
    const names = new Map<string, number>();
    this.category = Int32Array.from({ length: data.numItems }, (_, i) => {
      const path = data.itemInfo(i)?.category;
      if (!path || path.length === 0) return -1;
      const key = path.join('/');
      let id = names.get(key);
      if (id === undefined) names.set(key, (id = names.size));
      return id;
    });
    options.onProgress?.({ step: 1, steps: 1, unit: 'pass' });
    return { seconds: secondsSince(started) };
  }

  score(query: UserQuery, out: Float32Array): void {
    this.requireFitted();
    out.set(this.popularity);
    if (this.params.mode !== 'category' || query.items.length === 0) return;
    const share = new Map<number, number>();
    for (const i of query.items) {
      const c = this.category[i]!;
      if (c >= 0) share.set(c, (share.get(c) ?? 0) + 1 / query.items.length);
    }
    // Popularity breaks ties inside a category and ranks the rest below every category the user knows.
    for (let i = 0; i < out.length; i++) out[i] = (share.get(this.category[i]!) ?? 0) + 1e-3 * this.popularity[i]!;
  }

  protected override similarScores(item: number, out: Float32Array): void {
    // Same category first, then popularity.
    const c = this.category[item]!;
    for (let i = 0; i < out.length; i++) out[i] = (c >= 0 && this.category[i] === c ? 1 : 0) + 1e-3 * this.popularity[i]!;
  }

  save(): Uint8Array {
    return encodeModel({ model: this.name, params: this.params, state: { numUsers: this.numUsers }, arrays: { popularity: this.popularity, category: this.category } });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    this.popularity = arrayOf(file, 'popularity', Float32Array);
    this.category = arrayOf(file, 'category', Int32Array, this.popularity.length);
    this.numItems = this.popularity.length;
    this.numUsers = Number(file.state.numUsers ?? 0);
  }
}

export const POPULARITY: ModelEntry = {
  name: 'popularity',
  description: 'most interacted items: global, within the user’s categories, or trending (decayed by age)',
  spec: POPULARITY_PARAMS,
  capabilities: { ratings: false, foldIn: true, content: false, sequential: false },
  create: (params) => new Popularity(params),
};
