import { AppError } from '../../core/errors.js';
import type { Interactions } from '../interactions.js';
import type { ModelCapabilities } from '../recommender.js';
import { coldItemSplit, coldUserSplit, kFoldRatings, leaveLastOut, stratifiedSplit, temporalSplit, type Fold } from './splits.js';

/** An evaluation protocol: how data is split, which models apply and which metric ranks them. */
export interface Protocol {
  name: string;
  description: string;
  folds(data: Interactions, seed: number | string): Fold[];
  applies(capabilities: ModelCapabilities): boolean;
  /** The metric that picks the best model and drives tuning, and whether lower is better. */
  primary: { metric: (k: number) => string; lowerIsBetter: boolean };
  /** Sampled-negative variant (loo): how many negatives. */
  sampledNegatives?: number;
}

const ranking = { metric: (k: number) => `ndcg@${k}`, lowerIsBetter: false };
const any = () => true;

/** The protocols of `shopwise eval --protocol`. */
export const PROTOCOLS: readonly Protocol[] = [
  {
    name: 'surprise-5fold', description: '5-fold cross-validation of ratings (RMSE, MAE, fit seconds): the layout of Surprise’s benchmark table',
    folds: (data, seed) => kFoldRatings(data, 5, seed), applies: (c) => c.ratings, primary: { metric: () => 'rmse', lowerIsBetter: true },
  },
  {
    name: 'ms-recommenders', description: 'Microsoft Recommenders: 75/25 stratified split per user, full ranking, NDCG / precision / recall / MAP @k',
    folds: (data, seed) => [stratifiedSplit(data, 0.75, seed)], applies: any, primary: ranking,
  },
  {
    name: 'loo', description: 'leave the last item of each user out: HR / NDCG / MRR @k, full ranking and among 100 sampled negatives',
    folds: (data) => [leaveLastOut(data)], applies: any, primary: ranking, sampledNegatives: 100,
  },
  {
    name: 'temporal', description: 'global time cut at 80 % of interactions: later new items of known users are relevant',
    folds: (data) => [temporalSplit(data, 0.8)], applies: any, primary: ranking,
  },
  {
    name: 'cold-user', description: '20 % of users unseen in training, scored from the first half of their items (fold-in models)',
    folds: (data, seed) => [coldUserSplit(data, 0.2, seed)], applies: (c) => c.foldIn, primary: ranking,
  },
  {
    name: 'cold-item', description: '20 % of items unseen in training, ranked among the cold items only (content models)',
    folds: (data, seed) => [coldItemSplit(data, 0.2, seed)], applies: (c) => c.content, primary: ranking,
  },
];

/**
 * The protocol named `name`; `AppError('invalid')` listing the names when there is none.
 *
 * @example protocolNamed('loo').folds(data, 42)
 */
export function protocolNamed(name: string): Protocol {
  const protocol = PROTOCOLS.find((p) => p.name === name);
  if (!protocol) throw AppError.invalid(`unknown protocol "${name}"; use one of ${PROTOCOLS.map((p) => p.name).join(', ')}`, { field: 'protocol' });
  return protocol;
}
