import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { slotF1 } from './slot-f1.js';

describe('slotF1 (conlleval span F1)', () => {
  it('is 1 for identical tags', () => {
    const tags = [['B-a', 'I-a', 'O'], ['O', 'B-b']];
    expect(slotF1(tags, tags)).toEqual({ f1: 1, precision: 1, recall: 1, perType: { a: { f1: 1, support: 1 }, b: { f1: 1, support: 1 } } });
  });

  it('counts a span only when type and both boundaries match', () => {
    const gold = [['B-city', 'I-city', 'O', 'B-state']];
    // boundary wrong (city cut short), type wrong (state predicted as country)
    const pred = [['B-city', 'O', 'O', 'B-country']];
    const s = slotF1(gold, pred);
    expect(s.precision).toBe(0);
    expect(s.recall).toBe(0);
    expect(s.f1).toBe(0);
    expect(s.perType.country).toEqual({ f1: 0, support: 0 });
  });

  it('computes micro precision, recall and F1', () => {
    const gold = [['B-a', 'O', 'B-b', 'I-b'], ['B-a', 'O']];
    const pred = [['B-a', 'O', 'B-b', 'I-b'], ['O', 'B-a']];
    const s = slotF1(gold, pred);
    // gold 3 spans, predicted 3, correct 2
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    expect(s.f1).toBeCloseTo(2 / 3, 12);
    expect(s.perType.a).toEqual({ f1: 0.5, support: 2 });
    expect(s.perType.b).toEqual({ f1: 1, support: 1 });
  });

  it('treats an I- without B- as a span start, as conlleval does', () => {
    expect(slotF1([['B-a', 'I-a']], [['I-a', 'I-a']]).f1).toBe(1);
    expect(slotF1([['O', 'B-a']], [['O', 'I-a']]).f1).toBe(1);
  });

  it('gives 0 when there are no spans at all (nothing to divide by)', () => {
    expect(slotF1([['O']], [['O']])).toEqual({ f1: 0, precision: 0, recall: 0, perType: {} });
  });

  it('rejects sequences of different counts or lengths', () => {
    expect(() => slotF1([['O']], [])).toThrow(AppError);
    const error = (() => { try { slotF1([['O'], ['O', 'O']], [['O'], ['O']]); } catch (e) { return e as AppError; } })();
    expect(error?.detail.index).toBe(1);
  });
});
