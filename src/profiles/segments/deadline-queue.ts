/** A (workspace, segment, user) whose membership may change by itself at `at`. */
export interface Deadline {
  at: number;
  workspaceId: string;
  segmentId: string;
  user: string;
}

/**
 * The next deadline of each (workspace, segment, user): a binary min-heap with lazy deletion — a
 * re-scheduled or cancelled entry stays in the heap and is skipped when it surfaces; the heap is
 * rebuilt when stale entries outnumber the live ones.
 *
 * @example
 * const q = new DeadlineQueue();
 * q.schedule({ at: t + 14 * DAY_MS, workspaceId: 'shop', segmentId: 'lapsed', user: 'u1' });
 * q.popDue(Date.now()) // the deadlines at or before now, earliest first
 */
export class DeadlineQueue {
  private heap: Deadline[] = [];
  /** Live deadline per user, per (workspace, segment): no key string per user. */
  private readonly live = new Map<string, Map<string, number>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Sets (or with at = Infinity clears) the deadline of an entry. */
  schedule(d: Deadline): void {
    this.set(d.workspaceId, d.segmentId, d.user, d.at);
  }

  /** `schedule` without making an entry object unless one goes into the heap. */
  set(workspaceId: string, segmentId: string, user: string, at: number): void {
    const key = segmentKey(workspaceId, segmentId);
    let users = this.live.get(key);
    const previous = users?.get(user);
    if (!Number.isFinite(at)) {
      if (previous !== undefined) this.remove(users!, user);
      return;
    }
    if (previous === at) return;
    if (!users) this.live.set(key, (users = new Map()));
    if (previous === undefined) this.count++;
    users.set(user, at);
    // A deadline that moves later (the usual case: each event pushes inactivity out) keeps its heap entry,
    // which is moved to the new time when it surfaces; only an earlier one needs a new entry.
    if (previous === undefined || at < previous) this.push({ at, workspaceId, segmentId, user });
    if (this.heap.length > 2 * this.count + 1024) this.rebuild();
  }

  cancel(workspaceId: string, segmentId: string, user: string): void {
    const users = this.live.get(segmentKey(workspaceId, segmentId));
    if (users?.has(user)) this.remove(users, user);
  }

  /** Drops every deadline of a segment (deleted or redefined). */
  cancelSegment(workspaceId: string, segmentId: string): void {
    const key = segmentKey(workspaceId, segmentId);
    this.count -= this.live.get(key)?.size ?? 0;
    this.live.delete(key);
  }

  /** Drops every deadline of a user (merged into another profile). */
  cancelUser(workspaceId: string, user: string): void {
    for (const [key, users] of this.live) if (key.startsWith(`${workspaceId}\u0000`) && users.has(user)) this.remove(users, user);
  }

  /** The earliest live deadline (Infinity when none). */
  peek(): number {
    this.dropStale();
    return this.heap[0]?.at ?? Infinity;
  }

  /** Removes and returns the live deadlines at or before `now`, earliest first. */
  popDue(now: number): Deadline[] {
    const due: Deadline[] = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (!top || top.at > now) return due;
      this.pop();
      this.remove(this.live.get(segmentKey(top.workspaceId, top.segmentId))!, top.user);
      due.push(top);
    }
  }

  export(): Deadline[] {
    const out: Deadline[] = [];
    for (const [key, users] of this.live) {
      const [workspaceId, segmentId] = key.split('\u0000') as [string, string];
      for (const [user, at] of users) out.push({ at, workspaceId, segmentId, user });
    }
    return out;
  }

  private dropStale(): void {
    for (;;) {
      const top = this.heap[0];
      if (!top) return;
      const live = this.live.get(segmentKey(top.workspaceId, top.segmentId))?.get(top.user);
      if (live === top.at) return;
      this.pop();
      // Moved later: the entry goes back at its new time. Gone, or earlier (it has its own entry): dropped.
      if (live !== undefined && live > top.at) this.push({ ...top, at: live });
    }
  }

  private remove(users: Map<string, number>, user: string): void {
    users.delete(user);
    this.count--;
  }

  private rebuild(): void {
    const entries = this.export();
    this.heap = [];
    for (const d of entries) this.push(d);
  }

  private push(d: Deadline): void {
    const h = this.heap;
    h.push(d);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= d.at) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = d;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && h[r]!.at < h[l]!.at ? r : l;
      if (h[c]!.at >= last.at) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

function segmentKey(workspaceId: string, segmentId: string): string {
  return `${workspaceId}\u0000${segmentId}`;
}
