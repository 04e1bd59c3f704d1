import { AppError } from '../../core/errors.js';
import { bioToSpans } from './spans.js';

export interface SlotF1 {
  /** Micro-averaged span F1 over all slot types, in [0, 1] (conlleval prints it × 100). */
  f1: number;
  precision: number;
  recall: number;
  /** Per slot type: F1 and support (the number of gold spans of that type). Types only predicted have support 0. */
  perType: Record<string, { f1: number; support: number }>;
}

/**
 * Span-level F1 of predicted tag sequences against gold ones, as conlleval computes it: spans come
 * from {@link bioToSpans} (an I- without B- starts a span), and a predicted span counts as correct only
 * when its type and both boundaries match a gold span. Precision, recall and F1 are 0 when there is
 * nothing to divide by (as conlleval). Every pair of sequences must have the same length.
 *
 * @example
 * slotF1([['B-city', 'I-city', 'O']], [['B-city', 'O', 'O']]) // { f1: 0, precision: 0, recall: 0, … }
 * slotF1([['B-city', 'O']], [['B-city', 'O']]).f1 // 1
 */
export function slotF1(gold: readonly (readonly string[])[], pred: readonly (readonly string[])[]): SlotF1 {
  if (gold.length !== pred.length) throw AppError.invalid(`${gold.length} gold sequences but ${pred.length} predicted`, { field: 'pred' });
  const counts = new Map<string, { gold: number; pred: number; correct: number }>();
  const count = (type: string) => {
    let c = counts.get(type);
    if (!c) counts.set(type, (c = { gold: 0, pred: 0, correct: 0 }));
    return c;
  };
  gold.forEach((g, i) => {
    const p = pred[i]!;
    if (g.length !== p.length) throw AppError.invalid(`sequence ${i}: ${g.length} gold tags but ${p.length} predicted`, { field: 'pred', index: i });
    const goldSpans = bioToSpans(g);
    const keys = new Set(goldSpans.map((s) => `${s.type}\u0000${s.start}\u0000${s.end}`));
    for (const s of goldSpans) count(s.type).gold++;
    for (const s of bioToSpans(p)) {
      const c = count(s.type);
      c.pred++;
      if (keys.has(`${s.type}\u0000${s.start}\u0000${s.end}`)) c.correct++;
    }
  });
  let goldTotal = 0, predTotal = 0, correctTotal = 0;
  const perType: SlotF1['perType'] = {};
  for (const type of [...counts.keys()].sort()) {
    const c = counts.get(type)!;
    goldTotal += c.gold;
    predTotal += c.pred;
    correctTotal += c.correct;
    perType[type] = { f1: f1Of(c.correct, c.pred, c.gold).f1, support: c.gold };
  }
  return { ...f1Of(correctTotal, predTotal, goldTotal), perType };
}

function f1Of(correct: number, predicted: number, gold: number): { f1: number; precision: number; recall: number } {
  const precision = predicted > 0 ? correct / predicted : 0;
  const recall = gold > 0 ? correct / gold : 0;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}
