import { AppError } from '../../core/errors.js';
import { BehaviourTracks } from './behaviour-tracks.js';
import { FIELD_CODE, type ProfileFacts } from './profile-facts.js';
import type { RfmTier } from './rfm-names.js';
import { type RfmCutoffs, rfmScoresOf, type RfmScores } from './rfm-tiers.js';
import { formatRule } from './rule-ast.js';
import { type CompiledRule, compileRule, type EvalContext, type TrackSpec } from './rule-compiler.js';
import { parseRule } from './rule-parser.js';
import type { SegmentDefinition } from './segment-types.js';

/** A segment being run: its definition, compiled rule (or list), members now. */
export interface ActiveSegment {
  def: SegmentDefinition;
  /** The canonical rule, or a digest of the list: a snapshot's members are reused only when it matches. */
  signature: string;
  rule: CompiledRule | null;
  list: Set<string> | null;
  members: Set<string>;
  /** Tracks the rule counts in. */
  tracks: number[];
  /** False until its first full evaluation (baseline) is done. */
  ready: boolean;
  /** The segments its rule reads (resolved when the evaluation order is computed). */
  reads: ActiveSegment[];
}

/**
 * The segment state of one workspace: segments (rules in dependency order), their members, the
 * behaviour windows, each user's last activity, the RFM cut-offs; and the evaluation of one rule for
 * one profile (`evaluate`).
 *
 * @example const w = new WorkspaceSegments('shop'); w.define({ id: 'vip', name: 'VIP', kind: 'rule', rule: 'rfm.orders >= 5' })
 */
export class WorkspaceSegments {
  readonly tracks = new BehaviourTracks();
  readonly segments = new Map<string, ActiveSegment>();
  /** Rule segments, each after the segments its rule reads. */
  order: ActiveSegment[] = [];
  /** Event time of each user's last event, segment events excluded. */
  readonly lastActive: Map<string, number>;
  rfm: RfmCutoffs | null = null;
  ordersSinceRfm = 0;
  private readonly ctx: MutableContext;

  /** `parent`: a scratch state for a preview, reading the parent's segments and activity. */
  constructor(readonly id: string, private readonly parent?: WorkspaceSegments) {
    this.ctx = new MutableContext(this);
    this.lastActive = parent?.lastActive ?? new Map();
    if (parent) this.rfm = parent.rfm;
  }

  /** The segment an id or a name refers to. */
  resolve(ref: string): ActiveSegment | undefined {
    const byId = this.segments.get(ref);
    if (byId) return byId;
    for (const s of this.segments.values()) if (s.def.name === ref) return s;
    return this.parent?.resolve(ref);
  }

  isMember(ref: string, user: string): boolean {
    const s = this.resolve(ref);
    return s !== undefined && (s.list ? s.list.has(user) : s.members.has(user));
  }

  /**
   * Compiles a definition (not yet added). `onTrack` sees each track the rule counts in, with whether it
   * is new. Throws AppError.invalid for a bad rule, an unknown segment("…") or a cycle.
   */
  prepare(def: SegmentDefinition, onTrack: (index: number, created: boolean) => void = () => undefined): ActiveSegment {
    if (def.kind === 'list') {
      const list = new Set(def.userIds ?? []);
      return { def, signature: `list:${list.size}:${hashIds(list)}`, rule: null, list, members: list, tracks: [], ready: true, reads: [] };
    }
    const ast = parseRule(def.rule ?? '');
    const tracks: number[] = [];
    const rule = compileRule(ast, (spec: TrackSpec) => {
      const { index, created } = this.tracks.register(spec);
      tracks.push(index);
      onTrack(index, created);
      return index;
    });
    for (const ref of rule.deps.segments) {
      const target = this.resolve(ref);
      if (!target || target.def.id === def.id) {
        throw AppError.invalid(`segment("${ref}") names ${target ? 'the segment itself' : 'no segment of this workspace'}; define that segment first`, { field: 'rule', segment: ref });
      }
    }
    return { def, signature: `rule:${formatRule(ast)}`, rule, list: null, members: new Set(), tracks, ready: false, reads: [] };
  }

  /** Adds (or replaces) a prepared segment and recomputes the evaluation order; refuses a cycle. */
  add(segment: ActiveSegment): void {
    const previous = this.segments.get(segment.def.id);
    this.segments.set(segment.def.id, segment);
    try {
      this.order = this.sortByDependency();
    } catch (error) {
      if (previous) this.segments.set(segment.def.id, previous);
      else this.segments.delete(segment.def.id);
      throw error;
    }
  }

  /** Removes a segment; refuses while another rule reads it. */
  remove(id: string): ActiveSegment | undefined {
    const segment = this.segments.get(id);
    if (!segment) return undefined;
    const readers = this.order.filter((s) => s !== segment && [...s.rule!.deps.segments].some((ref) => this.resolve(ref) === segment));
    if (readers.length) throw AppError.conflict(`segment ${id} is read by ${readers.map((s) => s.def.id).join(', ')}; change or delete those first`, { field: 'id' });
    this.segments.delete(id);
    this.order = this.order.filter((s) => s !== segment);
    return segment;
  }

  /** Segments whose rule reads `segment` (directly). */
  readersOf(segment: ActiveSegment): ActiveSegment[] {
    return this.order.filter((s) => s.reads.includes(segment));
  }

  /** The evaluation context for `user`'s `facts` at `now` (one object, reused: use it before the next call). */
  context(user: string, facts: ProfileFacts, now: number, fallbackLastSeen: boolean): EvalContext {
    return this.ctx.bind(user, facts, now, fallbackLastSeen);
  }

  /** Whether `user` matches the rule of `segment` now (a profile that declined personalization never does). */
  evaluate(segment: ActiveSegment, ctx: EvalContext): boolean {
    if (!segment.rule || ctx.facts.restricted) return false;
    return segment.rule.test(ctx);
  }

  private sortByDependency(): ActiveSegment[] {
    const rules = [...this.segments.values()].filter((s) => s.rule);
    const out: ActiveSegment[] = [];
    const state = new Map<ActiveSegment, 'visiting' | 'done'>();
    const visit = (s: ActiveSegment, path: string[]) => {
      if (state.get(s) === 'done') return;
      if (state.get(s) === 'visiting') throw AppError.invalid(`segments read each other in a cycle: ${[...path, s.def.id].join(' → ')}`, { field: 'rule' });
      state.set(s, 'visiting');
      for (const ref of s.rule!.deps.segments) {
        const target = this.resolve(ref);
        if (target?.rule) visit(target, [...path, s.def.id]);
      }
      state.set(s, 'done');
      out.push(s);
    };
    for (const s of rules) visit(s, []);
    for (const s of rules) s.reads = [...s.rule!.deps.segments].map((ref) => this.resolve(ref)).filter((t): t is ActiveSegment => t !== undefined);
    return out;
  }
}

/** One reusable EvalContext (no allocation per evaluation); RFM scores are computed once per bind. */
class MutableContext implements EvalContext {
  now = 0;
  facts!: ProfileFacts;
  lastActive: number | null = null;
  private user = '';
  private scores: RfmScores | null | undefined;

  constructor(private readonly w: WorkspaceSegments) {}

  bind(user: string, facts: ProfileFacts, now: number, fallbackLastSeen: boolean): this {
    this.user = user;
    this.facts = facts;
    this.now = now;
    this.scores = undefined;
    // Users seen before the engine kept their activity (a snapshot of profiles only) fall back to lastSeen.
    this.lastActive = this.w.lastActive.get(user) ?? (fallbackLastSeen && facts.field(FIELD_CODE.events, undefined, now)! > 0 ? facts.field(FIELD_CODE.lastSeen, undefined, now) : null);
    return this;
  }

  count(track: number, days: number | null): number {
    return this.w.tracks.count(track, this.user, this.now, days);
  }

  times(track: number): readonly number[] {
    return this.w.tracks.times(track, this.user);
  }

  member(segment: string): boolean {
    return this.w.isMember(segment, this.user);
  }

  rfmScore(which: 'r' | 'f' | 'm'): number | null {
    return this.rfmScores()?.[which] ?? null;
  }

  rfmTier(): RfmTier | null {
    return this.rfmScores()?.tier ?? null;
  }

  private rfmScores(): RfmScores | null {
    if (this.scores === undefined) {
      const f = this.facts;
      const orders = f.field(FIELD_CODE['rfm.orders'], undefined, this.now) ?? 0;
      this.scores = rfmScoresOf(this.w.rfm, f.field(FIELD_CODE['rfm.lastOrderAt'], undefined, this.now), orders, f.field(FIELD_CODE['rfm.revenue'], undefined, this.now) ?? 0);
    }
    return this.scores;
  }
}

function hashIds(ids: Set<string>): string {
  let h = 2166136261;
  for (const id of [...ids].sort()) for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
