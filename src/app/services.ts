import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { KeyService } from '../auth/key-service.js';
import { GroupCommitWriter } from '../ingest/group-commit.js';
import { IngestService } from '../ingest/ingest-service.js';
import { RecommendationService } from '../jobs/recommendation-service.js';
import { ServedModels } from '../jobs/served-models.js';
import { TrainingJobs } from '../jobs/training-jobs.js';
import { createProfileProcessor } from '../profiles/create-profile-processor.js';
import { withCommitNudge } from '../profiles/event-source.js';
import { catalogFromItemStore } from '../profiles/catalog-source.js';
import { SegmentEngine } from '../profiles/segments/segment-engine.js';
import { segmentSnapshotPath } from '../profiles/segments/segment-engine-snapshot.js';
import { historyFromEventStore } from '../profiles/segments/segment-history.js';
import { SegmentService } from '../profiles/segments/segment-service.js';
import { catalogItems, TagTreeService } from '../profiles/tag-tree-service.js';
import { VocabularyTracker } from '../profiles/vocabulary-tracker.js';
import { SeededRandom } from '../math/random.js';
import type { ProfileProcessor } from '../profiles/profile-processor.js';
import { Assistant } from '../dialog/assistant.js';
import { CatalogCache } from '../dialog/catalog-cache.js';
import { WorkspaceNlu } from '../dialog/nlu/workspace-nlu.js';
import { SessionStore } from '../dialog/state/session-store.js';
import { ImageFiles } from '../dialog/photo/image-files.js';
import { PhotoSearchService } from '../dialog/photo/photo-search-service.js';
import { openStorage } from '../storage/open-storage.js';
import type { Storage } from '../storage/storage.js';

/** Everything the HTTP API and the CLI commands work with, built once from the config. */
export interface Services {
  config: Config;
  storage: Storage;
  writer: GroupCommitWriter;
  ingest: IngestService;
  keys: KeyService;
  /** Training jobs: fit a recommender in a worker thread, save it as a version, serve it. */
  training: TrainingJobs;
  /** Recommendations, similar and popular items from the served models. */
  recommendations: RecommendationService;
  /** Real-time user profiles, fed by the event log and nudged after every commit. */
  profiles: ProfileProcessor;
  /** Rule, list and built-in segments, evaluated on every event the processor applies. */
  segments: SegmentService;
  /** Keywords, trending terms and the subword model, fed by the processor. */
  vocabulary: VocabularyTracker;
  /** Tag trees per workspace, rebuilt from the catalog and the profiles. */
  tagTrees: TagTreeService;
  /** The shopping assistant (POST /v1/chat): the workspace's NLU, session state, policy, replies. */
  chat: Assistant;
  /** The assistant's NLU per workspace: saved under `<dataDir>/models/nlu/`, loaded or trained by `prepareAll` (the server's start) or the first chat. */
  nlu: WorkspaceNlu;
  /** Photo search (POST /v1/search/image): an image CNN trained per workspace on the item pictures, on first use. */
  photoSearch: PhotoSearchService;
  /** Cancels training jobs, waits for queued events to commit, then closes storage. */
  close(): Promise<void>;
}

/**
 * Opens storage (running migrations) and builds the services on it.
 *
 * @example const services = await createServices(loadConfig());
 */
export async function createServices(config: Config): Promise<Services> {
  const storage = await openStorage(config.storageUrl, { sqliteSynchronous: config.sqliteSynchronous });
  const profiles = createProfileProcessor(storage, { dataDir: config.dataDir });
  // Each commit nudges the processor, so a profile reflects an event milliseconds after its 2xx.
  const writer = new GroupCommitWriter(withCommitNudge(storage.events, () => profiles.nudge()), config.commitMaxEvents, storage.capabilities.appendPipelineDepth);
  const ingest = new IngestService(writer, { maxEventBytes: config.maxEventBytes });
  const engine = new SegmentEngine({
    emit: (workspaceId, events) => ingest.ingest(workspaceId, events),
    history: historyFromEventStore(storage.events, catalogFromItemStore(storage.items)),
    snapshotPath: segmentSnapshotPath(config.dataDir),
  });
  // Restore segments and subscribe the listeners before the processor replays, so replayed events reach them.
  await engine.restore();
  engine.attach(profiles);
  const vocabulary = new VocabularyTracker({ rng: new SeededRandom('vocabulary') });
  vocabulary.follow(profiles);
  await profiles.start();
  const segments = new SegmentService({ store: storage.segments, engine, identities: storage.events });
  await segments.start((await storage.workspaces.listWorkspaces()).map((w) => w.id));
  const tagTrees = new TagTreeService(profiles, {
    items: catalogItems(storage.items),
    newTags: (ws) => vocabulary.tags(ws).map((t) => ({ term: t.term, weight: t.count, neighbours: t.neighbours })),
  });
  // Another process (`shopwise train`, another server) may save versions: check for newer ones now and then.
  const served = new ServedModels(storage.models, { refreshMs: 30_000 });
  const training = new TrainingJobs(storage, served);
  const recommendations = new RecommendationService(storage, served);
  const catalogs = new CatalogCache(storage.items);
  const log = config.logLevel === 'silent' ? undefined : (message: string) => console.log(message);
  const nlu = new WorkspaceNlu(catalogs, { modelDir: join(config.dataDir, 'models', 'nlu'), log });
  const chat = new Assistant({
    catalogs, nlu, sessions: new SessionStore(), profiles,
    recommend: async (ws, userId, n) => (await recommendations.recommend(ws, userId, n)).items,
    popular: async (ws, n) => (await recommendations.popular(ws, n)).items,
    ingest: (ws, events) => ingest.ingest(ws, events),
  });
  const photoSearch = new PhotoSearchService({
    items: storage.items, files: new ImageFiles(config.dataDir), modelDir: join(config.dataDir, 'models', 'photo'),
    log,
  });
  return {
    config,
    storage,
    writer,
    ingest,
    keys: new KeyService(storage.workspaces),
    training,
    recommendations,
    profiles,
    segments,
    vocabulary,
    tagTrees,
    chat,
    nlu,
    photoSearch,
    async close() {
      nlu.close();
      await photoSearch.close();
      await training.close();
      await writer.drain();
      await profiles.close();
      await engine.close();
      await storage.close();
    },
  };
}
