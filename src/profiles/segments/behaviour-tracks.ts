import { DAY_MS } from '../decay.js';
import type { TrackSpec } from './rule-compiler.js';

/** What an event's product is, as a behaviour-window filter matches it. */
export interface ProductFacts {
  itemId: string;
  /** Root to leaf. */
  categoryPath: readonly string[];
  brand: string | null;
  tags: readonly string[];
}

/** One user's events of one track: how many ever, and the newest event times (ascending, at most the cap). */
interface TrackState {
  total: number;
  times: number[];
}

/** A track: one spec (event, filters, window, cap) and every user's state in it. */
interface Track {
  spec: TrackSpec;
  users: Map<string, TrackState>;
}

/** A track as a snapshot holds it: [user, total, times]. */
export interface TrackExport {
  spec: TrackSpec;
  users: [string, number, number[]][];
}

const EMPTY: readonly number[] = [];

/**
 * The per-user behaviour windows of one workspace: for each (event name, product filter, window) some
 * rule counts in, each user's total and newest event times — the event-time information a profile does
 * not keep (it counts events per name, but not per category and not per day). Compact: a user has an
 * entry only in the tracks they have events for, holding at most `cap` times (the largest count a rule
 * compares the window with, plus one — enough to decide the comparison exactly).
 *
 * @example
 * const tracks = new BehaviourTracks();
 * const { index } = tracks.register({ event: 'Order Completed', filters: { category: 'Guitars' }, days: 30, cap: 1 });
 * tracks.record(index, 'u1', Date.now());
 * tracks.count(index, 'u1', Date.now(), 30) // 1
 */
export class BehaviourTracks {
  private readonly tracks: Track[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly byEvent = new Map<string, number[]>();

  /**
   * The track of `spec`, created when new (`created`: it has no history yet, a backfill should fill it).
   * Rules with the same event, filters, window and cap share one track; another window or cap is another
   * track, so a track never changes shape under the rules that use it.
   */
  register(spec: TrackSpec): { index: number; created: boolean } {
    const key = trackKey(spec);
    const known = this.byKey.get(key);
    if (known !== undefined) return { index: known, created: false };
    const index = this.tracks.length;
    this.tracks.push({ spec: { ...spec, filters: { ...spec.filters } }, users: new Map() });
    this.byKey.set(key, index);
    this.byEvent.set(spec.event, [...(this.byEvent.get(spec.event) ?? []), index]);
    return { index, created: true };
  }

  /** The index of the track of `spec`, if registered. */
  indexOf(spec: TrackSpec): number | undefined {
    return this.byKey.get(trackKey(spec));
  }

  /** Copies the users of track `fromIndex` of `other` into track `index` (a preview reusing live windows). */
  copyFrom(index: number, other: BehaviourTracks, fromIndex: number): void {
    const users = this.tracks[index]!.users;
    for (const [user, s] of other.tracks[fromIndex]!.users) users.set(user, { total: s.total, times: s.times.slice() });
  }

  get size(): number {
    return this.tracks.length;
  }

  spec(index: number): TrackSpec {
    return this.tracks[index]!.spec;
  }

  /** How far back a backfill of track `index` reads (0: all history). */
  backfillSince(index: number, now: number): number {
    const days = this.tracks[index]!.spec.days;
    return days === null ? 0 : now - days * DAY_MS;
  }

  /** Tracks counting events named `event` (maybe none). */
  tracksOf(event: string): readonly number[] {
    return this.byEvent.get(event) ?? [];
  }

  /** True when track `index` filters on the product (its events need their products' attributes). */
  filtered(index: number): boolean {
    const f = this.tracks[index]!.spec.filters;
    return f.item !== undefined || f.category !== undefined || f.brand !== undefined || f.tag !== undefined;
  }

  /** True when one of the event's products matches every filter of track `index` (an unfiltered track matches any event). */
  matches(index: number, products: readonly ProductFacts[]): boolean {
    if (!this.filtered(index)) return true;
    const f = this.tracks[index]!.spec.filters;
    return products.some((p) => (f.item === undefined || p.itemId === f.item) && (f.brand === undefined || p.brand === f.brand)
      && (f.tag === undefined || p.tags.includes(f.tag)) && (f.category === undefined || inCategory(p.categoryPath, f.category)));
  }

  /** Adds an event at time `t` for `user` (times kept sorted; the oldest beyond the cap or the window are dropped). */
  record(index: number, user: string, t: number): void {
    const track = this.tracks[index]!;
    let state = track.users.get(user);
    if (!state) track.users.set(user, (state = { total: 0, times: [] }));
    state.total++;
    const { days, cap } = track.spec;
    if (days === null) return;
    const times = state.times;
    let i = times.length;
    while (i > 0 && times[i - 1]! > t) i--;
    times.splice(i, 0, t);
    const horizon = times[times.length - 1]! - days * DAY_MS;
    let drop = Math.max(0, times.length - cap);
    while (drop < times.length && times[drop]! <= horizon) drop++;
    if (drop > 0) times.splice(0, drop);
  }

  /** Events of `user` in track `index` within `days` before `now` (now < t + days), or ever when null. */
  count(index: number, user: string, now: number, days: number | null): number {
    const state = this.tracks[index]!.users.get(user);
    if (!state) return 0;
    if (days === null) return state.total;
    const window = days * DAY_MS;
    let n = 0;
    for (let i = state.times.length - 1; i >= 0 && now < state.times[i]! + window; i--) if (state.times[i]! <= now) n++;
    return n;
  }

  times(index: number, user: string): readonly number[] {
    return this.tracks[index]!.users.get(user)?.times ?? EMPTY;
  }

  /** Moves `from`'s events into `to` (an identify or alias merged the profiles). */
  merge(from: string, to: string): void {
    for (const track of this.tracks) {
      const source = track.users.get(from);
      if (!source) continue;
      track.users.delete(from);
      const target = track.users.get(to);
      if (!target) {
        track.users.set(to, source);
        continue;
      }
      target.total += source.total;
      const times = [...target.times, ...source.times].sort((a, b) => a - b);
      target.times = times.slice(Math.max(0, times.length - track.spec.cap));
    }
  }

  /** Users with an entry in any track (for tests and stats). */
  users(): Set<string> {
    const out = new Set<string>();
    for (const t of this.tracks) for (const u of t.users.keys()) out.add(u);
    return out;
  }

  export(): TrackExport[] {
    return this.tracks.map((t) => ({ spec: t.spec, users: [...t.users].map(([user, s]): [string, number, number[]] => [user, s.total, s.times]) }));
  }

  /** Restores the tracks a snapshot holds (before the rules register theirs, which then find them filled). */
  restore(saved: readonly TrackExport[]): void {
    for (const t of saved) {
      const { index } = this.register(t.spec);
      const users = this.tracks[index]!.users;
      for (const [user, total, times] of t.users) users.set(user, { total, times });
    }
  }
}

function trackKey(spec: TrackSpec): string {
  const f = spec.filters;
  return [spec.event, f.item ?? '', f.category ?? '', f.brand ?? '', f.tag ?? '', spec.days ?? 'ever', spec.cap].join('\u0000');
}

/** A category filter matches a path level ("Guitars") or a path from the root ("Music > Guitars"). */
function inCategory(path: readonly string[], category: string): boolean {
  if (path.includes(category)) return true;
  const parts = category.split('>').map((s) => s.trim());
  return parts.length > 1 && parts.every((p, i) => path[i] === p);
}
