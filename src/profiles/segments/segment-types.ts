import type { EventInput } from '../../core/events.js';

/** A segment as the engine runs it: a rule over profiles, or a static list of user ids. */
export interface SegmentDefinition {
  id: string;
  name: string;
  kind: 'rule' | 'list';
  /** The rule text (kind rule). */
  rule?: string | null;
  /** The members (kind list). */
  userIds?: readonly string[] | null;
}

/** One membership change: a user entered or left a segment, because of an event or at a deadline. */
export interface MembershipChange {
  workspaceId: string;
  segmentId: string;
  /** The profile id: a user id, or an anonymous id. */
  user: string;
  anonymous: boolean;
  change: 'entered' | 'exited';
  /** Event time of the crossing event, or the deadline. */
  at: number;
  /** `e<seq>` (the event that crossed the boundary), `t<ms>` (a deadline), `rfm<seq>` (new RFM cut-offs). */
  cause: string;
}

/**
 * Where membership changes go: the ingest path (IngestService.ingest), so they are events of the log
 * like any other (`Segment Entered` / `Segment Exited`). Tests pass a function that collects them.
 */
export type SegmentEmitter = (workspaceId: string, events: EventInput[]) => Promise<unknown>;

/** The track event names membership changes are written as; the engine ignores them when they come back. */
export const SEGMENT_ENTERED = 'Segment Entered';
export const SEGMENT_EXITED = 'Segment Exited';

/** Whether `e` is a membership event Shopwise wrote (the two names are reserved for it). */
export function isMembershipEvent(e: { type: string; event?: string | null }): boolean {
  return e.type === 'track' && (e.event === SEGMENT_ENTERED || e.event === SEGMENT_EXITED);
}
