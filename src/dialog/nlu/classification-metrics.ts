import { AppError } from '../../core/errors.js';

export interface LabelScores {
  precision: number;
  recall: number;
  f1: number;
  /** Gold examples of the label. */
  support: number;
}

export interface ClassificationScores {
  accuracy: number;
  /** Mean F1 over the labels that occur in the gold labels. */
  macroF1: number;
  /** Every label of gold or predictions; a label never predicted has precision 0. */
  perLabel: Record<string, LabelScores>;
  /** Count of (gold, predicted) pairs, gold → predicted → count. */
  confusion: Map<string, Map<string, number>>;
}

/**
 * Accuracy, per-label precision / recall / F1 with support, macro F1 (over gold labels) and the
 * confusion counts of predicted labels against gold ones.
 *
 * @example scoreClassification(['a', 'b', 'b'], ['a', 'b', 'a']).accuracy // 0.667
 */
export function scoreClassification(gold: readonly string[], pred: readonly string[]): ClassificationScores {
  if (gold.length !== pred.length) throw AppError.invalid(`${gold.length} gold labels but ${pred.length} predictions`, { field: 'pred' });
  if (gold.length === 0) throw AppError.invalid('nothing to score: the test set is empty', { field: 'test' });
  const confusion = new Map<string, Map<string, number>>();
  const goldCount = new Map<string, number>();
  const predCount = new Map<string, number>();
  let correct = 0;
  gold.forEach((g, i) => {
    const p = pred[i]!;
    if (g === p) correct++;
    goldCount.set(g, (goldCount.get(g) ?? 0) + 1);
    predCount.set(p, (predCount.get(p) ?? 0) + 1);
    let row = confusion.get(g);
    if (!row) confusion.set(g, (row = new Map()));
    row.set(p, (row.get(p) ?? 0) + 1);
  });
  const labels = [...new Set([...goldCount.keys(), ...predCount.keys()])].sort();
  const perLabel: Record<string, LabelScores> = {};
  for (const label of labels) {
    const tp = confusion.get(label)?.get(label) ?? 0;
    const support = goldCount.get(label) ?? 0;
    const predicted = predCount.get(label) ?? 0;
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    perLabel[label] = { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  }
  const goldLabels = labels.filter((l) => (goldCount.get(l) ?? 0) > 0);
  const macroF1 = goldLabels.reduce((s, l) => s + perLabel[l]!.f1, 0) / goldLabels.length;
  return { accuracy: correct / gold.length, macroF1, perLabel, confusion };
}

/**
 * The confusion matrix as text: a full gold × predicted table when there are at most `maxLabels`
 * labels, else the `top` most frequent confusions (gold → predicted, count).
 *
 * @example console.log(formatConfusion(scores.confusion));
 */
export function formatConfusion(confusion: Map<string, Map<string, number>>, options: { maxLabels?: number; top?: number } = {}): string {
  const labels = [...new Set([...confusion.keys(), ...[...confusion.values()].flatMap((r) => [...r.keys()])])].sort();
  if (labels.length <= (options.maxLabels ?? 12)) {
    const short = labels.map((l) => (l.length > 12 ? l.slice(0, 11) + '…' : l));
    const width = Math.max(6, ...short.map((s) => s.length));
    const cell = (s: string | number) => String(s).padStart(width);
    const lines = [`${'gold \\ predicted'.padEnd(width + 2)} ${short.map(cell).join(' ')}`];
    labels.forEach((g, i) => lines.push(`${short[i]!.padEnd(width + 2)} ${labels.map((p) => cell(confusion.get(g)?.get(p) ?? 0)).join(' ')}`));
    return lines.join('\n');
  }
  const pairs: Array<[string, string, number]> = [];
  for (const [g, row] of confusion) for (const [p, n] of row) if (g !== p) pairs.push([g, p, n]);
  pairs.sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0]));
  const top = pairs.slice(0, options.top ?? 15);
  if (top.length === 0) return 'no confusions';
  return [`top ${top.length} confusions of ${pairs.length} (gold → predicted: count)`, ...top.map(([g, p, n]) => `  ${g} → ${p}: ${n}`)].join('\n');
}
