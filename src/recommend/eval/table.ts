import type { EvalResult } from './run-eval.js';

/** The metric columns of a protocol's table, in order. */
function columns(result: EvalResult): string[] {
  const k = result.k;
  if (result.protocol === 'surprise-5fold') return ['rmse', 'mae'];
  const base = [`ndcg@${k}`, `precision@${k}`, `recall@${k}`, `map@${k}`, `hit@${k}`, `mrr@${k}`];
  if (result.protocol === 'loo') base.push(`sampled_hit@${k}`, `sampled_ndcg@${k}`);
  return [...base, 'auc', 'coverage', 'novelty', 'diversity', 'gini'];
}

/**
 * The human table of an evaluation: one row per model, the protocol's metrics, fit seconds per fold,
 * the best value of each metric marked with `*`; models that do not apply are listed with the reason.
 *
 * @example console.log(formatEvalTable(result));
 */
export function formatEvalTable(result: EvalResult): string {
  const cols = columns(result);
  const lowerIsBetter = (c: string) => c === 'rmse' || c === 'mae' || c === 'gini';
  const ran = result.results.filter((r) => !r.skipped);
  const best = new Map<string, number>();
  for (const c of cols) {
    const values = ran.map((r) => r.metrics[c]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (values.length) best.set(c, lowerIsBetter(c) ? Math.min(...values) : Math.max(...values));
  }
  const header = ['model', ...cols, 'fit s'];
  const rows = ran.map((r) => [
    r.model,
    ...cols.map((c) => {
      const v = r.metrics[c];
      if (v === undefined || !Number.isFinite(v)) return '–';
      return (c === 'novelty' ? v.toFixed(2) : v.toFixed(4)) + (best.get(c) === v && ran.length > 1 ? '*' : ' ');
    }),
    r.fit_seconds.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const d = result.data;
  const out = [
    `protocol ${result.protocol} · ${result.dataset} · ${d.users.toLocaleString('en-US')} users × ${d.items.toLocaleString('en-US')} items, ${d.interactions.toLocaleString('en-US')} interactions (${d.explicit ? 'ratings' : 'implicit'}) · k = ${result.k} · seed ${result.seed}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  const skipped = result.results.filter((r) => r.skipped);
  if (skipped.length) out.push('', `not run (${result.protocol}): ${skipped.map((r) => `${r.model} (${r.skipped})`).join(', ')}`);
  const tuned = ran.filter((r) => r.tuning);
  for (const r of tuned) out.push(`tuned ${r.model}: ${r.tuning!.trials} ${r.tuning!.method} trials in ${r.tuning!.seconds.toFixed(0)} s, validation ${r.tuning!.metric} ${r.tuning!.best.toFixed(4)} → ${JSON.stringify(r.params)}`);
  out.push('', '* best in its column. fit s: mean seconds per fold.');
  return out.join('\n');
}
