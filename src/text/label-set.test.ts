import { describe, expect, it } from 'vitest';
import { LabelSet } from './label-set.js';

describe('LabelSet', () => {
  it('takes the distinct labels of the data in code-point order; unknown names are -1', () => {
    const set = LabelSet.fromLabels(['PlayMusic', 'GetWeather', 'PlayMusic', 'atis_flight']);
    expect(set.names).toEqual(['GetWeather', 'PlayMusic', 'atis_flight']);
    expect(set.index('PlayMusic')).toBe(1);
    expect(set.index('RateBook')).toBe(-1);
    expect(set.name(2)).toBe('atis_flight');
    expect(() => set.name(3)).toThrow(/outside 3 labels/);
    expect(() => LabelSet.fromLabels([])).toThrow(/at least one/);
  });

  it('saves and loads as JSON', () => {
    const set = LabelSet.fromLabels(['b', 'a']);
    expect(LabelSet.load(set.save()).names).toEqual(['a', 'b']);
    expect(() => LabelSet.load('{}')).toThrow(/non-empty JSON array/);
    expect(() => LabelSet.load('["a","a"]')).toThrow(/once/);
    expect(() => LabelSet.load('nope')).toThrow(/not JSON/);
  });
});
