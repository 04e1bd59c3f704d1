import type { Storage } from '../storage/storage.js';
import { catalogFromItemStore } from './catalog-source.js';
import { consentFromUserStore } from './consent.js';
import { PollingEventSource, type PollingOptions } from './event-source.js';
import { type ProcessorOptions, ProfileProcessor } from './profile-processor.js';
import { snapshotPath } from './profile-snapshot.js';

export interface StorageProcessorOptions extends ProcessorOptions {
  /** Snapshots go to `<dataDir>/profiles/profiles.snapshot` (unless `snapshotPath` is given); none without either. */
  dataDir?: string;
  polling?: PollingOptions;
}

/**
 * The processor the server runs: follows the storage's event log (polling, nudged after commits),
 * reads items and consent from its stores, snapshots under the data dir. On a shared store (PostgreSQL,
 * several writers) gaps in the seq are held for 2 s so a slower concurrent commit is not skipped.
 *
 * @example
 * const profiles = createProfileProcessor(storage, { dataDir: config.dataDir });
 * await profiles.start();
 */
export function createProfileProcessor(storage: Storage, options: StorageProcessorOptions = {}): ProfileProcessor {
  const { dataDir, polling, ...rest } = options;
  const source = new PollingEventSource(storage.events, { holdGapsMs: storage.capabilities.shared ? 2000 : 0, onError: rest.onError, ...polling });
  return new ProfileProcessor(
    { source, catalog: catalogFromItemStore(storage.items), consent: consentFromUserStore(storage.users), identities: storage.events },
    { ...rest, snapshotPath: rest.snapshotPath ?? (dataDir !== undefined ? snapshotPath(dataDir) : undefined) },
  );
}
