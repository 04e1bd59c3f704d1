import { AppError } from '../core/errors.js';
import type { StoredEvent } from '../core/events.js';
import { applyEvent, type ApplySettings } from './apply-event.js';
import { batchNeeds } from './batch-needs.js';
import { anonymousLevel, type TrackingLevel, trackingLevel } from './consent.js';
import { LocalClock } from './local-time.js';
import { mergeProfiles } from './merge-profiles.js';
import { type UserProfile, readProfile } from './profile.js';
import { F64, F64_WIDTH, FLAG, OTHER_EVENTS, U32 } from './profile-layout.js';
import type { ProcessorOptions, ProcessorStats, ProfileDeps } from './processor-options.js';
import { type ResolvedProfileOptions, resolveProfileOptions } from './profile-settings.js';
import { stripBehaviour } from './profile-updates.js';
import { ProcessorHooks } from './processor-hooks.js';
import { ProfileSnapshots, type RestoreReport, type SnapshotReport } from './profile-snapshots.js';
import { ProfileTable } from './profile-table.js';
import type { EventAppliedListener, ProfileRef } from './segments/profile-source.js';
import { isMembershipEvent } from './segments/segment-types.js';
import { type WorkspaceExport, WorkspaceState } from './workspace-state.js';

export type { ProcessorOptions, ProcessorStats, ProfileDeps } from './processor-options.js';

/**
 * The real-time profile stream processor: applies every event of the log, in seq order, to the profile
 * of its user (or anonymous visitor) — interests with time decay, RFM, price band, activity, devices,
 * recent items and searches, cart, review sentiment, counts (see UserProfile). Identify and alias
 * merge the visitor's profile into the user's.
 *
 * Consent (consent.ts has the reasons): a user who declined analytics is not tracked at all — no
 * profile, events skipped, an existing profile deleted; a user who declined personalization keeps only
 * event counts and first/last seen, nothing behavioural. Consent is re-read after `consentTtlMs` and
 * on `refreshConsent`.
 *
 * Profiles live in memory, packed (profile-table.ts). With `snapshotPath`, the state and the log
 * position it includes are written atomically every `snapshotEveryEvents` / `snapshotEveryMs` and on
 * close; `start()` loads the latest snapshot and replays the log after its position, and any event at
 * or below the position is ignored — so after a SIGKILL nothing is lost and nothing counted twice.
 *
 * @example
 * const processor = createProfileProcessor(storage, { dataDir: '.shopwise' });
 * await processor.start();
 * const profile = await processor.getProfile('demo', 'u-00042');
 */
export class ProfileProcessor {
  readonly settings: ResolvedProfileOptions & ApplySettings;
  private table = new ProfileTable();
  private workspaces = new Map<string, WorkspaceState>();
  private workspaceList: WorkspaceState[] = [];
  private position = 0;
  private chain: Promise<void> = Promise.resolve();
  /** Consent levels read for users who have no profile yet, until their first event creates it. */
  private pending = new Map<WorkspaceState, Map<string, TrackingLevel>>();
  private readonly snapshots: ProfileSnapshots | undefined;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private counters = { applied: 0, redelivered: 0, untracked: 0, unidentified: 0, merges: 0, failed: 0 };
  private restored: RestoreReport = { from: 'none', position: 0 };
  /** Listeners of applied events and snapshots (segments, vocabulary); nothing here depends on them. */
  private readonly hooks: ProcessorHooks;

  constructor(private readonly deps: ProfileDeps, private readonly options: ProcessorOptions = {}) {
    const resolved = resolveProfileOptions(options);
    this.settings = { ...resolved, clock: new LocalClock(resolved.utcOffsetMinutes) };
    this.clock = options.clock ?? Date.now;
    this.hooks = new ProcessorHooks(options.onError);
    this.snapshots = options.snapshotPath ? new ProfileSnapshots(options.snapshotPath, resolved, options) : undefined;
  }

  /** Loads the latest snapshot (when configured) and starts the source after its position. */
  async start(): Promise<RestoreReport> {
    if (this.started) throw AppError.conflict('this ProfileProcessor is already started; start() loads the snapshot once');
    this.started = true;
    if (this.snapshots) {
      const { report, state } = await this.snapshots.load();
      this.restored = report;
      if (state) {
        this.table = state.table;
        this.position = state.position;
        state.workspaces.forEach((saved) => this.workspace(saved.id, saved));
        for (let slot = 0; slot < this.table.used; slot++) this.index(slot);
      }
      const everyMs = this.options.snapshotEveryMs ?? 60_000;
      this.timer = setInterval(() => void this.enqueue(() => this.maybeSnapshot(true)), everyMs);
      this.timer.unref();
    }
    this.deps.source?.start(this.position, (batch) => this.process(batch));
    return this.restored;
  }

  /** New events are committed: the source reads now (the ingest path calls this after each commit). */
  nudge(): void {
    this.deps.source?.nudge();
  }

  /** Applies a batch in seq order (events at or below the position are ignored). Calls are serialised. */
  process(batch: readonly StoredEvent[]): Promise<void> {
    return this.enqueue(async () => {
      const fresh = batch.filter((e) => e.seq > this.position);
      this.counters.redelivered += batch.length - fresh.length;
      if (fresh.length === 0) return;
      await this.prefetch(fresh);
      for (const e of fresh) {
        try {
          this.apply(e);
        } catch (error) {
          // One malformed event must not stop the stream (the source would retry it forever): count it and go on.
          this.counters.failed++;
          this.options.onError?.(error);
        }
      }
      this.pending.clear();
      for (const ws of this.workspaceList) ws.compactQueries(this.table);
      this.options.onApplied?.(fresh);
      await this.maybeSnapshot(false);
    });
  }

  /** The last log seq applied. */
  get logPosition(): number {
    return this.position;
  }

  /** Profiles held (cheap; `stats()` scans every profile). */
  get profileCount(): number {
    return this.table.count;
  }

  /** Snapshots written so far (cheap). */
  snapshotStatus(): SnapshotReport {
    return this.snapshots?.report() ?? { written: 0 };
  }

  /**
   * A user's profile (by user id, anonymous id, or an anonymous id that was identified), or undefined.
   *
   * @example const p = await processor.getProfile('demo', 'u-1'); p?.interests?.categories[0]?.name
   */
  async getProfile(workspaceId: string, id: string, options: { at?: number } = {}): Promise<UserProfile | undefined> {
    const ws = this.workspaces.get(workspaceId);
    if (!ws) return undefined;
    await this.refreshShopPrices(ws);
    let key = id;
    if (!ws.users.has(id) && !ws.anons.has(id) && this.deps.identities) key = (await this.deps.identities.resolveIdentity(workspaceId, id)) ?? id;
    const slot = ws.users.get(key) ?? ws.anons.get(key);
    return slot === undefined ? undefined : readProfile(this.table, slot, ws, this.settings, options.at ?? this.shopClock(ws));
  }

  /**
   * Time profiles of `ws` are read at: the shop's latest event (now before its first), so an imported
   * history (e.g. Taobao 2017) reads as of its end instead of having decayed to nothing by today. In a
   * live shop that is seconds ago; decay is one factor common to every profile of the shop, so it
   * never changes how users or interests rank against each other.
   */
  private shopClock(ws: WorkspaceState): number {
    return Number.isFinite(ws.latestEventAt) ? ws.latestEventAt : this.clock();
  }

  /** Ids of the profiles of a workspace (users, then anonymous visitors). */
  // --- Segment hooks (added for src/profiles/segments; additive) ---

  /** Calls `listener` after each event is applied to a profile, synchronously, in log order; returns an unsubscribe. */
  onEventApplied(listener: EventAppliedListener): () => void {
    return this.hooks.onApplied(listener);
  }

  /** Runs `hook(position)` before each snapshot is written (a dependent state is then never older than the profiles'). */
  beforeSnapshot(hook: (position: number) => Promise<void>): () => void {
    return this.hooks.beforeSnapshot(hook);
  }

  /** The packed profile of a user or anonymous id, for synchronous reads until the next batch. */
  profileRef(workspaceId: string, id: string): ProfileRef | undefined {
    const ws = this.workspaces.get(workspaceId);
    const slot = ws?.users.get(id) ?? ws?.anons.get(id);
    return ws && slot !== undefined ? this.refOf(ws, slot) : undefined;
  }

  /** Visits every profile of a workspace synchronously (between batches). */
  forEachProfile(workspaceId: string, visit: (profile: ProfileRef) => void): void {
    const ws = this.workspaces.get(workspaceId);
    if (!ws) return;
    for (const slot of ws.users.values()) visit(this.refOf(ws, slot));
    for (const slot of ws.anons.values()) visit(this.refOf(ws, slot));
  }

  private refOf(ws: WorkspaceState, slot: number): ProfileRef {
    return { workspaceId: ws.id, id: this.table.ids[slot]!, anonymous: (this.table.flags(slot) & FLAG.anonymous) !== 0, table: this.table, slot, ws };
  }

  // --- end of segment hooks ---

  profileIds(workspaceId: string): { users: string[]; anonymous: string[] } {
    const ws = this.workspaces.get(workspaceId);
    return { users: [...(ws?.users.keys() ?? [])], anonymous: [...(ws?.anons.keys() ?? [])] };
  }

  /** Re-reads the consent of users now (call after a consent change), applying what it allows. */
  refreshConsent(workspaceId: string, userIds: readonly string[]): Promise<void> {
    return this.enqueue(async () => {
      const ws = this.workspace(workspaceId);
      await this.readConsent(ws, userIds);
      this.pending.clear();
    });
  }

  /** Counters and sizes; scans every profile for the anonymous and restricted counts. */
  stats(): ProcessorStats {
    let anonymous = 0;
    let restricted = 0;
    for (let slot = 0; slot < this.table.used; slot++) {
      const flags = this.table.flags(slot);
      if (flags & FLAG.anonymous) anonymous++;
      if (flags & FLAG.restricted) restricted++;
    }
    return {
      position: this.position, profiles: this.table.count, anonymous, restricted, ...this.counters, tableBytes: this.table.typedBytes(),
      restored: this.restored, snapshots: this.snapshots?.report() ?? { written: 0 },
    };
  }

  /** Writes a snapshot now (after the batch in progress). */
  snapshotNow(): Promise<void> {
    return this.enqueue(async () => {
      if (this.snapshots && !this.options.snapshotReadOnly) {
        await this.hooks.runBeforeSnapshot(this.position); // segment hook
        await this.snapshots.write(this.capture(), true);
      }
    });
  }

  /** Stops the source, applies what it delivered, writes a last snapshot. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.deps.source?.stop();
    await this.snapshotNow();
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch((error) => this.options.onError?.(error));
    return run;
  }

  private workspace(id: string, saved?: WorkspaceExport): WorkspaceState {
    let ws = this.workspaces.get(id);
    if (!ws) {
      ws = new WorkspaceState(id, this.workspaceList.length, saved);
      this.workspaces.set(id, ws);
      this.workspaceList.push(ws);
    }
    return ws;
  }

  /** Puts a restored slot back into its workspace's index. */
  private index(slot: number): void {
    const flags = this.table.flags(slot);
    if (!(flags & FLAG.live)) return;
    const ws = this.workspaceList[this.table.u32[this.table.u(slot, U32.workspace)]!]!;
    (flags & FLAG.anonymous ? ws.anons : ws.users).set(this.table.ids[slot]!, slot);
    ws.latestEventAt = Math.max(ws.latestEventAt, this.table.f64[slot * F64_WIDTH + F64.lastSeen]!);
  }

  /** Reads the items and consents a batch needs that are not cached (or are stale). */
  private async prefetch(batch: readonly StoredEvent[]): Promise<void> {
    const now = this.clock();
    const ttl = { itemTtlMs: this.options.itemTtlMs ?? 300_000, consentTtlMs: this.options.consentTtlMs ?? 300_000 };
    const needs = batchNeeds(batch, this.table, (id) => this.workspace(id), now, ttl);
    await Promise.all([...needs].map(async ([ws, need]) => {
      const [items] = await Promise.all([
        need.items.size ? this.deps.catalog.items(ws.id, [...need.items]) : undefined,
        need.users.size ? this.readConsent(ws, [...need.users]) : undefined,
      ]);
      for (const id of need.items) ws.cacheItem(id, items?.get(id), now, this.options.maxCachedItems ?? 200_000);
    }));
  }

  /** Reads consent and applies it: deletes untracked users' profiles, strips newly restricted ones. */
  private async readConsent(ws: WorkspaceState, userIds: readonly string[]): Promise<void> {
    const consents = await this.deps.consent.consents(ws.id, userIds);
    const now = this.clock();
    let pending = this.pending.get(ws);
    if (!pending) this.pending.set(ws, (pending = new Map()));
    for (const user of userIds) {
      const level = trackingLevel(consents.get(user), this.settings.requireOptIn);
      const slot = ws.users.get(user);
      if (level === 'none') {
        ws.untracked.set(user, now);
        if (slot !== undefined) this.release(ws.users, user, slot);
        continue;
      }
      ws.untracked.delete(user);
      if (slot === undefined) {
        pending.set(user, level);
        continue;
      }
      this.table.f64[slot * F64_WIDTH + F64.consentCheckedAt] = now;
      const flags = this.table.u(slot, U32.flags);
      if (level === 'restricted' && !(this.table.u32[flags]! & FLAG.restricted)) stripBehaviour(this.table, slot);
      if (level === 'full') this.table.u32[flags] = this.table.u32[flags]! & ~FLAG.restricted;
    }
  }

  private apply(e: StoredEvent): void {
    if (e.seq <= this.position) {
      this.counters.redelivered++;
      return;
    }
    this.position = e.seq;
    // Shopwise's own membership events are outputs of the profile, not the shopper's behaviour.
    if (isMembershipEvent(e)) return;
    const ws = this.workspace(e.workspaceId);
    if (e.timestamp > ws.latestEventAt) ws.latestEventAt = e.timestamp;
    if (e.type === 'alias' && e.userId !== null && e.previousId !== null && e.previousId !== e.userId) {
      this.mergeInto(ws, ws.users, e.previousId, e.userId);
      this.mergeInto(ws, ws.anons, e.previousId, e.userId);
    } else if (e.type === 'identify' && e.userId !== null && e.anonymousId !== null) {
      this.mergeInto(ws, ws.anons, e.anonymousId, e.userId);
    }
    const slot = e.userId !== null ? this.userSlot(ws, e.userId) : e.anonymousId !== null ? this.anonymousSlot(ws, e.anonymousId) : undefined;
    if (slot === undefined) {
      if (e.userId === null && e.anonymousId === null) this.counters.unidentified++;
      else this.counters.untracked++;
      return;
    }
    applyEvent(this.table, this.settings, ws, slot, e, (this.table.flags(slot) & FLAG.restricted) !== 0);
    this.counters.applied++;
    if (this.hooks.listening) this.hooks.notifyApplied(e, this.refOf(ws, slot)); // segment hook
  }

  /** Merges the profile `fromId` of `index` into user `userId` (what identify and alias do to the log). */
  private mergeInto(ws: WorkspaceState, index: Map<string, number>, fromId: string, userId: string): void {
    const from = index.get(fromId);
    if (from === undefined) return;
    const to = this.userSlot(ws, userId);
    if (to !== undefined && to !== from) {
      mergeProfiles(this.table, from, to, this.settings, (this.table.flags(to) & FLAG.restricted) === 0, () => ws.names.id(OTHER_EVENTS));
      this.counters.merges++;
    }
    if (to !== from) this.release(index, fromId, from);
  }

  /** The user's slot, created at the level their consent allows; undefined when they are not tracked. */
  private userSlot(ws: WorkspaceState, userId: string): number | undefined {
    const slot = ws.users.get(userId);
    if (slot !== undefined) return slot;
    if (ws.untracked.has(userId)) return undefined;
    const level = this.pending.get(ws)?.get(userId) ?? trackingLevel(undefined, this.settings.requireOptIn);
    if (level === 'none') return undefined;
    const created = this.create(ws, ws.users, userId, level === 'restricted' ? FLAG.restricted | FLAG.consentKnown : FLAG.consentKnown);
    this.table.f64[created * F64_WIDTH + F64.consentCheckedAt] = this.clock();
    return created;
  }

  private anonymousSlot(ws: WorkspaceState, anonymousId: string): number | undefined {
    const slot = ws.anons.get(anonymousId);
    if (slot !== undefined) return slot;
    const level = anonymousLevel(this.settings.requireOptIn);
    return level === 'none' ? undefined : this.create(ws, ws.anons, anonymousId, FLAG.anonymous | (level === 'restricted' ? FLAG.restricted : 0));
  }

  private create(ws: WorkspaceState, index: Map<string, number>, id: string, flags: number): number {
    const slot = this.table.allocSlot();
    this.table.u32[this.table.u(slot, U32.flags)] = FLAG.live | flags;
    this.table.u32[this.table.u(slot, U32.workspace)] = ws.index;
    this.table.ids[slot] = id;
    index.set(id, slot);
    return slot;
  }

  private release(index: Map<string, number>, id: string, slot: number): void {
    index.delete(id);
    this.table.releaseSlot(slot);
  }

  private async maybeSnapshot(timer: boolean): Promise<void> {
    if (this.snapshots?.due(this.position, timer)) {
      await this.hooks.runBeforeSnapshot(this.position); // segment hook
      await this.snapshots.write(this.capture(), false);
    }
  }

  private capture() {
    return { position: this.position, table: this.table.export(), workspaces: this.workspaceList.map((ws) => ws.export()) };
  }

  private async refreshShopPrices(ws: WorkspaceState): Promise<void> {
    const now = this.clock();
    if (ws.shopPrices && now - ws.shopPrices.loadedAt < (this.options.priceRefreshMs ?? 600_000)) return;
    try {
      const sorted = (await this.deps.catalog.prices(ws.id)).sort();
      ws.shopPrices = { sorted, loadedAt: now };
    } catch (error) {
      // Keep the previous distribution (or the engaged-price histogram) rather than fail a read.
      this.options.onError?.(error);
    }
  }
}
