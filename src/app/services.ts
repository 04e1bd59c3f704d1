import type { Config } from '../config/schema.js';
import { KeyService } from '../auth/key-service.js';
import { GroupCommitWriter } from '../ingest/group-commit.js';
import { IngestService } from '../ingest/ingest-service.js';
import { RecommendationService } from '../jobs/recommendation-service.js';
import { ServedModels } from '../jobs/served-models.js';
import { TrainingJobs } from '../jobs/training-jobs.js';
import { createProfileProcessor } from '../profiles/create-profile-processor.js';
import { withCommitNudge } from '../profiles/event-source.js';
import type { ProfileProcessor } from '../profiles/profile-processor.js';
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
  await profiles.start();
  // Another process (`shopwise train`, another server) may save versions: check for newer ones now and then.
  const served = new ServedModels(storage.models, { refreshMs: 30_000 });
  const training = new TrainingJobs(storage, served);
  return {
    config,
    storage,
    writer,
    ingest: new IngestService(writer, { maxEventBytes: config.maxEventBytes }),
    keys: new KeyService(storage.workspaces),
    training,
    recommendations: new RecommendationService(storage, served),
    profiles,
    async close() {
      await training.close();
      await writer.drain();
      await profiles.close();
      await storage.close();
    },
  };
}
