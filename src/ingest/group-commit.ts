import type { AppendStatus, NormalizedEvent } from '../core/events.js';
import type { EventStore } from '../storage/event-store.js';

interface Pending {
  events: readonly NormalizedEvent[];
  resolve: (statuses: AppendStatus[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: events from concurrent requests that arrive while a commit is being prepared or running
 * are written together in ONE transaction; every caller's promise resolves only after that commit.
 * One fsync then serves many requests, which is what makes durable single-event POSTs fast.
 *
 * @example const statuses = await writer.write(events); // resolves after the commit
 */
export class GroupCommitWriter {
  private queue: Pending[] = [];
  private queued = 0;
  private inFlight = 0;
  private scheduled = false;
  private committedGroups = 0;
  private committedEvents = 0;

  /**
   * @param maxInFlight groups handed to the store before the first one commits. More than one pays
   *   only when the store pipelines (the SQLite writer thread queues the next group while it fsyncs).
   */
  constructor(private readonly store: EventStore, private readonly maxEventsPerCommit: number, private readonly maxInFlight = 1) {}

  write(events: readonly NormalizedEvent[]): Promise<AppendStatus[]> {
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.queued += events.length;
      this.schedule();
    });
  }

  /** Groups and events committed so far (exposed as metrics). */
  stats(): { groups: number; events: number; queued: number } {
    return { groups: this.committedGroups, events: this.committedEvents, queued: this.queued };
  }

  /** Resolves once everything queued so far is committed (used on shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    // setImmediate lets every request already parsed in this turn of the event loop join the group.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.inFlight++;
    const group = this.takeGroup();
    const events = group.length === 1 ? group[0]!.events : group.flatMap((p) => p.events);
    try {
      const statuses = await this.store.append(events);
      this.committedGroups++;
      this.committedEvents += events.length;
      let offset = 0;
      for (const pending of group) {
        pending.resolve(statuses.slice(offset, offset + pending.events.length));
        offset += pending.events.length;
      }
    } catch (error) {
      for (const pending of group) pending.reject(error);
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** Takes whole requests up to the size limit (always at least one request). */
  private takeGroup(): Pending[] {
    let count = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || count + this.queue[n]!.events.length <= this.maxEventsPerCommit)) {
      count += this.queue[n]!.events.length;
      n++;
    }
    this.queued -= count;
    return this.queue.splice(0, n);
  }
}
