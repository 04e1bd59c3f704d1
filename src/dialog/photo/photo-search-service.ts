import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Item } from '../../core/catalog.js';
import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { modelBackend, type BackendName } from '../../nn/models/model-backend.js';
import type { ItemStore } from '../../storage/item-store.js';
import type { PhotoMatch, PhotoSearch } from '../photo-search.js';
import { ImageCnn, type ImageCnnConfig } from './image-cnn.js';
import { decodeImage, toTensor } from './image-codec.js';
import type { ImageFiles } from './image-files.js';
import { buildIndex, EmbeddingIndex, labelsOf, type LabelPlan, loadPictures, planLabels } from './photo-index.js';
import { trainInWorker, type WorkerTraining } from './train-in-worker.js';
import { trainImageCnn, type TrainImageCnnReport } from './train-image-cnn.js';

export interface PhotoSearchServiceOptions {
  items: Pick<ItemStore, 'list'>;
  files: ImageFiles;
  /** Where trained models are kept (`<dir>/<workspace>.params`); none: retrain after every restart. */
  modelDir?: string;
  backend?: BackendName;
  /** Model input side (default 32). */
  size?: number;
  /** Training budget, seconds (default 60). */
  budgetSeconds?: number;
  maxEpochs?: number;
  /** Fewest pictures a workspace needs (default 20). */
  minImages?: number;
  /** Fewest pictures a category class or a colour needs (default 8). */
  minPerClass?: number;
  /** How often, at most, a workspace's pictures are checked for changes (default 60 s). */
  refreshMs?: number;
  /** Share of changed pictures embedded with the current model; more means a retrain (default 0.2). */
  retrainShare?: number;
  /** Model shape (default: blocks of 8, 16, 32 filters, a 64-wide embedding, batches of 32). */
  model?: Partial<Pick<ImageCnnConfig, 'channels' | 'embedDim' | 'batchSize' | 'embedBatch'>>;
  seed?: string;
  /** Train in a worker thread (default true): onnxruntime blocks the thread it runs on for each step. */
  inWorker?: boolean;
  log?: (message: string) => void;
}

/** Where a workspace's photo search is. */
export interface PhotoSearchStatus {
  state: 'idle' | 'training' | 'ready' | 'failed';
  /** Pictured items in the index. */
  items: number;
  level?: number;
  classes?: number;
  colours?: number;
  training?: TrainImageCnnReport;
  trainedAt?: number;
  error?: string;
}

interface Ready {
  cnn: ImageCnn;
  plan: LabelPlan;
  index: EmbeddingIndex;
  report?: TrainImageCnnReport;
  trainedAt: number;
}

interface Workspace {
  ready?: Ready;
  building?: Promise<Ready>;
  checking?: Promise<void>;
  lastCheck: number;
  error?: Error;
}

// [8, 16, 32] filters: 69% held-out leaf accuracy in a 60 s budget on the demo catalog vs 45% for [16, 32, 64]
// (2.3x slower a step; same loaded 2-core machine): under a time budget the smaller net sees more epochs.
// Colour weight 1 (vs 0.5): held-out colour 87.8% vs 84.7%, top-1 same leaf and colour 79.0% vs 77.0% (bench/photo.ts).
const MODEL = { channels: [8, 16, 32], embedDim: 64, batchSize: 32, embedBatch: 32, colourWeight: 1 };

/**
 * Photo search over a workspace's item pictures (PhotoSearch): an `ImageCnn` trained on the pictures
 * labelled by category (and colour), the L2-normalised embeddings of every pictured item, cosine
 * nearest neighbours. Trained lazily: the first call starts training in the background and answers
 * AppError unavailable until it is done (`prepare` waits for it). A trained model is saved and reused
 * after a restart; at most every `refreshMs` the pictures are checked: a few new or changed ones are
 * embedded with the current model, many mean a retrain in the background (the old index serves meanwhile).
 *
 * @example
 * const photos = new PhotoSearchService({ items: storage.items, files: new ImageFiles(dataDir), modelDir });
 * await photos.prepare('demo');
 * const matches = await photos.search('demo', jpegBytes, 10);
 */
export class PhotoSearchService implements PhotoSearch {
  private readonly spaces = new Map<string, Workspace>();
  private readonly size: number;
  private closed = false;
  private readonly workers = new Set<WorkerTraining>();

  constructor(private readonly options: PhotoSearchServiceOptions) {
    this.size = options.size ?? 32;
  }

  /** The item pictures this service reads (and the demo's stored ones, served over HTTP). */
  get files(): ImageFiles {
    return this.options.files;
  }

  async search(workspaceId: string, image: Uint8Array, n: number): Promise<PhotoMatch[]> {
    return (await this.lookup(workspaceId, image, n)).matches;
  }

  async classify(workspaceId: string, image: Uint8Array): Promise<{ categoryPath: string[]; confidence: number }> {
    return (await this.lookup(workspaceId, image, 0)).category;
  }

  /** Search and classification of one picture with one pass of the model. */
  async lookup(workspaceId: string, image: Uint8Array, n: number): Promise<{ matches: PhotoMatch[]; category: { categoryPath: string[]; confidence: number } }> {
    checkN(n, 0);
    const pixels = toTensor(decodeImage(image), this.size); // bad bytes fail before availability
    const ready = this.current(workspaceId);
    const { embeddings, probabilities } = await ready.cnn.embed([pixels]);
    let best = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[best]!) best = c;
    return { matches: n > 0 ? ready.index.nearest(embeddings, n) : [], category: { categoryPath: [...ready.plan.classes[best]!], confidence: probabilities[best]! } };
  }

  /** Items whose pictures look most like an item's picture (never the item itself). */
  async similar(workspaceId: string, itemId: string, n: number): Promise<PhotoMatch[]> {
    checkN(n, 1);
    const ready = this.current(workspaceId);
    const vector = ready.index.vectorOf(itemId);
    if (!vector) throw AppError.notFound(`item ${itemId} has no picture in the photo index of workspace ${workspaceId}`, { field: 'id' });
    return ready.index.nearest(vector, n, new Set([itemId]));
  }

  status(workspaceId: string): PhotoSearchStatus {
    const space = this.spaces.get(workspaceId);
    const ready = space?.ready;
    const state = space?.building ? 'training' : ready ? 'ready' : space?.error ? 'failed' : 'idle';
    return {
      state, items: ready?.index.size ?? 0, level: ready?.plan.level, classes: ready?.plan.classes.length, colours: ready?.plan.colours.length,
      training: ready?.report, trainedAt: ready?.trainedAt, error: space?.error?.message,
    };
  }

  /** Trains (or loads) the workspace's model and index if needed and waits for it; rejects with why it cannot. */
  async prepare(workspaceId: string): Promise<PhotoSearchStatus> {
    const space = this.space(workspaceId);
    if (!space.ready) await this.startBuild(workspaceId, space, true);
    else if (space.building) await space.building;
    return this.status(workspaceId);
  }

  /** Checks the workspace's pictures for changes now (after a catalog import, say) and waits for the result. */
  async refresh(workspaceId: string): Promise<PhotoSearchStatus> {
    const space = this.space(workspaceId);
    if (!space.ready) return this.prepare(workspaceId);
    space.lastCheck = 0;
    this.maybeRefresh(workspaceId, space);
    await space.checking;
    if (space.building) await space.building;
    return this.status(workspaceId);
  }

  /** Cancels trainings in progress and waits for them to stop. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers].map((w) => w.cancel()));
    await Promise.all([...this.spaces.values()].flatMap((s) => [s.building, s.checking]).map((p) => p?.catch(() => undefined)));
  }

  private current(workspaceId: string): Ready {
    const space = this.space(workspaceId);
    if (!space.ready) {
      void this.startBuild(workspaceId, space, false).catch(() => undefined);
      const why = space.error && !space.building ? `: ${space.error.message}` : ' (training started; try again in a minute)';
      throw AppError.unavailable(`photo search of workspace ${workspaceId} is not ready${why}`);
    }
    this.maybeRefresh(workspaceId, space);
    return space.ready;
  }

  private space(workspaceId: string): Workspace {
    let space = this.spaces.get(workspaceId);
    if (!space) this.spaces.set(workspaceId, (space = { lastCheck: 0 }));
    return space;
  }

  private startBuild(workspaceId: string, space: Workspace, retryFailed: boolean): Promise<Ready> {
    if (space.building) return space.building;
    if (this.closed) return Promise.reject(AppError.unavailable('photo search is shut down'));
    if (space.error && !retryFailed && Date.now() - space.lastCheck < (this.options.refreshMs ?? 60_000)) return Promise.reject(space.error);
    space.lastCheck = Date.now();
    const building = this.build(workspaceId, !space.ready).then(
      (ready) => {
        space.ready = ready;
        space.error = undefined;
        return ready;
      },
      (error: Error) => {
        space.error = error;
        this.options.log?.(`photo search of ${workspaceId}: ${error.message}`);
        throw error;
      },
    ).finally(() => {
      space.building = undefined;
    });
    space.building = building;
    return building;
  }

  /** Loads the saved model when it fits the catalog, else trains one; then embeds every pictured item. */
  private async build(workspaceId: string, mayLoad: boolean): Promise<Ready> {
    const { items: pictured, skipped, firstError } = await loadPictures(this.options.files, await this.allItems(workspaceId), this.size);
    if (skipped > 0) this.options.log?.(`photo search of ${workspaceId}: ${skipped} pictures could not be decoded (first: ${firstError})`);
    const minImages = this.options.minImages ?? 20;
    if (pictured.length < minImages) throw AppError.unavailable(`photo search needs at least ${minImages} item pictures; workspace ${workspaceId} has ${pictured.length}`);
    const backend = modelBackend(this.options.backend ?? 'onnx');
    const saved = mayLoad ? this.loadSaved(workspaceId, backend) : undefined;
    if (saved) {
      const changed = pictured.filter((p) => saved.versions[p.id] !== p.version).length;
      if (changed <= (this.options.retrainShare ?? 0.2) * pictured.length) {
        this.options.log?.(`photo search of ${workspaceId}: loaded the saved model, embedding ${pictured.length} pictures`);
        return { cnn: saved.cnn, plan: saved.plan, index: await buildIndex(saved.cnn, pictured), trainedAt: saved.trainedAt };
      }
    }
    const plan = planLabels(pictured, this.options.minPerClass ?? 8);
    const examples = pictured.map((p) => ({ pixels: p.pixels, ...labelsOf(plan, p) }));
    const config = { ...MODEL, ...this.options.model, size: this.size };
    this.options.log?.(`photo search of ${workspaceId}: training on ${pictured.length} pictures, ${plan.classes.length} categories (level ${plan.level}), ${plan.colours.length} colours`);
    const seed = this.options.seed ?? `photo:${workspaceId}`;
    const training = { config, classes: plan.classes.length, colours: plan.colours.length, budgetSeconds: this.options.budgetSeconds ?? 60, maxEpochs: this.options.maxEpochs ?? 30 };
    let cnn: ImageCnn;
    let report: TrainImageCnnReport;
    if (this.options.inWorker ?? true) {
      const worker = trainInWorker(examples, seed, this.options.backend ?? 'onnx', training);
      this.workers.add(worker);
      const done = await worker.result.finally(() => this.workers.delete(worker));
      cnn = new ImageCnn({ ...config, classes: plan.classes.length, colours: plan.colours.length }, new SeededRandom(seed), { executor: backend.executor, inferenceExecutor: backend.inferenceExecutor });
      cnn.load(done.model);
      report = done.report;
    } else {
      ({ cnn, report } = await trainImageCnn(examples, new SeededRandom(seed), {
        ...training, executor: backend.executor, inferenceExecutor: backend.inferenceExecutor, cancelled: () => this.closed,
      }).finally(() => backend.releaseTraining()));
    }
    const index = await buildIndex(cnn, pictured);
    const trainedAt = Date.now();
    this.save(workspaceId, cnn, plan, index, trainedAt);
    this.options.log?.(`photo search of ${workspaceId}: trained in ${report.trainSeconds} s (${report.epochs} epochs), held-out category accuracy ${report.heldOutAccuracy === undefined ? 'n/a' : (report.heldOutAccuracy * 100).toFixed(1) + '%'}`);
    return { cnn, plan, index, report, trainedAt };
  }

  /** In the background: embeds a few new or changed pictures, drops deleted items, or retrains when much changed. */
  private maybeRefresh(workspaceId: string, space: Workspace): void {
    if (space.checking || space.building || Date.now() - space.lastCheck < (this.options.refreshMs ?? 60_000)) return;
    space.lastCheck = Date.now();
    space.checking = (async () => {
      const ready = space.ready!;
      const items = await this.allItems(workspaceId);
      const versions = new Map<string, string>();
      for (const item of items) {
        const version = this.options.files.versionOf(item);
        if (version) versions.set(item.id, version);
      }
      const gone = [...ready.index.versions.keys()].filter((id) => !versions.has(id));
      const changed = items.filter((i) => versions.has(i.id) && ready.index.versions.get(i.id) !== versions.get(i.id));
      if (changed.length > (this.options.retrainShare ?? 0.2) * Math.max(1, versions.size)) {
        void this.startBuild(workspaceId, space, true).catch(() => undefined);
        return;
      }
      ready.index.remove(gone);
      if (changed.length > 0) {
        const { items: pictured } = await loadPictures(this.options.files, changed, this.size);
        const { embeddings } = await ready.cnn.embed(pictured.map((p) => p.pixels));
        ready.index.upsert(pictured, embeddings);
        this.options.log?.(`photo search of ${workspaceId}: embedded ${pictured.length} new or changed pictures`);
      }
    })().catch((error: Error) => {
      this.options.log?.(`photo search of ${workspaceId}: refresh failed: ${error.message}`);
    }).finally(() => {
      space.checking = undefined;
    });
  }

  private async allItems(workspaceId: string): Promise<Item[]> {
    const all: Item[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.options.items.list(workspaceId, { limit: 1000, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  private modelPath(workspaceId: string): string | undefined {
    return this.options.modelDir ? join(this.options.modelDir, `${encodeURIComponent(workspaceId)}.params`) : undefined;
  }

  private save(workspaceId: string, cnn: ImageCnn, plan: LabelPlan, index: EmbeddingIndex, trainedAt: number): void {
    const path = this.modelPath(workspaceId);
    if (!path) return;
    mkdirSync(this.options.modelDir!, { recursive: true });
    writeFileSync(`${path}.tmp`, cnn.save({ plan, trainedAt, versions: Object.fromEntries(index.versions) }));
    renameSync(`${path}.tmp`, path);
  }

  private loadSaved(workspaceId: string, backend: ReturnType<typeof modelBackend>): { cnn: ImageCnn; plan: LabelPlan; versions: Record<string, string>; trainedAt: number } | undefined {
    const path = this.modelPath(workspaceId);
    if (!path || !existsSync(path)) return undefined;
    try {
      const bytes = new Uint8Array(readFileSync(path));
      const peek = ImageCnn.peekMeta(bytes);
      const config = peek.config as ImageCnnConfig;
      if (config.size !== this.size) return undefined;
      const cnn = new ImageCnn(config, new SeededRandom('photo:load'), { executor: backend.executor, inferenceExecutor: backend.inferenceExecutor });
      const meta = cnn.load(bytes);
      return { cnn, plan: meta.plan as LabelPlan, versions: meta.versions as Record<string, string>, trainedAt: Number(meta.trainedAt) };
    } catch (error) {
      this.options.log?.(`photo search of ${workspaceId}: the saved model ${path} could not be loaded (${(error as Error).message}); training a new one`);
      return undefined;
    }
  }
}

function checkN(n: number, min: number): void {
  if (!Number.isInteger(n) || n < min || n > 1000) throw AppError.invalid(`n must be an integer from ${min} to 1000, got ${n}`, { field: 'n' });
}
