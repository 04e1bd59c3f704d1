import { AppError } from '../core/errors.js';
import { SeededRandom } from '../math/random.js';
import { loadInteractionsFromStore } from '../recommend/data/from-store.js';
import { POPULARITY } from '../recommend/models/popularity.js';
import { type ItemFilters, type RecommendOptions, type Recommendations, type ScoredItem, TrainedModel } from '../recommend/trained-model.js';
import { TrainingData } from '../recommend/training-data.js';
import type { Storage } from '../storage/storage.js';
import type { ServedModel, ServedModels } from './served-models.js';

/** The served version an answer came from. */
export interface ServedVersion {
  name: string;
  version: number;
  model: string;
}

export interface RecommendationServiceOptions {
  /** How long (ms) popularity counted straight from the event log is reused while no model is trained. */
  popularTtlMs?: number;
}

/**
 * Answers recommendation requests of a workspace from its served models (see ServedModels):
 * per-user recommendations and similar items need a trained model (`AppError('unavailable')` until
 * one exists); popular items come from the served `default` model, or, before any training, from
 * popularity counted from the event log (refreshed every `popularTtlMs`).
 *
 * @example
 * const answer = await service.recommend('shop-a', 'u1', 10, { category: '数码' });
 * answer.source; // 'model' | 'fold-in' | 'popular'
 */
export class RecommendationService {
  private readonly popularCache = new Map<string, { at: number; model: Promise<TrainedModel> }>();
  private readonly popularTtlMs: number;

  constructor(private readonly storage: Pick<Storage, 'events' | 'items'>, private readonly served: ServedModels, options: RecommendationServiceOptions = {}) {
    this.popularTtlMs = options.popularTtlMs ?? 60_000;
  }

  async recommend(workspaceId: string, userId: string, n: number, options: RecommendOptions & { name?: string } = {}): Promise<Recommendations & { model: ServedVersion }> {
    const served = await this.require(workspaceId, options.name ?? 'default');
    return { ...(await served.trained.recommend(userId, n, options)), model: versionOf(served) };
  }

  async similar(workspaceId: string, itemId: string, n: number, filters: ItemFilters & { name?: string } = {}): Promise<{ items: ScoredItem[]; model: ServedVersion }> {
    const served = await this.require(workspaceId, filters.name ?? 'default');
    return { items: await served.trained.similar(itemId, n, filters), model: versionOf(served) };
  }

  /** The most popular items; `source` says whether they came from the trained model's data or straight from the events. */
  async popular(workspaceId: string, n: number, filters: ItemFilters = {}): Promise<{ items: ScoredItem[]; source: 'model' | 'events'; model?: ServedVersion }> {
    const served = await this.served.get(workspaceId, 'default');
    if (served) return { items: served.trained.popular(n, filters), source: 'model', model: versionOf(served) };
    const counted = await this.countedPopularity(workspaceId);
    return { items: counted.popular(n, filters), source: 'events' };
  }

  private async require(workspaceId: string, name: string): Promise<ServedModel> {
    const served = await this.served.get(workspaceId, name);
    if (!served) {
      throw AppError.unavailable(`no model "${name}" is trained for workspace ${workspaceId} yet; train one with POST /v1/models/train (or \`shopwise train\`)`);
    }
    return served;
  }

  /** Popularity over the workspace's events, fitted in process (counting is cheap) and kept for a while. */
  private async countedPopularity(workspaceId: string): Promise<TrainedModel> {
    const cached = this.popularCache.get(workspaceId);
    const now = Date.now();
    if (cached && now - cached.at < this.popularTtlMs) return cached.model;
    const model = (async () => {
      const data = new TrainingData(await loadInteractionsFromStore(this.storage, workspaceId));
      const popularity = POPULARITY.create();
      await popularity.fit(data, { rng: new SeededRandom(1) });
      return TrainedModel.fromTraining(popularity, data);
    })();
    this.popularCache.set(workspaceId, { at: now, model });
    try {
      return await model;
    } catch (error) {
      this.popularCache.delete(workspaceId);
      throw error;
    }
  }
}

function versionOf(served: ServedModel): ServedVersion {
  return { name: served.info.name, version: served.info.version, model: served.info.model };
}
