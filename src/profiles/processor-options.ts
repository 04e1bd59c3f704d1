import type { StoredEvent } from '../core/events.js';
import type { EventStore } from '../storage/event-store.js';
import type { CatalogSource } from './catalog-source.js';
import type { ConsentSource } from './consent.js';
import type { ProfileEventSource } from './event-source.js';
import type { ProfileOptions } from './profile-settings.js';
import type { RestoreReport, SnapshotReport } from './profile-snapshots.js';

/** Where the processor reads events, items, consent and identities. */
export interface ProfileDeps {
  /** Feeds batches after `start()`; without one, call `process()` yourself (a broker consumer, a test). */
  source?: ProfileEventSource;
  catalog: CatalogSource;
  consent: ConsentSource;
  /** Lets `getProfile` find a user by an anonymous id that was identified. */
  identities?: Pick<EventStore, 'resolveIdentity'>;
}

export interface ProcessorOptions extends ProfileOptions {
  /** Snapshot file (default: none, profiles live in memory only). */
  snapshotPath?: string;
  /** Load the snapshot but never write one (a CLI reading beside a running server that owns it). */
  snapshotReadOnly?: boolean;
  /** Snapshot after this many events (default 100 000) or this long after a change (default 60 s). */
  snapshotEveryEvents?: number;
  snapshotEveryMs?: number;
  /** Re-read a user's consent after this long (default 5 min); `refreshConsent` forces it. */
  consentTtlMs?: number;
  /** Re-read an item's attributes after this long (default 5 min); at most `maxCachedItems` per workspace (default 200 000). */
  itemTtlMs?: number;
  maxCachedItems?: number;
  /** Re-read the shop's catalog prices after this long (default 10 min). */
  priceRefreshMs?: number;
  clock?: () => number;
  /** Called after each batch is applied (freshness measurements, segment evaluation later). */
  onApplied?: (batch: readonly StoredEvent[]) => void;
  onError?: (error: unknown) => void;
}

export interface ProcessorStats {
  /** The last log seq applied: every event up to it is in the profiles. */
  position: number;
  profiles: number;
  anonymous: number;
  restricted: number;
  applied: number;
  /** Events at or below the position delivered again (ignored). */
  redelivered: number;
  /** Events of users who declined analytics, and events with neither user nor anonymous id (skipped). */
  untracked: number;
  unidentified: number;
  merges: number;
  /** Events whose update threw (reported through onError and skipped). */
  failed: number;
  /** Bytes of the packed columns and arena. */
  tableBytes: number;
  restored: RestoreReport;
  snapshots: SnapshotReport;
}
