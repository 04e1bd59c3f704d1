import { AppError } from '../core/errors.js';
import type { AppendStatus, NormalizedEvent, StoredEvent } from '../core/events.js';
import type { EventStore } from '../storage/event-store.js';

/**
 * Where the profile processor gets events: batches in ascending `seq`, each delivered only after the
 * previous one was handled. The default polls the event log; a broker (NATS JetStream) consumer can
 * implement the same three methods later. The processor ignores events at or below its position, so a
 * source that delivers a batch twice (at-least-once) counts nothing twice.
 */
export interface ProfileEventSource {
  /** Starts delivering events with seq > `position`. */
  start(position: number, handle: (batch: readonly StoredEvent[]) => Promise<void>): void;
  /** New events may have been committed: look now instead of at the next poll. */
  nudge(): void;
  /** Stops delivering and waits for the batch in progress. */
  stop(): Promise<void>;
}

export interface PollingOptions {
  /** Most events per batch (default 5000). */
  batchSize?: number;
  /** Look for new events this often when not nudged (default 1000 ms). */
  pollMs?: number;
  /**
   * How long a gap in seq numbers may hide an uncommitted transaction (default 0). With one writer
   * (SQLite) commits come in seq order and a gap is final; with several servers on PostgreSQL a lower seq
   * can commit after a higher one, so the source stops before a new gap and waits this long for it to
   * fill before reading past it. A transaction slower than this is missed; make it longer than the
   * slowest commit.
   */
  holdGapsMs?: number;
  /** Called when reading fails; the source retries after `pollMs` (default: ignore). */
  onError?: (error: unknown) => void;
  clock?: () => number;
}

/**
 * Follows the event log with `readAfter` from the last position: immediately after a full batch, at
 * once when nudged (the ingest path nudges after every commit, so freshness is a few milliseconds),
 * and every `pollMs` otherwise (other processes write to the log too).
 *
 * @example
 * const source = new PollingEventSource(storage.events, { pollMs: 500 });
 * source.start(0, async (batch) => console.log(batch.length));
 */
export class PollingEventSource implements ProfileEventSource {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private nudged = false;
  /** The seq after which a gap was first seen, and when. */
  private gap: { after: number; since: number } | undefined;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly holdGapsMs: number;
  private readonly clock: () => number;

  constructor(private readonly events: Pick<EventStore, 'readAfter'>, private readonly options: PollingOptions = {}) {
    this.batchSize = options.batchSize ?? 5000;
    this.pollMs = options.pollMs ?? 1000;
    this.holdGapsMs = options.holdGapsMs ?? 0;
    this.clock = options.clock ?? Date.now;
  }

  start(position: number, handle: (batch: readonly StoredEvent[]) => Promise<void>): void {
    if (this.running) throw AppError.conflict('this PollingEventSource is already started');
    this.running = true;
    this.loop = this.run(position, handle);
  }

  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(start: number, handle: (batch: readonly StoredEvent[]) => Promise<void>): Promise<void> {
    let position = start;
    while (this.running) {
      this.nudged = false;
      let wait = this.pollMs;
      try {
        const read = await this.events.readAfter(position, this.batchSize);
        const batch = this.uptoGap(position, read);
        if (batch.length > 0) {
          await handle(batch);
          position = batch[batch.length - 1]!.seq;
        }
        if (read.length === this.batchSize && batch.length === read.length) continue;
        if (batch.length < read.length) wait = Math.max(1, Math.min(wait, this.gap!.since + this.holdGapsMs - this.clock()));
      } catch (error) {
        this.options.onError?.(error);
      }
      if (this.running && !this.nudged) await this.sleep(wait);
    }
  }

  /** The events before a gap still within its hold time (all of them when gaps are not held). */
  private uptoGap(position: number, read: StoredEvent[]): StoredEvent[] {
    if (this.holdGapsMs <= 0) return read;
    let previous = position;
    for (let i = 0; i < read.length; i++) {
      const seq = read[i]!.seq;
      if (seq !== previous + 1 && (position > 0 || i > 0)) {
        if (this.gap?.after !== previous) this.gap = { after: previous, since: this.clock() };
        if (this.clock() - this.gap.since < this.holdGapsMs) return read.slice(0, i);
      }
      previous = seq;
    }
    return read;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

/**
 * The event store with a hook after every commit: the ingest path's writer appends through this so the
 * profile processor reads new events at once rather than at its next poll.
 *
 * @example new GroupCommitWriter(withCommitNudge(storage.events, () => profiles.nudge()), config.commitMaxEvents)
 */
export function withCommitNudge(store: EventStore, nudge: () => void): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') {
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      return async (events: readonly NormalizedEvent[]): Promise<AppendStatus[]> => {
        const statuses = await target.append(events);
        if (statuses.includes('stored')) nudge();
        return statuses;
      };
    },
  });
}
