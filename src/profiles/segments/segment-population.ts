import { FIELD_CODE, TableFacts } from './profile-facts.js';
import type { ProfileSource } from './profile-source.js';
import { type RfmCutoffs, rfmCutoffs } from './rfm-tiers.js';

/**
 * The RFM quintile cut-offs of a workspace's buyers, read straight from the packed profiles.
 *
 * @example workspace.rfm = computeCutoffs(processor, 'shop');
 */
export function computeCutoffs(source: ProfileSource, workspaceId: string): RfmCutoffs {
  const last: number[] = [];
  const orders: number[] = [];
  const revenue: number[] = [];
  let facts: TableFacts | undefined;
  source.forEachProfile(workspaceId, (ref) => {
    facts ??= new TableFacts(ref.table, ref.ws);
    facts.at(ref.slot, ref.table);
    if (facts.restricted) return;
    const n = facts.field(FIELD_CODE['rfm.orders'], undefined, 0) ?? 0;
    if (n <= 0) return;
    last.push(facts.field(FIELD_CODE['rfm.lastOrderAt'], undefined, 0)!);
    orders.push(n);
    revenue.push(facts.field(FIELD_CODE['rfm.revenue'], undefined, 0) ?? 0);
  });
  return rfmCutoffs(Float64Array.from(last), Float64Array.from(orders), Float64Array.from(revenue));
}
