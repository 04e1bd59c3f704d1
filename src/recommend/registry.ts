import { AppError } from '../core/errors.js';
import { decodeModel } from './model-file.js';
import { POPULARITY } from './models/popularity.js';
import { ALS } from './models/als.js';
import { BPR } from './models/bpr.js';
import { EASE } from './models/ease.js';
import { BASELINE_ONLY } from './models/baseline-only.js';
import { ITEM_KNN } from './models/item-knn.js';
import { USER_KNN } from './models/user-knn.js';
import { RP3BETA } from './models/rp3beta.js';
import { SASREC } from './models/sasrec-recommender.js';
import { GRU4REC } from './models/gru4rec.js';
import { CONTENT } from './models/content.js';
import { hybridEntry } from './models/hybrid.js';
import { SVD } from './models/svd.js';
import { SVDPP } from './models/svdpp.js';
import { NMF } from './models/nmf.js';
import type { ModelEntry, Recommender } from './recommender.js';

/**
 * Every recommender by name. Add a model by exporting its `ModelEntry` beside the model and listing it
 * here (one line each, in the order tables show them).
 */
export const MODELS: readonly ModelEntry[] = [
  POPULARITY,
  ALS,
  BPR,
  EASE,
  BASELINE_ONLY,
  ITEM_KNN,
  USER_KNN,
  RP3BETA,
  SASREC,
  GRU4REC,
  CONTENT,
  hybridEntry(createModel),
  SVD,
  SVDPP,
  NMF,
  // models: add entries above this line
];

/**
 * The registry entry of `name`; `AppError('invalid')` listing the known names when there is none.
 *
 * @example modelEntry('svd').spec.factors.default
 */
export function modelEntry(name: string): ModelEntry {
  const entry = MODELS.find((m) => m.name === name);
  if (!entry) throw AppError.invalid(`unknown model "${name}"; the models are ${MODELS.map((m) => m.name).join(', ')}`, { field: 'model' });
  return entry;
}

/**
 * A new, untrained model of `name` with `params` (checked).
 *
 * @example const model = createModel('als', { factors: 64, implicit: true });
 */
export function createModel(name: string, params: Record<string, unknown> = {}): Recommender {
  return modelEntry(name).create(params);
}

/**
 * A trained model back from the bytes of `save()`: the file names the model and its params.
 *
 * @example const model = loadModel(readFileSync('svd.model'));
 */
export function loadModel(bytes: Uint8Array): Recommender {
  const file = decodeModel(bytes);
  const model = createModel(file.model, file.params);
  model.load(bytes);
  return model;
}
