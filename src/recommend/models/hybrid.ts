import { AppError, isAppError } from '../../core/errors.js';
import { arrayOf, decodeModel, encodeModel } from '../model-file.js';
import { type ParamsOf, resolveParams } from '../params.js';
import {
  type FitOptions, type FitReport, type ModelCapabilities, type ModelEntry, type Recommender,
  BaseRecommender, checkCancelled, secondsSince,
} from '../recommender.js';
import type { TrainingData, UserQuery } from '../training-data.js';
import { type BlendFit, fitPairwiseLogistic, validationSplit, zScores } from './hybrid-blend.js';

/** Makes a component by its registry name (the registry passes its `createModel`). */
export type ComponentFactory = (name: string, params: Record<string, unknown>) => Recommender;

/**
 * The components blended when `components` is not given: the two sequential models, recency-weighted
 * ItemKNN, content and popularity — the blend that ranked best on the Amazon and Taobao sets (README).
 */
export const DEFAULT_HYBRID_COMPONENTS = 'sasrec,gru4rec,item-knn,content,popularity';

/** Component params applied under the given ones (item-knn in a blend weighs the last items most). */
const DEFAULT_COMPONENT_PARAMS: Record<string, Record<string, unknown>> = { 'item-knn': { recency: 2 } };

export const HYBRID_PARAMS = {
  validationShare: { type: 'float', default: 0.3, min: 0.01, max: 1, doc: 'share of the users (with ≥ 2 items) whose newest item is held out to learn the weights', tune: [0.1, 0.6] },
  maxValidationUsers: { type: 'int', default: 5000, min: 1, max: 10_000_000, doc: 'at most this many validation users (bounds the scoring work of a fit)' },
  negatives: { type: 'int', default: 50, min: 1, max: 100_000, doc: 'random unseen items compared with each validation positive', tune: [10, 300], log: true },
  reg: { type: 'float', default: 1e-3, min: 0, max: 1000, doc: 'L2 penalty on the blend weights', tune: [1e-5, 1], log: true },
  iterations: { type: 'int', default: 50, min: 1, max: 1000, doc: 'Newton iterations of the weight fit (it usually converges in under ten)' },
} as const;

/** The two parameters that are text, not numbers (ParamSpec has no string type), checked here. */
const TEXT_PARAMS = ['components'];

interface Parsed {
  names: string[];
  /** Per component, the `name.param` values given for it. */
  componentParams: Map<string, Record<string, unknown>>;
  own: Record<string, unknown>;
}

function parseHybridParams(given: Record<string, unknown>): Parsed {
  const raw = given.components ?? DEFAULT_HYBRID_COMPONENTS;
  if (typeof raw !== 'string') throw AppError.invalid(`hybrid: parameter components must be registry names separated by "," or "+", got ${JSON.stringify(raw)}`, { field: 'params.components' });
  const names = raw.split(/[,+]/).map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw AppError.invalid('hybrid: parameter components names no model; give registry names separated by "," or "+", e.g. ease+content', { field: 'params.components' });
  const repeated = names.find((n, k) => names.indexOf(n) !== k);
  if (repeated) throw AppError.invalid(`hybrid: component ${repeated} is listed twice; each model may appear once`, { field: 'params.components' });
  if (names.includes('hybrid')) throw AppError.invalid('hybrid: a hybrid cannot blend another hybrid; list its components instead', { field: 'params.components' });
  const componentParams = new Map(names.map((n) => [n, { ...DEFAULT_COMPONENT_PARAMS[n] } as Record<string, unknown>]));
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    if (TEXT_PARAMS.includes(key)) continue;
    const dot = key.indexOf('.');
    if (dot < 0) {
      own[key] = value;
      continue;
    }
    const target = componentParams.get(key.slice(0, dot));
    if (!target) throw AppError.invalid(`hybrid: parameter ${key} is for component ${key.slice(0, dot)}, which is not among the components ${names.join(', ')}`, { field: `params.${key}` });
    target[key.slice(dot + 1)] = value;
  }
  return { names, componentParams, own };
}

function capabilitiesOf(components: readonly Recommender[]): ModelCapabilities {
  return {
    ratings: false,
    foldIn: components.every((c) => c.capabilities.foldIn),
    content: components.some((c) => c.capabilities.content),
    sequential: components.some((c) => c.capabilities.sequential),
  };
}

/**
 * A learned blend of other recommenders. `fit` holds out the newest item of a share of the users,
 * fits every component on the rest, standardises each component's scores per user (z-scores over the
 * items the user has not interacted with, so scales as different as cosines and counts compare) and
 * learns one weight per component with a pairwise logistic objective (held-out positive above sampled
 * unseen items); then it refits the components on all the data. A score is Σ w_c·z_c.
 *
 * Parameters: `components` — registry names separated by "," or "+" (use "+" on a command line,
 * whose --params list is comma-separated); `<component>.<param>` — a parameter of one component, e.g.
 * `content.mode=embedding`; and the numbers of {@link HYBRID_PARAMS}.
 *
 * @example const model = new LearnedHybrid(createModel, { components: 'ease+content', 'content.mode': 'tfidf' });
 */
export class LearnedHybrid extends BaseRecommender {
  readonly name = 'hybrid';
  readonly capabilities: ModelCapabilities;
  readonly params: Readonly<Record<string, unknown>>;
  private readonly blend: ParamsOf<typeof HYBRID_PARAMS>;
  private readonly names: string[];
  private readonly components: Recommender[];
  private weights: Float64Array = new Float64Array(0);

  constructor(create: ComponentFactory, params: Record<string, unknown> = {}) {
    super();
    const { names, componentParams, own } = parseHybridParams(params);
    this.blend = resolveParams('hybrid', HYBRID_PARAMS, own);
    this.names = names;
    this.components = names.map((name) => {
      try {
        return create(name, componentParams.get(name)!);
      } catch (cause) {
        if (isAppError(cause) && cause.kind === 'invalid') throw new AppError('invalid', `hybrid: component ${name}: ${cause.message}`, { field: 'params.components' }, { cause });
        throw cause;
      }
    });
    const dotted = Object.fromEntries(Object.entries(params).filter(([k]) => k.includes('.')));
    this.params = { components: names.join(','), ...this.blend, ...dotted };
    this.capabilities = capabilitiesOf(this.components);
  }

  async fit(data: TrainingData, options: FitOptions): Promise<FitReport> {
    checkCancelled(options.signal);
    const started = this.begin(data);
    const steps = 2 * this.components.length + 1;
    let step = 0;
    const progress = () => options.onProgress?.({ step: ++step, steps, unit: 'stage' });
    const split = validationSplit(data, this.blend.validationShare, this.blend.maxValidationUsers, options.rng.fork('validation-users'));
    const fitAll = async (train: TrainingData, label: string) => {
      for (let c = 0; c < this.components.length; c++) {
        checkCancelled(options.signal);
        const rng = options.rng.fork(`${label}:${this.names[c]}`);
        await this.components[c]!.fit(train, { rng, ...(options.signal ? { signal: options.signal } : {}), ...(options.pool ? { pool: options.pool } : {}) });
        progress();
      }
    };
    const componentsCount = this.components.length;
    let fitted: BlendFit = { weights: new Float64Array(componentsCount).fill(1 / componentsCount), logLikelihood: 0, pairAccuracy: 0 };
    let single: number[] = [];
    if (split.users.length > 0) {
      await fitAll(split.train, 'validation');
      const { diffs, pairs } = await this.pairDiffs(split.train, split.users, split.positives, options);
      fitted = fitPairwiseLogistic(diffs, pairs, componentsCount, this.blend.reg, this.blend.iterations);
      single = this.components.map((_, c) => pairAccuracyOf(diffs, pairs, componentsCount, c));
    }
    // No user has two items: nothing to learn from, so the components count equally (reported below).
    this.weights = fitted.weights;
    progress();
    await fitAll(data, 'final');
    return {
      seconds: secondsSince(started),
      validationUsers: split.users.length,
      weights: Object.fromEntries(this.names.map((n, c) => [n, this.weights[c]!])),
      pairAccuracy: fitted.pairAccuracy,
      componentPairAccuracy: Object.fromEntries(this.names.map((n, c) => [n, single[c] ?? 0])),
    };
  }

  /** Rows of z(positive) − z(negative), one column per component, for every validation user. */
  private async pairDiffs(train: TrainingData, users: Int32Array, positives: Int32Array, options: FitOptions): Promise<{ diffs: Float64Array; pairs: number }> {
    const dims = this.components.length;
    const items = train.numItems;
    const negatives = this.blend.negatives;
    const diffs = new Float64Array(users.length * negatives * dims);
    const scores = Array.from({ length: dims }, () => new Float32Array(items));
    const taken = new Uint8Array(items);
    const pick = new Int32Array(negatives);
    const rng = options.rng.fork('negatives');
    let pairs = 0;
    for (let k = 0; k < users.length; k++) {
      checkCancelled(options.signal);
      const query = train.query(users[k]!);
      const positive = positives[k]!;
      const seen = train.seen(users[k]!);
      if (seen.size + 1 >= items) continue;
      for (let c = 0; c < dims; c++) {
        await this.components[c]!.score(query, scores[c]!);
        zScores(scores[c]!, query.items);
      }
      // Distinct negatives while there are enough unseen items, else with repeats.
      const distinct = items - seen.size - 1 > negatives;
      for (let n = 0; n < negatives; n++) {
        let j: number;
        do j = rng.int(items);
        while (j === positive || seen.has(j) || (distinct && taken[j] === 1));
        taken[j] = 1;
        pick[n] = j;
      }
      for (let n = 0; n < negatives; n++) {
        taken[pick[n]!] = 0;
        const o = pairs * dims;
        for (let c = 0; c < dims; c++) diffs[o + c] = scores[c]![positive]! - scores[c]![pick[n]!]!;
        pairs++;
      }
    }
    return { diffs, pairs };
  }

  async score(query: UserQuery, out: Float32Array): Promise<void> {
    this.requireFitted();
    out.fill(0);
    const scratch = new Float32Array(out.length);
    for (let c = 0; c < this.components.length; c++) {
      await this.components[c]!.score(query, scratch);
      zScores(scratch, query.items);
      const w = this.weights[c]!;
      for (let i = 0; i < out.length; i++) out[i] = out[i]! + w * scratch[i]!;
    }
  }

  save(): Uint8Array {
    const arrays: Record<string, Int32Array> = {};
    const sizes: number[] = [];
    this.components.forEach((component, c) => {
      const bytes = component.save();
      // Model files hold typed arrays, so a component's bytes travel as 32-bit words (zero-padded).
      const words = new Int32Array(Math.ceil(bytes.length / 4));
      new Uint8Array(words.buffer).set(bytes);
      arrays[`component${c}`] = words;
      sizes.push(bytes.length);
    });
    const state = { numUsers: this.numUsers, numItems: this.numItems, names: this.names, sizes, weights: Array.from(this.weights) };
    return encodeModel({ model: this.name, params: this.params as Record<string, unknown>, state, arrays });
  }

  load(bytes: Uint8Array): void {
    const file = decodeModel(bytes, this.name);
    const names = file.state.names;
    const sizes = file.state.sizes as number[] | undefined;
    const weights = file.state.weights as number[] | undefined;
    if (!Array.isArray(names) || names.join(',') !== this.names.join(',') || !Array.isArray(sizes) || !Array.isArray(weights) || weights.length !== names.length) {
      throw AppError.invalid(`hybrid file: its components ${JSON.stringify(names)} do not match this model's ${this.names.join(',')}`, { field: 'model' });
    }
    this.components.forEach((component, c) => {
      const words = arrayOf(file, `component${c}`, Int32Array, Math.ceil(sizes[c]! / 4));
      component.load(new Uint8Array(words.buffer, words.byteOffset, sizes[c]!));
    });
    this.weights = Float64Array.from(weights);
    this.numItems = Number(file.state.numItems ?? 0);
    this.numUsers = Number(file.state.numUsers ?? 0);
  }
}

/** Share of pairs one component alone orders right (its column of the differences). */
function pairAccuracyOf(diffs: Float64Array, pairs: number, dims: number, c: number): number {
  let right = 0;
  for (let p = 0; p < pairs; p++) {
    const d = diffs[p * dims + c]!;
    right += d > 0 ? 1 : d === 0 ? 0.5 : 0;
  }
  return pairs > 0 ? right / pairs : 0;
}

/**
 * The registry entry of the hybrid, given the registry's factory (so this file need not import the
 * registry, which lists it). Its capabilities are those of the default components, read on first use
 * (the registry is still being built when the entry is made).
 *
 * @example export const MODELS = [POPULARITY, …, hybridEntry(createModel)];
 */
export function hybridEntry(create: ComponentFactory): ModelEntry {
  let capabilities: ModelCapabilities | undefined;
  return {
    name: 'hybrid',
    description: 'learned blend of other models: weights of their per-user z-scored scores fitted on held-out newest items',
    spec: HYBRID_PARAMS,
    get capabilities(): ModelCapabilities {
      capabilities ??= new LearnedHybrid(create, {}).capabilities;
      return capabilities;
    },
    create: (params) => new LearnedHybrid(create, params),
  };
}
