import type { StoredEvent } from '../../core/events.js';
import type { ProfileTable } from '../profile-table.js';
import type { WorkspaceState } from '../workspace-state.js';

/**
 * A profile as the segment engine reads it synchronously: the processor's packed row. Valid until the
 * processor applies its next batch (slots are reused after merges and consent deletions).
 */
export interface ProfileRef {
  workspaceId: string;
  /** The user id, or the anonymous id of a visitor. */
  id: string;
  anonymous: boolean;
  table: ProfileTable;
  slot: number;
  ws: WorkspaceState;
}

/** Called by the processor after each event is applied to a profile, synchronously and in log order. */
export type EventAppliedListener = (event: StoredEvent, profile: ProfileRef) => void;

/**
 * What the segment engine needs from the profile processor (ProfileProcessor implements it through its
 * segment hooks): per-event calls, synchronous reads, a walk over a workspace's profiles, and a call
 * before each snapshot so the segments' snapshot is never older than the profiles'.
 */
export interface ProfileSource {
  readonly logPosition: number;
  onEventApplied(listener: EventAppliedListener): () => void;
  beforeSnapshot(hook: (position: number) => Promise<void>): () => void;
  profileRef(workspaceId: string, id: string): ProfileRef | undefined;
  forEachProfile(workspaceId: string, visit: (profile: ProfileRef) => void): void;
}

/**
 * A source without profiles (an engine not attached yet answers previews with it).
 *
 * @example previewRule({ source: NO_PROFILES, live, now }, rule, 10) // count 0
 */
export const NO_PROFILES: ProfileSource = {
  logPosition: 0, onEventApplied: () => () => undefined, beforeSnapshot: () => () => undefined, profileRef: () => undefined, forEachProfile: () => undefined,
};
