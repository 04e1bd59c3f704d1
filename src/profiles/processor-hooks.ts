import type { StoredEvent } from '../core/events.js';
import type { EventAppliedListener, ProfileRef } from './segments/profile-source.js';

/**
 * The processor's listeners: after each applied event (segments, vocabulary) and before each
 * snapshot (dependent state is then never older than the profiles'). A failing listener is reported
 * to `onError` and does not stop the others.
 *
 * @example const hooks = new ProcessorHooks(console.error); const off = hooks.onApplied((e, ref) => …);
 */
export class ProcessorHooks {
  private readonly applied: EventAppliedListener[] = [];
  private readonly snapshot: ((position: number) => Promise<void>)[] = [];

  constructor(private readonly onError?: (error: unknown) => void) {}

  /** Whether anyone listens to applied events (the processor skips building refs otherwise). */
  get listening(): boolean {
    return this.applied.length > 0;
  }

  onApplied(listener: EventAppliedListener): () => void {
    this.applied.push(listener);
    return () => void this.applied.splice(this.applied.indexOf(listener) >>> 0, 1);
  }

  beforeSnapshot(hook: (position: number) => Promise<void>): () => void {
    this.snapshot.push(hook);
    return () => void this.snapshot.splice(this.snapshot.indexOf(hook) >>> 0, 1);
  }

  notifyApplied(e: StoredEvent, ref: ProfileRef): void {
    for (const listener of this.applied) {
      try {
        listener(e, ref);
      } catch (error) {
        this.onError?.(error);
      }
    }
  }

  async runBeforeSnapshot(position: number): Promise<void> {
    for (const hook of this.snapshot) await hook(position);
  }
}
