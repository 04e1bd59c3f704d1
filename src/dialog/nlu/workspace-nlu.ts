import { join } from 'node:path';
import { AppError } from '../../core/errors.js';
import type { CatalogCache, CatalogSnapshot } from '../catalog-cache.js';
import { domainNluKey, domainPipeline, type DomainNluKey, type DomainNluModels, type DomainNluOptions, type DomainNluReport, trainDomainNlu } from './domain-nlu.js';
import { loadDomainNluModels, readDomainNluManifest, saveDomainNlu } from './domain-nlu-files.js';
import type { NluPipeline } from './nlu-pipeline.js';

export interface WorkspaceNluOptions extends DomainNluOptions {
  /** Wait after a vocabulary change before retraining (default 5000 ms), so an import of many items trains once. */
  debounceMs?: number;
  /** Where each workspace's models are kept (`<modelDir>/<workspace>/`); none: they are trained again after every restart. */
  modelDir?: string;
}

/** Where a workspace's assistant NLU is (GET /v1/chat/status). */
export interface WorkspaceNluStatus {
  /** ready: chat answers at once; loading / training: a chat waits for it; failed: the last attempt failed (the next chat tries again). */
  state: 'idle' | 'loading' | 'training' | 'ready' | 'failed';
  /** Whether the models serving were trained by this process or loaded from the model directory. */
  source?: 'trained' | 'loaded';
  trainedAt?: string;
  /** The serving models were trained on another catalog vocabulary (or other options): new ones are due or training. */
  retraining: boolean;
  /** Whether a slot tagger fills what the gazetteer and rules miss. */
  slotTagger: boolean;
  report?: DomainNluReport;
  error?: string;
}

interface Entry {
  pipeline?: NluPipeline;
  /** Vocabulary key of the catalog the serving models were trained on ({@link OTHER_OPTIONS}: never the current one). */
  trainedOn?: string;
  training?: Promise<NluPipeline>;
  phase?: 'loading' | 'training';
  timer?: NodeJS.Timeout;
  /** A retrain is scheduled or running (set by `schedule`, cleared when new models serve or the retrain fails). */
  retrainDue?: boolean;
  /** The pipeline with the latest catalog's gazetteer, per vocabulary key. */
  current?: { key: string; pipeline: NluPipeline };
  report?: DomainNluReport;
  source?: 'trained' | 'loaded';
  trainedAt?: string;
  slotTagger?: boolean;
  error?: string;
}

/** `trainedOn` of loaded models trained with other options: no catalog has this key, so they are retrained. */
const OTHER_OPTIONS = 'other-training-options';

/**
 * The NLU of every workspace. `prepareAll` (the server's start) loads each workspace's saved models,
 * or trains them in the background; a chat that comes first trains them and waits (a chat during a
 * training waits for it). Trained models are saved under `modelDir`, keyed by the catalog's
 * vocabulary and the training options: the next start loads them when both match; saved models of
 * another vocabulary or other options answer at once while new ones train in the background; missing
 * or corrupt files mean a training, with the reason logged. The models are retrained in the
 * background when the catalog's vocabulary changes (new brands, categories, colours or sizes;
 * debounced, so an import of many items trains once; price and stock updates do not retrain), the
 * old models answering meanwhile with the new catalog's gazetteer, so no later request waits.
 *
 * @example
 * const nlu = new WorkspaceNlu(catalogs, { modelDir: join(dataDir, 'models', 'nlu'), log: console.log });
 * void nlu.prepareAll(['demo']);
 * const result = await (await nlu.parser('demo')).parse('有没有蓝色的连衣裙');
 */
export class WorkspaceNlu {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(private readonly catalogs: CatalogCache, private readonly options: WorkspaceNluOptions = {}) {
    catalogs.onChange((snapshot) => this.schedule(snapshot.workspaceId));
  }

  /** The workspace's parser; loads or trains it first when there is none yet. */
  async parser(workspaceId: string): Promise<NluPipeline> {
    const snapshot = await this.catalogs.get(workspaceId);
    const entry = this.entry(workspaceId);
    if (!entry.pipeline) return this.withCatalog(entry, snapshot, await this.loadOrTrain(workspaceId, entry, snapshot));
    if (entry.trainedOn !== snapshot.vocabularyKey && !entry.training && !entry.timer) this.schedule(workspaceId);
    return this.withCatalog(entry, snapshot, entry.pipeline);
  }

  /** Loads or trains the workspace's models if there are none yet, and waits for them. */
  async prepare(workspaceId: string): Promise<WorkspaceNluStatus> {
    await this.parser(workspaceId);
    return this.status(workspaceId);
  }

  /**
   * Prepares the workspaces one after another (each training takes the main thread a while), skipping
   * those without items; failures are logged, never thrown, so the server's start can leave it running.
   */
  async prepareAll(workspaceIds: readonly string[]): Promise<void> {
    for (const workspaceId of workspaceIds) {
      if (this.closed) return;
      try {
        if ((await this.catalogs.get(workspaceId)).items.length === 0) {
          this.log(workspaceId, 'no items yet; the assistant learns the catalog on the first chat after items arrive');
          continue;
        }
        await this.parser(workspaceId);
      } catch (error) {
        this.log(workspaceId, `not ready: ${(error as Error).message}`);
      }
    }
  }

  status(workspaceId: string): WorkspaceNluStatus {
    const e = this.entries.get(workspaceId);
    const state = e?.pipeline ? 'ready' : e?.training ? e.phase ?? 'training' : e?.error ? 'failed' : 'idle';
    return {
      state, source: e?.source, trainedAt: e?.trainedAt, slotTagger: e?.slotTagger ?? false, report: e?.report, error: e?.error,
      retraining: e?.pipeline !== undefined && e.retrainDue === true,
    };
  }

  /** What the last training of the workspace reported (the saved one's, when its models were loaded). */
  report(workspaceId: string): DomainNluReport | undefined {
    return this.entries.get(workspaceId)?.report;
  }

  /** Stops pending retrains and background preparation; a training already running is not saved. */
  close(): void {
    this.closed = true;
    for (const e of this.entries.values()) if (e.timer) clearTimeout(e.timer);
  }

  private entry(workspaceId: string): Entry {
    let entry = this.entries.get(workspaceId);
    if (!entry) this.entries.set(workspaceId, (entry = {}));
    return entry;
  }

  private log(workspaceId: string, line: string): void {
    this.options.log?.(`assistant NLU of ${workspaceId}: ${line}`);
  }

  private withCatalog(entry: Entry, snapshot: CatalogSnapshot, pipeline: NluPipeline): NluPipeline {
    if (entry.trainedOn === snapshot.vocabularyKey) return pipeline;
    if (entry.current?.key !== snapshot.vocabularyKey) entry.current = { key: snapshot.vocabularyKey, pipeline: pipeline.withGazetteer(snapshot.gazetteer) };
    return entry.current.pipeline;
  }

  private schedule(workspaceId: string): void {
    const entry = this.entry(workspaceId);
    if (this.closed || !entry.pipeline) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.retrainDue = true;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void this.retrainIfStale(workspaceId, entry).catch(() => {
        entry.retrainDue = false; // the old models keep serving; the next change tries again
      });
    }, this.options.debounceMs ?? 5000);
    entry.timer.unref?.();
  }

  private async retrainIfStale(workspaceId: string, entry: Entry): Promise<void> {
    if (entry.training) await entry.training.catch(() => undefined);
    const snapshot = await this.catalogs.get(workspaceId);
    if (!this.closed && entry.trainedOn !== snapshot.vocabularyKey) await this.loadOrTrain(workspaceId, entry, snapshot);
    else entry.retrainDue = false;
  }

  private loadOrTrain(workspaceId: string, entry: Entry, snapshot: CatalogSnapshot): Promise<NluPipeline> {
    if (entry.training) return entry.training;
    if (snapshot.items.length === 0) {
      const error = AppError.unavailable(`the catalog of workspace ${workspaceId} is empty; the assistant needs items (POST /v1/items) to learn what the shop sells`);
      entry.error = error.message;
      return Promise.reject(error);
    }
    const run = (async () => {
      const extra = this.options.shopExamples ? await this.options.shopExamples(workspaceId) : [];
      const key = domainNluKey(snapshot.vocabularyKey, this.options, extra);
      const loaded = await this.loadSaved(workspaceId, entry, key, snapshot);
      if (loaded) return loaded;
      entry.phase = 'training';
      this.log(workspaceId, entry.pipeline ? 'the catalog vocabulary changed: retraining in the background' : `training on ${snapshot.items.length} items`);
      const { pipeline, models, report } = await trainDomainNlu(snapshot.items, { ...this.options, log: (line) => this.log(workspaceId, line) }, extra, snapshot.gazetteer);
      const trainedAt = new Date().toISOString();
      this.serve(entry, { pipeline, trainedOn: snapshot.vocabularyKey, report, source: 'trained', trainedAt, slotTagger: models.tagger !== undefined });
      this.log(workspaceId, `trained in ${report.trainSeconds.toFixed(1)} s`);
      await this.save(workspaceId, { key, trainedAt, report, models });
      return pipeline;
    })().catch((error: Error) => {
      entry.error = error.message;
      this.log(workspaceId, `training failed: ${error.message}`);
      throw error;
    }).finally(() => {
      entry.training = undefined;
      entry.phase = undefined;
    });
    entry.training = run;
    return run;
  }

  /**
   * The saved models, when there are some this entry should serve: those of this key, or, while
   * nothing serves yet, those of another vocabulary or other options (answering until the retrain
   * scheduled here is done). Undefined, with the reason logged, when there are none or they cannot be read.
   */
  private async loadSaved(workspaceId: string, entry: Entry, key: DomainNluKey, snapshot: CatalogSnapshot): Promise<NluPipeline | undefined> {
    if (!this.options.modelDir) return undefined;
    const dir = this.dirOf(workspaceId);
    const started = performance.now();
    entry.phase = 'loading';
    try {
      const manifest = await readDomainNluManifest(dir);
      const sameTraining = manifest.key.training === key.training;
      const fresh = sameTraining && manifest.key.vocabularyKey === key.vocabularyKey;
      if (!fresh && entry.pipeline) return undefined; // a retrain: the saved models are the ones serving, or older
      const models = await loadDomainNluModels(dir, manifest, { threads: this.options.threads });
      const trainedOn = fresh ? key.vocabularyKey : sameTraining ? manifest.key.vocabularyKey : OTHER_OPTIONS;
      const pipeline = domainPipeline(snapshot.gazetteer, models, this.options.outOfScopeThreshold);
      this.serve(entry, { pipeline, trainedOn, report: manifest.report, source: 'loaded', trainedAt: manifest.trainedAt, slotTagger: models.tagger !== undefined });
      const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
      if (fresh) this.log(workspaceId, `loaded the models saved ${manifest.trainedAt} from ${dir} in ${took}`);
      else {
        this.log(workspaceId, `loaded the models saved ${manifest.trainedAt} in ${took}; they were trained on ${sameTraining ? 'another catalog vocabulary' : 'other training options'}, so they answer until new ones are trained in the background`);
        this.schedule(workspaceId);
      }
      return pipeline;
    } catch (error) {
      const reason = (error as AppError).kind === 'not_found' ? `no saved models in ${dir}` : `the saved models in ${dir} cannot be used (${(error as Error).message})`;
      this.log(workspaceId, `${reason}; training new ones`);
      return undefined;
    }
  }

  private serve(entry: Entry, fields: Required<Pick<Entry, 'pipeline' | 'trainedOn' | 'report' | 'source' | 'trainedAt' | 'slotTagger'>>): void {
    Object.assign(entry, fields, { current: undefined, error: undefined, retrainDue: false });
  }

  private async save(workspaceId: string, saved: { key: DomainNluKey; trainedAt: string; report: DomainNluReport; models: DomainNluModels }): Promise<void> {
    if (!this.options.modelDir || this.closed) return;
    const dir = this.dirOf(workspaceId);
    try {
      await saveDomainNlu(dir, saved);
      this.log(workspaceId, `saved the models to ${dir}`);
    } catch (error) {
      this.log(workspaceId, `the models are not saved (${(error as Error).message}); they will be trained again after a restart`);
    }
  }

  private dirOf(workspaceId: string): string {
    return join(this.options.modelDir!, encodeURIComponent(workspaceId));
  }
}
