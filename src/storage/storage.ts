import type { EventStore } from './event-store.js';
import type { ItemStore } from './item-store.js';
import type { ModelStore } from './model-store.js';
import type { SegmentStore } from './segment-store.js';
import type { UserStore } from './user-store.js';
import type { WorkspaceStore } from './workspace-store.js';

/** What differs between storage back ends, as data (never `instanceof`). */
export interface StorageCapabilities {
  dialect: 'sqlite' | 'postgres';
  /** True when several processes can share this storage (scale-out). */
  shared: boolean;
  /** Event groups worth handing to `events.append` before the previous one commits (1 = one at a time). */
  appendPipelineDepth: number;
}

/** All stores of one storage back end, opened and migrated. */
export interface Storage {
  readonly capabilities: StorageCapabilities;
  readonly workspaces: WorkspaceStore;
  readonly users: UserStore;
  readonly items: ItemStore;
  readonly events: EventStore;
  /** Trained models, versioned per workspace and name. */
  readonly models: ModelStore;
  /** Segment definitions (rules and static lists) per workspace. */
  readonly segments: SegmentStore;
  /** Throws `AppError('unavailable')` when the back end does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
