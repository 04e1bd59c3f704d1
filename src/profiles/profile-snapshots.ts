import { rename } from 'node:fs/promises';
import { F64, F64_WIDTH } from './profile-layout.js';
import { encodeSnapshot, readSnapshotFile, writeSnapshotFile } from './profile-snapshot.js';
import { type ResolvedProfileOptions, settingsSignature } from './profile-settings.js';
import { ProfileTable, type TableExport } from './profile-table.js';
import type { WorkspaceExport } from './workspace-state.js';

/** What `start()` found. */
export interface RestoreReport {
  /** snapshot: continued from one; none: there was none; discarded: there was one that could not be used (`reason`). */
  from: 'none' | 'snapshot' | 'discarded';
  /** The log position the profiles start from. */
  position: number;
  reason?: string;
  profiles?: number;
  ms?: number;
}

export interface SnapshotReport {
  written: number;
  lastPosition?: number;
  lastBytes?: number;
  /** Time to capture the state (processing paused) and to write it (processing continued). */
  lastCaptureMs?: number;
  lastWriteMs?: number;
  lastAt?: number;
}

/** The processor's state as a snapshot holds it. */
export interface ProcessorState {
  position: number;
  table: ProfileTable;
  workspaces: WorkspaceExport[];
}

interface Captured {
  position: number;
  table: TableExport;
  workspaces: WorkspaceExport[];
}

/**
 * When and how the processor's snapshots are written and read (the file format is profile-snapshot.ts).
 * A snapshot is captured synchronously between two batches — so it holds exactly the events up to its
 * position — and written while processing goes on; one write at a time.
 *
 * @example const snapshots = new ProfileSnapshots(snapshotPath(dataDir), resolved, { snapshotEveryEvents: 100_000 });
 */
export class ProfileSnapshots {
  private readonly signature: string;
  private writing: Promise<void> | undefined;
  private lastPosition = 0;
  private lastAt: number;
  private readonly stats: SnapshotReport = { written: 0 };
  private readonly clock: () => number;

  constructor(
    readonly path: string,
    settings: ResolvedProfileOptions,
    private readonly options: { snapshotEveryEvents?: number; snapshotEveryMs?: number; snapshotReadOnly?: boolean; clock?: () => number; onError?: (error: unknown) => void } = {},
  ) {
    this.signature = settingsSignature(settings);
    this.clock = options.clock ?? Date.now;
    this.lastAt = this.clock();
  }

  /** Reads the snapshot; one that is corrupt is moved aside and one made with other settings is ignored. */
  async load(): Promise<{ report: RestoreReport; state?: ProcessorState }> {
    const started = this.clock();
    let content;
    try {
      content = await readSnapshotFile(this.path);
    } catch (error) {
      if (this.options.snapshotReadOnly) return { report: { from: 'discarded', position: 0, reason: (error as Error).message } };
      const aside = `${this.path}.corrupt-${started}`;
      await rename(this.path, aside).catch(() => {});
      return { report: { from: 'discarded', position: 0, reason: `${(error as Error).message}; moved to ${aside}` } };
    }
    if (!content) return { report: { from: 'none', position: 0 } };
    const h = content.header as { signature: string; position: number; table: Omit<TableExport, 'f64' | 'f32' | 'u32' | 'u16' | 'secOff' | 'secMeta' | 'arena'> & { arenaFree: number[][] }; workspaces: WorkspaceExport[] };
    if (h.signature !== this.signature) {
      return { report: { from: 'discarded', position: 0, reason: 'the snapshot was made with other profile settings; replaying the log from the start' } };
    }
    const a = content.arrays;
    const table = ProfileTable.restore({
      used: h.table.used, freeSlots: h.table.freeSlots, ids: h.table.ids,
      f64: a.f64 as Float64Array, f32: a.f32 as Float32Array, u32: a.u32 as Uint32Array, u16: a.u16 as Uint16Array, secOff: a.secOff as Int32Array, secMeta: a.secMeta as Int32Array,
      arena: { keys: a.arenaKeys as Int32Array, bits: a.arenaBits as Uint32Array, free: h.table.arenaFree },
    });
    // Consent was read by the previous process: read it again.
    for (let slot = 0; slot < table.used; slot++) table.f64[slot * F64_WIDTH + F64.consentCheckedAt] = 0;
    this.lastPosition = h.position;
    return {
      report: { from: 'snapshot', position: h.position, profiles: table.count, ms: this.clock() - started },
      state: { position: h.position, table, workspaces: h.workspaces },
    };
  }

  /** True when a snapshot is due: enough events since the last, or (on the timer) any change for long enough. */
  due(position: number, timer: boolean): boolean {
    if (this.options.snapshotReadOnly || this.writing || position === this.lastPosition) return false;
    if (position - this.lastPosition >= (this.options.snapshotEveryEvents ?? 100_000)) return true;
    return timer && this.clock() - this.lastAt >= (this.options.snapshotEveryMs ?? 60_000) * 0.9;
  }

  /** Encodes now (synchronously) and writes; `wait` also waits for the write (close, tests). */
  async write(capture: Captured, wait: boolean): Promise<void> {
    if (this.options.snapshotReadOnly) return;
    if (this.writing) await this.writing;
    const started = this.clock();
    const chunks = encode(capture, this.signature);
    const captureMs = this.clock() - started;
    this.lastPosition = capture.position;
    this.lastAt = this.clock();
    this.writing = writeSnapshotFile(this.path, chunks).then(
      (bytes) => {
        Object.assign(this.stats, { written: this.stats.written + 1, lastPosition: capture.position, lastBytes: bytes, lastCaptureMs: captureMs, lastWriteMs: this.clock() - started - captureMs, lastAt: this.clock() });
      },
      (error) => {
        // The previous snapshot stays valid; the next one is due again at once.
        this.lastPosition = 0;
        this.options.onError?.(error);
      },
    ).finally(() => (this.writing = undefined));
    if (wait) await this.writing;
  }

  report(): SnapshotReport {
    return { ...this.stats };
  }
}

function encode(capture: Captured, signature: string): Buffer[] {
  const { table } = capture;
  return encodeSnapshot({
    header: {
      signature, position: capture.position, workspaces: capture.workspaces,
      table: { used: table.used, freeSlots: table.freeSlots, ids: table.ids, arenaFree: table.arena.free },
    },
    arrays: { f64: table.f64, f32: table.f32, u32: table.u32, u16: table.u16, secOff: table.secOff, secMeta: table.secMeta, arenaKeys: table.arena.keys, arenaBits: table.arena.bits },
  });
}
