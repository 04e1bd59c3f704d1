import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../core/errors.js';
import type { TrackExport } from './behaviour-tracks.js';
import type { Deadline, DeadlineQueue } from './deadline-queue.js';
import type { RfmCutoffs } from './rfm-tiers.js';
import { WorkspaceSegments } from './segment-workspace.js';

/** The engine's state as its snapshot file holds it (JSON). */
export interface EngineSnapshot {
  version: 1;
  /** The log seq the state includes; events at or below it are ignored when replayed. */
  position: number;
  watermark: number;
  workspaces: {
    id: string;
    rfm: RfmCutoffs | null;
    ordersSinceRfm: number;
    lastActive: [string, number][];
    tracks: TrackExport[];
    /** Members per segment; reused only when the segment's rule (signature) is unchanged. */
    segments: { id: string; signature: string; members: string[] }[];
  }[];
  deadlines: Deadline[];
}

/**
 * Where the server keeps the engine's snapshot: beside the profiles' (`<dataDir>/profiles/segments.snapshot`).
 *
 * @example new SegmentEngine({ snapshotPath: segmentSnapshotPath(config.dataDir) })
 */
export function segmentSnapshotPath(dataDir: string): string {
  return join(dataDir, 'profiles', 'segments.snapshot');
}

/**
 * The engine's state as a snapshot holds it.
 *
 * @example await writeEngineSnapshot(path, snapshotOf(position, watermark, workspaces, deadlines));
 */
export function snapshotOf(position: number, watermark: number, workspaces: Map<string, WorkspaceSegments>, deadlines: DeadlineQueue): EngineSnapshot {
  return {
    version: 1, position, watermark: Number.isFinite(watermark) ? watermark : 0,
    workspaces: [...workspaces.values()].map((w) => ({
      id: w.id, rfm: w.rfm, ordersSinceRfm: w.ordersSinceRfm, lastActive: [...w.lastActive], tracks: w.tracks.export(),
      segments: [...w.segments.values()].filter((s) => s.rule && s.ready).map((s) => ({ id: s.def.id, signature: s.signature, members: [...s.members] })),
    })),
    deadlines: deadlines.export(),
  };
}

/**
 * Writes atomically: a temporary file renamed over the last snapshot.
 *
 * @example await writeEngineSnapshot(segmentSnapshotPath(dataDir), snapshot);
 */
export async function writeEngineSnapshot(path: string, snapshot: EngineSnapshot): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, JSON.stringify(snapshot));
  await rename(temporary, path);
}

/**
 * The snapshot, or undefined when there is none; a corrupt one is an error that says where.
 *
 * @example const snapshot = await readEngineSnapshot(segmentSnapshotPath(dataDir));
 */
export async function readEngineSnapshot(path: string): Promise<EngineSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const snapshot = JSON.parse(text) as EngineSnapshot;
    if (snapshot.version !== 1 || !Array.isArray(snapshot.workspaces)) throw new Error(`unknown snapshot version ${String(snapshot.version)}`);
    return snapshot;
  } catch (error) {
    throw new AppError('unavailable', `segment snapshot ${path} cannot be read (${(error as Error).message}); delete it to rebuild segments from the profiles`, {}, { cause: error });
  }
}

/**
 * The workspaces a snapshot holds, with their windows, activity and RFM cut-offs (segments are defined again from the store).
 *
 * @example for (const [id, w] of restoreWorkspaces(snapshot)) workspaces.set(id, w);
 */
export function restoreWorkspaces(snapshot: EngineSnapshot): Map<string, WorkspaceSegments> {
  const out = new Map<string, WorkspaceSegments>();
  for (const saved of snapshot.workspaces) {
    const w = new WorkspaceSegments(saved.id);
    w.tracks.restore(saved.tracks);
    for (const [user, at] of saved.lastActive) w.lastActive.set(user, at);
    w.rfm = saved.rfm;
    w.ordersSinceRfm = saved.ordersSinceRfm;
    out.set(saved.id, w);
  }
  return out;
}
