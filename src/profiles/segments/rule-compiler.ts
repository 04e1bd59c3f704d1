import { DAY_MS } from '../decay.js';
import type { Argument, CompareOp, RuleNode, ValueNode } from './rule-ast.js';
import { type ChangedBy, findField, FUNCTIONS } from './rule-catalog.js';
import { FIELD_CODE, type FieldPath, type InterestKindOrAny, parseInterestName, type ProfileFacts } from './profile-facts.js';
import type { RfmTier } from './rfm-names.js';

/** Which events may change a rule's value, and whether time alone may (computed from the syntax tree). */
export interface Dependencies {
  anyEvent: boolean;
  names: Set<string>;
  products: boolean;
  time: boolean;
  rfmScores: boolean;
  /** Segment ids or names the rule reads with segment("…"). */
  segments: Set<string>;
}

/** A behaviour window a rule counts in: events of one name whose product matches the filters. */
export interface TrackSpec {
  event: string;
  filters: { item?: string; category?: string; brand?: string; tag?: string };
  /** Longest window asked for (null: ever). */
  days: number | null;
  /** Event times kept per user: enough to decide every comparison of the rule (threshold + 1). */
  cap: number;
}

/** What evaluating a rule for one profile at one time reads (segment-engine.ts provides it). */
export interface EvalContext {
  now: number;
  facts: ProfileFacts;
  /** Events of track `track` within `days` (now < t + days), or ever when null. */
  count(track: number, days: number | null): number;
  /** The user's kept event times of the track, ascending. */
  times(track: number): readonly number[];
  /** Event time of the user's last event (segment events excluded), null when unknown. */
  lastActive: number | null;
  member(segment: string): boolean;
  rfmScore(which: 'r' | 'f' | 'm'): number | null;
  rfmTier(): RfmTier | null;
}

export interface CompiledRule {
  test(ctx: EvalContext): boolean;
  /** The earliest time after ctx.now at which `test` may change with no event (Infinity: never). */
  nextChange(ctx: EvalContext): number;
  deps: Dependencies;
}

interface Compiled {
  test(ctx: EvalContext): boolean;
  next(ctx: EvalContext): number;
}

const NEVER = (): number => Infinity;

/**
 * Turns a checked syntax tree into closures (no tree walking per evaluation) and its dependency set.
 * `track(spec)` registers a behaviour window and returns its index (tracks are shared by the rules of
 * a workspace).
 *
 * @example const rule = compileRule(parseRule('inactive(days = 14)'), (spec) => tracks.register(spec)); rule.test(ctx)
 */
export function compileRule(ast: RuleNode, track: (spec: TrackSpec) => number): CompiledRule {
  const deps: Dependencies = { anyEvent: false, names: new Set(), products: false, time: false, rfmScores: false, segments: new Set() };
  const compiled = compileNode(ast, track, deps);
  return { test: compiled.test, nextChange: compiled.next, deps };
}

function compileNode(node: RuleNode, track: (spec: TrackSpec) => number, deps: Dependencies): Compiled {
  if (node.type === 'not') {
    const inner = compileNode(node.operand, track, deps);
    return { test: (ctx) => !inner.test(ctx), next: inner.next };
  }
  if (node.type === 'and' || node.type === 'or') {
    const a = compileNode(node.left, track, deps);
    const b = compileNode(node.right, track, deps);
    // An AND with a side that is false and stays false without events cannot change by time alone
    // (nor an OR with a side that is true and stays so): no deadline, and the other side is not read.
    const decided = node.type === 'and' ? false : true;
    const next = (ctx: EvalContext) => {
      const na = a.next(ctx);
      if (na === Infinity && a.test(ctx) === decided) return Infinity;
      const nb = b.next(ctx);
      if (nb === Infinity && b.test(ctx) === decided) return Infinity;
      return Math.min(na, nb);
    };
    return node.type === 'and' ? { test: (ctx) => a.test(ctx) && b.test(ctx), next } : { test: (ctx) => a.test(ctx) || b.test(ctx), next };
  }
  const c = node as Extract<RuleNode, { type: 'compare' }>;
  return compileComparison(c.value, c.op, c.number, track, deps);
}

function compileComparison(value: ValueNode, op: CompareOp | null, number: number | null, track: (spec: TrackSpec) => number, deps: Dependencies): Compiled {
  const cmp = comparator(op ?? '>', number ?? 0);
  if (value.type === 'field') return compileField(value.path, cmp, number ?? 0, deps);
  const arg = (name: string | null) => value.args.find((a) => a.name === name)?.value.value;
  const first = value.args[0]?.value.value as string;
  switch (value.name) {
    case 'inactive': {
      const days = arg('days') as number;
      add(deps, { anyEvent: true, time: true });
      const window = days * DAY_MS;
      return {
        test: (ctx) => ctx.lastActive !== null && ctx.now >= ctx.lastActive + window,
        // Compared as `now >= last + window`, the same sum as the deadline, so both agree to the last bit.
        next: (ctx) => (ctx.lastActive !== null && ctx.now < ctx.lastActive + window ? ctx.lastActive + window : Infinity),
      };
    }
    case 'segment':
      deps.segments.add(first);
      return { test: (ctx) => ctx.member(first), next: NEVER };
    case 'tier':
      add(deps, { names: ['Order Completed'], rfmScores: true });
      return { test: (ctx) => ctx.rfmTier() === first, next: NEVER };
    case 'interest': {
      const { kind, name } = parseInterestName(first);
      add(deps, { products: true });
      return numeric((ctx) => ctx.facts.interestShare(kind as InterestKindOrAny, name), cmp);
    }
    case 'channel':
      add(deps, { anyEvent: true });
      return numeric((ctx) => ctx.facts.channelShare(first), cmp);
    default:
      return compileCount(value.name, value.args, cmp, op, number, track, deps);
  }
}

function compileField(path: string[], cmp: (v: number) => boolean, threshold: number, deps: Dependencies): Compiled {
  const entry = findField(path)!;
  add(deps, entry.changedBy);
  if (entry.path === 'eventCounts.*') deps.names.add(path[1]!);
  if (entry.path === 'rfm.r' || entry.path === 'rfm.f' || entry.path === 'rfm.m') {
    const which = entry.path.slice(4) as 'r' | 'f' | 'm';
    return numeric((ctx) => ctx.rfmScore(which), cmp);
  }
  const code = FIELD_CODE[entry.path as FieldPath];
  const key = entry.path.endsWith('*') ? path[1] : undefined;
  const read = (ctx: EvalContext) => ctx.facts.field(code, key, ctx.now);
  if (entry.path !== 'rfm.daysSinceLastOrder') return numeric(read, cmp);
  // Days since the last order grow with the clock: the comparison flips when they pass the threshold.
  return {
    test: (ctx) => applies(read(ctx), cmp),
    next(ctx) {
      const last = ctx.facts.field(FIELD_CODE['rfm.lastOrderAt'], undefined, ctx.now);
      if (last === null) return Infinity;
      const lastSeen = ctx.facts.field(FIELD_CODE.lastSeen, undefined, ctx.now) ?? -Infinity;
      const crossing = last + threshold * DAY_MS;
      if (crossing < Math.max(ctx.now, lastSeen)) return Infinity;
      return firstAfter(ctx.now, crossing);
    },
  };
}

function compileCount(name: string, args: Argument[], cmp: (v: number) => boolean, op: CompareOp | null, number: number | null, track: (spec: TrackSpec) => number, deps: Dependencies): Compiled {
  const entry = FUNCTIONS.find((f) => f.name === name)!;
  const event = entry.counts ?? (args[0]!.value.value as string);
  const filters: TrackSpec['filters'] = {};
  let days: number | null = null;
  for (const a of args) {
    if (a.name === 'days') days = a.value.value as number;
    else if (a.name !== null) filters[a.name as keyof TrackSpec['filters']] = a.value.value as string;
  }
  deps.names.add(event);
  if (days === null && Object.keys(filters).length === 0) {
    // Every event of a name, ever: the profile counts those already.
    return compileField(['eventCounts', event], cmp, number ?? 0, deps);
  }
  const cap = op === null ? 1 : Math.max(1, Math.floor(Math.max(0, number ?? 0)) + 1);
  const index = track({ event, filters, days, cap });
  if (days === null) return numeric((ctx) => ctx.count(index, null), cmp);
  deps.time = true;
  const window = days * DAY_MS;
  return {
    test: (ctx) => cmp(ctx.count(index, days)),
    next(ctx) {
      // The count only falls as events age out of the window: find the first fall that flips the outcome.
      const times = ctx.times(index);
      let first = times.length;
      while (first > 0 && ctx.now < times[first - 1]! + window) first--;
      const n = times.length - first;
      const now = cmp(n);
      for (let j = 1; j <= n; j++) if (cmp(n - j) !== now) return times[first + j - 1]! + window;
      return Infinity;
    },
  };
}

function numeric(read: (ctx: EvalContext) => number | null, cmp: (v: number) => boolean): Compiled {
  return { test: (ctx) => applies(read(ctx), cmp), next: NEVER };
}

function applies(v: number | null, cmp: (v: number) => boolean): boolean {
  return v !== null && Number.isFinite(v) && cmp(v);
}

function comparator(op: CompareOp, n: number): (v: number) => boolean {
  switch (op) {
    case '>': return (v) => v > n;
    case '>=': return (v) => v >= n;
    case '<': return (v) => v < n;
    case '<=': return (v) => v <= n;
    case '=': return (v) => v === n;
    case '!=': return (v) => v !== n;
  }
}

/** The first whole millisecond after `now` at which a value growing through `crossing` has passed or reached it. */
function firstAfter(now: number, crossing: number): number {
  const up = Math.ceil(crossing);
  return up > now ? up : Math.floor(crossing) + 1 > now ? Math.floor(crossing) + 1 : now + 1;
}

function add(deps: Dependencies, by: ChangedBy): void {
  if (by.anyEvent) deps.anyEvent = true;
  if (by.products) deps.products = true;
  if (by.time) deps.time = true;
  if (by.rfmScores) deps.rfmScores = true;
  for (const n of by.names ?? []) deps.names.add(n);
}
