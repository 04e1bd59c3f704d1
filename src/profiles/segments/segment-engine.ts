import type { StoredEvent } from '../../core/events.js';
import { countedName } from '../apply-event.js';
import type { ProductFacts } from './behaviour-tracks.js';
import { BUILTIN_SEGMENTS } from './builtin-segments.js';
import { DeadlineQueue } from './deadline-queue.js';
import { cachedItems, namesProduct, productsOf } from './event-products.js';
import { TableFacts } from './profile-facts.js';
import { NO_PROFILES, type ProfileRef, type ProfileSource } from './profile-source.js';
import { computeCutoffs } from './segment-population.js';
import { ChangeOutbox } from './segment-outbox.js';
import { type EngineSnapshot, readEngineSnapshot, restoreWorkspaces, snapshotOf, writeEngineSnapshot } from './segment-engine-snapshot.js';
import { previewRule, type RulePreview } from './segment-preview.js';
import { backfillTrack, type SegmentHistory } from './segment-history.js';
import { type MembershipChange, isMembershipEvent, type SegmentDefinition, type SegmentEmitter } from './segment-types.js';
import { type ActiveSegment, WorkspaceSegments } from './segment-workspace.js';

export interface SegmentEngineOptions {
  /** Where membership changes are written (the ingest path); without one they are only kept and reported. */
  emit?: SegmentEmitter;
  clock?: () => number;
  /** Fire deadlines on a real timer (default true; tests call `advance` with a fake clock instead). */
  timers?: boolean;
  /** Past events for new behaviour windows (segment-history.ts); without it a new window starts empty. */
  history?: SegmentHistory;
  /** The engine's snapshot file (membership, windows, deadlines), written before each profile snapshot. */
  snapshotPath?: string;
  /** Refresh a workspace's RFM cut-offs after this many orders (or 1 % of its buyers, if more; default 100). */
  rfmRefreshOrders?: number;
  onChange?: (change: MembershipChange) => void;
  onError?: (error: unknown) => void;
}

/** The longest a Node timer may wait. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Segments evaluated incrementally on the profile stream — no cron. On each event the processor applies
 * (ProfileSource.onEventApplied), only the segments whose rule depends on what the event changed are
 * re-evaluated for that user (dependency sets from the rule's syntax tree, rule-compiler.ts), in
 * dependency order, so a change is emitted on exactly the event that crosses the boundary. Conditions
 * that change with time alone (inactive, windows, days since the last order) keep a deadline per
 * (segment, user) and flip when it passes. Changes are written as `Segment Entered` / `Segment Exited`
 * events through `emit`; the events are ignored when they come back through the log.
 *
 * Defining, changing or deleting a segment sets its members without events (a baseline); only changes
 * caused by behaviour, time or RFM cut-offs moving are emitted.
 *
 * @example
 * const engine = new SegmentEngine({ emit: (ws, events) => ingest.ingest(ws, events) });
 * engine.attach(processor);
 * await engine.define('shop', { id: 'lapsed', name: 'Lapsed guitarists', kind: 'rule', rule: 'bought(category = "Guitars") AND inactive(days = 30)' });
 */
export class SegmentEngine {
  private source: ProfileSource | undefined;
  private readonly detachers: (() => void)[] = [];
  private readonly workspaces = new Map<string, WorkspaceSegments>();
  private readonly deadlines = new DeadlineQueue();
  private readonly facts = new WeakMap<object, TableFacts>();
  private position = 0;
  private watermark = -Infinity;
  private readonly outbox: ChangeOutbox;
  private readonly rfmDue = new Set<WorkspaceSegments>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private restored: EngineSnapshot | undefined;
  private readonly clock: () => number;

  constructor(private readonly options: SegmentEngineOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.outbox = new ChangeOutbox(options.emit, options.onError, () => this.beforeDrain());
  }

  /** Loads the engine's snapshot (before the processor starts replaying); false when there is none. */
  async restore(): Promise<boolean> {
    if (!this.options.snapshotPath) return false;
    const snapshot = await readEngineSnapshot(this.options.snapshotPath);
    if (!snapshot) return false;
    this.restored = snapshot;
    this.position = snapshot.position;
    this.watermark = snapshot.watermark;
    for (const [id, w] of restoreWorkspaces(snapshot)) this.workspaces.set(id, w);
    for (const d of snapshot.deadlines) this.deadlines.schedule(d);
    return true;
  }

  /** Follows a profile processor: per-event evaluation, and a snapshot before each of its snapshots. */
  attach(source: ProfileSource): void {
    this.source = source;
    this.detachers.push(source.onEventApplied((e, ref) => this.handle(e, ref)));
    if (this.options.snapshotPath) this.detachers.push(source.beforeSnapshot(() => this.snapshot()));
  }

  /** The engine's time: the clock, or the newest event time when events run ahead of it (simulations). */
  now(): number {
    return Math.max(this.clock(), this.watermark);
  }

  /** Deadlines waiting (time-based rules whose outcome can still change by itself). */
  get pendingDeadlines(): number {
    return this.deadlines.size;
  }

  /** The last log seq the engine's state includes. */
  get logPosition(): number {
    return this.position;
  }

  /**
   * Defines (or redefines) a segment and sets its members: new behaviour windows are filled from the
   * history first. Throws AppError.invalid for a bad rule (position and expectation in the detail).
   */
  async define(workspaceId: string, def: SegmentDefinition): Promise<{ members: number }> {
    const w = this.workspace(workspaceId);
    const created: number[] = [];
    const upTo = this.source?.logPosition ?? this.position;
    const segment = w.prepare(def, (index, isNew) => isNew && created.push(index));
    const previous = w.segments.get(def.id);
    if (previous) segment.members = new Set(previous.members);
    w.add(segment);
    try {
      if (this.options.history) for (const index of created) await backfillTrack(this.options.history, w.id, w.tracks, index, this.now(), upTo);
    } catch (error) {
      if (w.segments.get(def.id) === segment) previous ? w.add(previous) : w.remove(def.id);
      throw error;
    }
    if (w.segments.get(def.id) !== segment) return { members: segment.members.size };
    const saved = this.restored?.workspaces.find((s) => s.id === workspaceId)?.segments.find((s) => s.id === def.id);
    if (saved && saved.signature === segment.signature && created.length === 0) {
      segment.members = new Set(saved.members);
      segment.ready = true;
    } else if (segment.rule) {
      this.deadlines.cancelSegment(workspaceId, def.id);
      this.evaluateAll(w, [segment, ...this.readersClosure(w, segment)], null);
    }
    segment.ready = true;
    if (segment.list) this.evaluateAll(w, this.readersClosure(w, segment), null);
    return { members: (segment.list ?? segment.members).size };
  }

  /** Deletes a segment (no events); refuses while another rule reads it. */
  remove(workspaceId: string, id: string): boolean {
    const w = this.workspaces.get(workspaceId);
    if (!w?.remove(id)) return false;
    this.deadlines.cancelSegment(workspaceId, id);
    return true;
  }

  /** The segment an id or a name refers to (for members and counts). */
  segment(workspaceId: string, ref: string): ActiveSegment | undefined {
    return this.workspace(workspaceId).resolve(ref);
  }

  /** Counts (and samples) the profiles a rule matches now, without defining it. */
  preview(workspaceId: string, rule: string, sample = 20): Promise<RulePreview> {
    return previewRule({ source: this.source ?? NO_PROFILES, live: this.workspace(workspaceId), history: this.options.history, now: this.now() }, rule, sample);
  }

  /** The ids of the segments `user` is a member of now. */
  segmentsOf(workspaceId: string, user: string): string[] {
    const w = this.workspace(workspaceId);
    return [...w.segments.values()].filter((s) => w.isMember(s.def.id, user)).map((s) => s.def.id);
  }

  /** The state of a workspace (created with its built-in segments on first use). */
  workspace(workspaceId: string): WorkspaceSegments {
    let w = this.workspaces.get(workspaceId);
    if (!w) this.workspaces.set(workspaceId, (w = new WorkspaceSegments(workspaceId)));
    if (!w.segments.has(BUILTIN_SEGMENTS[0].id)) {
      if (!this.restored?.workspaces.some((s) => s.id === workspaceId)) this.refreshCutoffs(w);
      const fresh: ActiveSegment[] = [];
      for (const b of BUILTIN_SEGMENTS) {
        const segment = w.prepare({ id: b.id, name: b.name, kind: 'rule', rule: b.rule });
        w.add(segment);
        const saved = this.restored?.workspaces.find((s) => s.id === workspaceId)?.segments.find((s) => s.id === b.id);
        if (saved?.signature === segment.signature) segment.members = new Set(saved.members);
        else fresh.push(segment);
        segment.ready = true;
      }
      this.evaluateAll(w, fresh, null);
    }
    return w;
  }

  /**
   * Evaluates segments for every profile of the workspace (in dependency order) and schedules their
   * deadlines. cause null: a baseline (members set, no events); else changes are emitted with that cause.
   * This is the full recompute the benchmark times.
   */
  evaluateAll(w: WorkspaceSegments, segments: ActiveSegment[], cause: string | null): { evaluated: number } {
    const ordered = w.order.filter((s) => segments.includes(s));
    if (!this.source || ordered.length === 0) return { evaluated: 0 };
    const now = this.now();
    let evaluated = 0;
    // A baseline builds new member sets (members without a profile any more drop out with the old set).
    const next = cause === null ? ordered.map(() => new Set<string>()) : [];
    const previous = ordered.map((s) => s.members);
    if (cause === null) ordered.forEach((s, i) => (s.members = next[i]!));
    try {
      this.source.forEachProfile(w.id, (ref) => {
        const ctx = w.context(ref.id, this.factsFor(ref), now, true);
        evaluated++;
        for (let i = 0; i < ordered.length; i++) {
          const s = ordered[i]!;
          if (cause !== null) this.evaluateOne(w, s, ref, ctx, now, cause);
          else {
            if (w.evaluate(s, ctx)) next[i]!.add(ref.id);
            if (s.rule!.deps.time) this.schedule(w, s, ref.id, ctx);
          }
        }
      });
    } catch (error) {
      if (cause === null) ordered.forEach((s, i) => (s.members = previous[i]!));
      throw error;
    }
    this.armTimer();
    return { evaluated };
  }

  /** New RFM cut-offs for a workspace now, and the segments reading RFM scores re-evaluated (changes emitted). */
  refreshRfm(workspaceId: string): void {
    const w = this.workspace(workspaceId);
    this.refreshCutoffs(w);
    const readers = w.order.filter((s) => s.ready && s.rule!.deps.rfmScores);
    const all = new Set(readers);
    for (const s of readers) for (const r of this.readersClosure(w, s)) all.add(r);
    this.evaluateAll(w, [...all], `rfm${this.position}`);
  }

  /** Fires the deadlines due at `now` (default: the engine's time). */
  advance(now = this.now()): void {
    for (const d of this.deadlines.popDue(now)) {
      const w = this.workspaces.get(d.workspaceId);
      const segment = w?.segments.get(d.segmentId);
      if (!w || !segment?.ready || !segment.rule) continue;
      const ref = this.source?.profileRef(d.workspaceId, d.user);
      if (!ref) {
        segment.members.delete(d.user);
        continue;
      }
      const ctx = w.context(ref.id, this.factsFor(ref), d.at, true);
      if (this.evaluateOne(w, segment, ref, ctx, d.at, `t${d.at}`)) this.cascade(w, new Set([segment]), ref, ctx, d.at, `t${d.at}`);
    }
    this.armTimer();
  }

  /** Waits until every emitted change has been written. */
  flush(): Promise<void> {
    return this.outbox.flush();
  }

  /** Writes the engine's snapshot now (the processor calls it before each of its own). */
  async snapshot(): Promise<void> {
    if (!this.options.snapshotPath) return;
    await this.flush();
    await writeEngineSnapshot(this.options.snapshotPath, snapshotOf(this.position, this.watermark, this.workspaces, this.deadlines));
  }

  /** Stops timers and hooks; waits for emitted changes. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const detach of this.detachers.splice(0)) detach();
    await this.flush();
  }

  private handle(e: StoredEvent, ref: ProfileRef): void {
    if (e.seq <= this.position) return;
    this.position = e.seq;
    if (isMembershipEvent(e)) return;
    if (e.timestamp > this.watermark) this.watermark = e.timestamp;
    const now = this.now();
    if (this.deadlines.peek() <= now) this.advance(now);
    const w = this.workspace(e.workspaceId);
    const user = ref.id;
    const from = e.type === 'identify' ? e.anonymousId : e.type === 'alias' ? e.previousId : null;
    const merged = from !== null && from !== user && this.mergeUser(w, from, user);
    // A profile new to the engine is evaluated against every rule: `rfm.orders < 2` holds from its first view.
    const fresh = !w.lastActive.has(user);
    w.lastActive.set(user, Math.max(w.lastActive.get(user) ?? -Infinity, e.timestamp));
    const name = countedName(e);
    let products: ProductFacts[] | undefined;
    for (const index of w.tracks.tracksOf(name)) {
      if (w.tracks.filtered(index)) products ??= productsOf(e, cachedItems(ref.ws));
      if (w.tracks.matches(index, products ?? [])) w.tracks.record(index, user, e.timestamp);
    }
    if (name === 'Order Completed' && ++w.ordersSinceRfm >= Math.max(this.options.rfmRefreshOrders ?? 100, 0.01 * (w.rfm?.buyers ?? 0))) {
      this.rfmDue.add(w);
      this.outbox.queue();
    }
    const hasProducts = products ? products.length > 0 : namesProduct(e);
    const ctx = w.context(user, this.factsFor(ref), now, true);
    let changed: Set<ActiveSegment> | undefined;
    for (const s of w.order) {
      if (!s.ready) continue;
      const d = s.rule!.deps;
      const affected = merged || fresh || d.anyEvent || d.names.has(name) || (d.products && hasProducts) || (changed !== undefined && readsAny(s, changed));
      if (affected && this.evaluateOne(w, s, ref, ctx, e.timestamp, e.seq)) (changed ??= new Set()).add(s);
    }
  }

  /** Re-evaluates one segment for one user; records a change when membership flips. Returns whether it did. */
  private evaluateOne(w: WorkspaceSegments, s: ActiveSegment, ref: ProfileRef, ctx: ReturnType<WorkspaceSegments['context']>, at: number, cause: string | number): boolean {
    const inside = w.evaluate(s, ctx);
    const was = s.members.has(ref.id);
    this.schedule(w, s, ref.id, ctx);
    if (inside === was) return false;
    if (inside) s.members.add(ref.id);
    else s.members.delete(ref.id);
    // A number is the seq of the crossing event (formatted only when something changes).
    this.record({ workspaceId: w.id, segmentId: s.def.id, user: ref.id, anonymous: ref.anonymous, change: inside ? 'entered' : 'exited', at, cause: typeof cause === 'number' ? `e${cause}` : cause });
    return true;
  }

  /** After segments changed for a user at a deadline, the segments reading them (in order). */
  private cascade(w: WorkspaceSegments, changed: Set<ActiveSegment>, ref: ProfileRef, ctx: ReturnType<WorkspaceSegments['context']>, at: number, cause: string): void {
    for (const s of w.order) {
      if (!s.ready || changed.has(s) || !readsAny(s, changed)) continue;
      if (this.evaluateOne(w, s, ref, ctx, at, cause)) changed.add(s);
    }
  }

  private schedule(w: WorkspaceSegments, s: ActiveSegment, user: string, ctx: ReturnType<WorkspaceSegments['context']>): void {
    if (!s.rule!.deps.time) return;
    const at = ctx.facts.restricted ? Infinity : s.rule!.nextChange(ctx);
    this.deadlines.set(w.id, s.def.id, user, at);
    if (this.options.timers !== false && at < this.timerAt) this.armTimer();
  }

  /** An identify or alias merged `from` into `to`: its windows and activity carry over, its memberships end quietly. */
  private mergeUser(w: WorkspaceSegments, from: string, to: string): boolean {
    w.tracks.merge(from, to);
    const active = w.lastActive.get(from);
    if (active !== undefined) w.lastActive.set(to, Math.max(active, w.lastActive.get(to) ?? -Infinity));
    w.lastActive.delete(from);
    for (const s of w.segments.values()) if (s.rule) s.members.delete(from);
    this.deadlines.cancelUser(w.id, from);
    return true;
  }

  private refreshCutoffs(w: WorkspaceSegments): void {
    if (this.source) w.rfm = computeCutoffs(this.source, w.id);
    w.ordersSinceRfm = 0;
  }

  /** Readers of a segment, and their readers, in evaluation order. */
  private readersClosure(w: WorkspaceSegments, segment: ActiveSegment): ActiveSegment[] {
    const out = new Set<ActiveSegment>();
    const visit = (s: ActiveSegment) => {
      for (const r of w.readersOf(s)) if (!out.has(r)) {
        out.add(r);
        visit(r);
      }
    };
    visit(segment);
    return w.order.filter((s) => out.has(s));
  }

  private factsFor(ref: ProfileRef): TableFacts {
    let facts = this.facts.get(ref.ws);
    if (!facts) this.facts.set(ref.ws, (facts = new TableFacts(ref.table, ref.ws)));
    return facts.at(ref.slot, ref.table);
  }

  private record(change: MembershipChange): void {
    this.outbox.add(change);
    this.options.onChange?.(change);
  }

  /** Before a batch's changes are written: RFM cut-offs that became due during it. */
  private beforeDrain(): void {
    for (const w of this.rfmDue) this.refreshRfm(w.id);
    this.rfmDue.clear();
  }

  private armTimer(): void {
    if (this.options.timers === false) return;
    const next = this.deadlines.peek();
    if (next === this.timerAt && this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (!Number.isFinite(next)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.advance();
    }, Math.min(MAX_TIMER_MS, Math.max(0, next - this.clock())));
    this.timer.unref();
  }
}

function readsAny(s: ActiveSegment, changed: Set<ActiveSegment>): boolean {
  for (const r of s.reads) if (changed.has(r)) return true;
  return false;
}
