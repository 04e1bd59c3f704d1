import { parseRule } from './rule-parser.js';
import { TableFacts } from './profile-facts.js';
import type { ProfileSource } from './profile-source.js';
import { backfillTrack, type SegmentHistory } from './segment-history.js';
import { WorkspaceSegments } from './segment-workspace.js';

export interface RulePreview {
  /** Profiles matching now. */
  count: number;
  /** Profiles evaluated (the workspace's profiles). */
  profiles: number;
  /** Up to `sample` matching ids, in the order profiles were visited. */
  sample: string[];
}

/**
 * Evaluates a rule over a workspace's profiles without defining it: behaviour windows the live
 * segments already keep are copied, others are read from the history (or start empty without one).
 * Throws AppError.invalid for a bad rule, like defining it would.
 *
 * @example await previewRule({ source: processor, live: engine.workspace('shop'), now: Date.now() }, 'rfm.orders >= 2', 10)
 */
export async function previewRule(deps: { source: ProfileSource; live: WorkspaceSegments; history?: SegmentHistory; now: number }, rule: string, sample: number): Promise<RulePreview> {
  parseRule(rule);
  const scratch = new WorkspaceSegments(deps.live.id, deps.live);
  const upTo = deps.source.logPosition;
  const created: number[] = [];
  const segment = scratch.prepare({ id: '\u0000preview', name: '\u0000preview', kind: 'rule', rule }, (index, isNew) => isNew && created.push(index));
  for (const index of created) {
    const spec = scratch.tracks.spec(index);
    const live = deps.live.tracks.indexOf(spec);
    if (live !== undefined) scratch.tracks.copyFrom(index, deps.live.tracks, live);
    else if (deps.history) await backfillTrack(deps.history, deps.live.id, scratch.tracks, index, deps.now, upTo);
  }
  const out: RulePreview = { count: 0, profiles: 0, sample: [] };
  let facts: TableFacts | undefined;
  deps.source.forEachProfile(deps.live.id, (ref) => {
    facts ??= new TableFacts(ref.table, ref.ws);
    const ctx = scratch.context(ref.id, facts.at(ref.slot, ref.table), deps.now, true);
    out.profiles++;
    if (!scratch.evaluate(segment, ctx)) return;
    out.count++;
    if (out.sample.length < sample) out.sample.push(ref.id);
  });
  return out;
}
