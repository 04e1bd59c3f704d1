import { segmentEvent } from './segment-events.js';
import type { MembershipChange, SegmentEmitter } from './segment-types.js';

/**
 * Membership changes on their way to the log: the changes of one batch are collected and written
 * together a microtask later (after the processor's synchronous loop over the batch), one `emit` call
 * per workspace. `flush` waits until every write has finished.
 *
 * @example const outbox = new ChangeOutbox(emit, onError, () => engine.beforeFlush()); outbox.add(change);
 */
export class ChangeOutbox {
  private changes: MembershipChange[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private queued = false;

  constructor(private readonly emit: SegmentEmitter | undefined, private readonly onError: ((error: unknown) => void) | undefined, private readonly beforeDrain: () => void) {}

  add(change: MembershipChange): void {
    this.changes.push(change);
    this.queue();
  }

  /** Runs `beforeDrain` and drains at the next microtask (also when no change is waiting). */
  queue(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.beforeDrain();
      this.drain();
    });
  }

  async flush(): Promise<void> {
    this.drain();
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private drain(): void {
    if (this.changes.length === 0) return;
    const changes = this.changes;
    this.changes = [];
    if (!this.emit) return;
    const byWorkspace = new Map<string, MembershipChange[]>();
    for (const c of changes) byWorkspace.set(c.workspaceId, [...(byWorkspace.get(c.workspaceId) ?? []), c]);
    for (const [workspaceId, list] of byWorkspace) {
      const p = this.emit(workspaceId, list.map(segmentEvent)).catch((error) => this.onError?.(error));
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    }
  }
}
