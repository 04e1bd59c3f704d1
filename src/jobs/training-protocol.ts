import type { ErrorKind } from '../core/errors.js';
import { IdIndex, type Interactions, type ItemInfo } from '../recommend/interactions.js';
import type { FitReport } from '../recommend/recommender.js';
import type { HoldoutReport } from './quick-holdout.js';

/** What a training job is doing: loading events, fitting a holdout copy, fitting, saving the version. */
export type JobPhase = 'queued' | 'loading' | 'holdout' | 'fitting' | 'saving' | 'done';

/** Progress of a job: `step` of `steps` `unit`s of the current phase (steps 0 = not known yet). */
export interface JobProgress {
  phase: JobPhase;
  step: number;
  steps: number;
  unit: string;
  loss?: number;
}

/** Interactions as they cross to the worker: id lists instead of IdIndex, typed arrays transferred. */
export interface WireInteractions {
  users: string[];
  items: string[];
  user: Int32Array;
  item: Int32Array;
  value: Float32Array;
  time: Float64Array;
  explicit: boolean;
  itemInfo: (ItemInfo | undefined)[];
  rowText?: (string | undefined)[];
}

/** The worker's input (its `workerData`). */
export interface TrainingRequest {
  model: string;
  params: Record<string, unknown>;
  seed: number | string;
  /** Fit a copy on a leave-last-out split first and report its hit rate. */
  holdout: boolean;
  interactions: WireInteractions;
}

/** What the worker sends back. */
export type TrainingMessage =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; blob: Uint8Array; report: FitReport; holdout?: HoldoutReport; params: Record<string, unknown>; data: { users: number; items: number; rows: number } }
  | { type: 'error'; error: { message: string; kind?: ErrorKind } };

/**
 * Interactions ready to post to a worker, and the buffers to transfer (not copy). The caller's
 * typed arrays are unusable afterwards.
 *
 * @example const { wire, transfer } = toWire(data); new Worker(url, { workerData: { …, interactions: wire }, transferList: transfer });
 */
export function toWire(data: Interactions): { wire: WireInteractions; transfer: ArrayBuffer[] } {
  const wire: WireInteractions = {
    users: data.users.ids(), items: data.items.ids(),
    user: data.user, item: data.item, value: data.value, time: data.time,
    explicit: data.explicit, itemInfo: Array.from({ length: data.items.size }, (_, i) => data.itemInfo[i]),
    ...(data.rowText ? { rowText: data.rowText.slice() } : {}),
  };
  // Only whole buffers can be transferred; a view into a larger (shared) buffer is copied.
  const transfer = [data.user, data.item, data.value, data.time]
    .filter((a) => a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer)
    .map((a) => a.buffer as ArrayBuffer);
  return { wire, transfer };
}

/**
 * The interactions a worker received.
 *
 * @example const data = new TrainingData(fromWire(request.interactions));
 */
export function fromWire(wire: WireInteractions): Interactions {
  return {
    users: new IdIndex(wire.users), items: new IdIndex(wire.items),
    user: wire.user, item: wire.item, value: wire.value, time: wire.time,
    explicit: wire.explicit, itemInfo: wire.itemInfo,
    ...(wire.rowText ? { rowText: wire.rowText } : {}),
  };
}
