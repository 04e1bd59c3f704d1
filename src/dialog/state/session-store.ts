import { AppError } from '../../core/errors.js';
import { type DialogState, newDialogState } from './dialog-state.js';

export interface SessionStoreOptions {
  /** Most sessions kept; the least recently used goes first (default 10 000). */
  maxSessions?: number;
  /** A session untouched for this long (ms) is forgotten (default 30 min). */
  ttlMs?: number;
  clock?: () => number;
}

/**
 * Dialog states in memory, keyed by workspace and session id, bounded (least recently used out first)
 * and expiring after `ttlMs` without a turn.
 *
 * @example
 * const sessions = new SessionStore({ maxSessions: 1000 });
 * const state = sessions.open('demo', 'session-1');
 */
export class SessionStore {
  private readonly states = new Map<string, DialogState>();
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly clock: () => number;

  constructor(options: SessionStoreOptions = {}) {
    this.max = options.maxSessions ?? 10_000;
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
    this.clock = options.clock ?? Date.now;
    if (!(this.max >= 1)) throw AppError.invalid(`maxSessions must be ≥ 1, got ${this.max}`, { field: 'maxSessions' });
  }

  get size(): number {
    return this.states.size;
  }

  /** The session's live state, or undefined when it never was or expired. */
  get(workspaceId: string, sessionId: string): DialogState | undefined {
    const key = keyOf(workspaceId, sessionId);
    const state = this.states.get(key);
    if (!state) return undefined;
    if (this.clock() - state.updatedAt > this.ttlMs) {
      this.states.delete(key);
      return undefined;
    }
    // Map order is the recency order: move it to the end.
    this.states.delete(key);
    this.states.set(key, state);
    return state;
  }

  /** The session's state, a fresh one when there is none; marks it used now. */
  open(workspaceId: string, sessionId: string): DialogState {
    const now = this.clock();
    let state = this.get(workspaceId, sessionId);
    if (!state) {
      state = newDialogState(workspaceId, sessionId, now);
      this.states.set(keyOf(workspaceId, sessionId), state);
      this.evict();
    }
    state.updatedAt = now;
    return state;
  }

  delete(workspaceId: string, sessionId: string): boolean {
    return this.states.delete(keyOf(workspaceId, sessionId));
  }

  private evict(): void {
    const now = this.clock();
    for (const [key, state] of this.states) {
      if (this.states.size <= this.max && now - state.updatedAt <= this.ttlMs) break;
      this.states.delete(key);
    }
  }
}

function keyOf(workspaceId: string, sessionId: string): string {
  return `${workspaceId}\u0000${sessionId}`;
}
