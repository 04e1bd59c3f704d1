import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { bioToSpans, bioesToBio, spansToBio } from './spans.js';

describe('bioToSpans', () => {
  it('reads B- I- spans with token offsets, end exclusive', () => {
    expect(bioToSpans(['O', 'B-artist', 'I-artist', 'O', 'B-album'])).toEqual([
      { type: 'artist', start: 1, end: 3 },
      { type: 'album', start: 4, end: 5 },
    ]);
  });

  it('starts a span at an I- without its B- (conlleval)', () => {
    expect(bioToSpans(['I-city', 'I-city', 'O', 'I-state'])).toEqual([
      { type: 'city', start: 0, end: 2 },
      { type: 'state', start: 3, end: 4 },
    ]);
  });

  it('splits at a change of type and at a new B- of the same type', () => {
    expect(bioToSpans(['B-a', 'I-b', 'B-b', 'B-b', 'I-b'])).toEqual([
      { type: 'a', start: 0, end: 1 },
      { type: 'b', start: 1, end: 2 },
      { type: 'b', start: 2, end: 3 },
      { type: 'b', start: 3, end: 5 },
    ]);
  });

  it('reads IOBES too: E- and S- close spans', () => {
    expect(bioToSpans(['B-x', 'E-x', 'S-x', 'I-x', 'E-x', 'E-y'])).toEqual([
      { type: 'x', start: 0, end: 2 },
      { type: 'x', start: 2, end: 3 },
      { type: 'x', start: 3, end: 5 },
      { type: 'y', start: 5, end: 6 },
    ]);
  });

  it('handles the empty and all-O sequences and types with dashes', () => {
    expect(bioToSpans([])).toEqual([]);
    expect(bioToSpans(['O', 'O'])).toEqual([]);
    expect(bioToSpans(['B-object-type', 'I-object-type'])).toEqual([{ type: 'object-type', start: 0, end: 2 }]);
  });

  it('rejects a tag that is not O or prefix-type, naming its index', () => {
    const error = (() => { try { bioToSpans(['O', 'B-x', 'X-y']); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('invalid');
    expect((error as AppError).detail.index).toBe(2);
    expect(() => bioToSpans(['B-'])).toThrow(AppError);
    expect(() => bioToSpans(['o'])).toThrow(/neither O/);
  });
});

describe('bioesToBio and spansToBio', () => {
  it('maps S- to B- and E- to I-', () => {
    expect(bioesToBio(['S-a', 'B-b', 'I-b', 'E-b', 'O'])).toEqual(['B-a', 'B-b', 'I-b', 'I-b', 'O']);
    expect(() => bioesToBio(['Q-a'])).toThrow(AppError);
  });

  it('round-trips spans and BIO tags', () => {
    const tags = ['B-a', 'I-a', 'O', 'B-a', 'B-b', 'I-b'];
    expect(spansToBio(bioToSpans(tags), tags.length)).toEqual(tags);
    expect(spansToBio([], 2)).toEqual(['O', 'O']);
  });

  it('rejects overlapping, empty or out-of-range spans', () => {
    expect(() => spansToBio([{ type: 'a', start: 0, end: 2 }, { type: 'b', start: 1, end: 3 }], 3)).toThrow(/overlaps/);
    expect(() => spansToBio([{ type: 'a', start: 1, end: 1 }], 3)).toThrow(/empty/);
    expect(() => spansToBio([{ type: 'a', start: 2, end: 4 }], 3)).toThrow(AppError);
    expect(() => spansToBio([{ type: '', start: 0, end: 1 }], 3)).toThrow(/type/);
  });
});
