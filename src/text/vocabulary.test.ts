import { describe, expect, it } from 'vitest';
import { countTokens, PAD_ID, UNK_ID, Vocabulary } from './vocabulary.js';

const texts = [['play', 'jazz', 'now'], ['play', 'rock'], ['play', 'jazz'], ['stop']];

describe('Vocabulary', () => {
  it('reserves padding 0 and unknown 1, then orders tokens by count with ties in code-point order', () => {
    const vocab = Vocabulary.fromTexts(texts);
    expect(vocab.size).toBe(7);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => vocab.token(i))).toEqual(['<pad>', '<unk>', 'play', 'jazz', 'now', 'rock', 'stop']);
    expect(vocab.id('play')).toBe(2);
    expect(vocab.id('blues')).toBe(UNK_ID);
    expect(vocab.has('blues')).toBe(false);
    expect(() => vocab.token(7)).toThrow(/outside a vocabulary of 7/);
  });

  it('applies minCount and maxSize (the reserved ids count towards maxSize)', () => {
    expect(Vocabulary.fromTexts(texts, { minCount: 2 }).size).toBe(4); // play, jazz
    const small = Vocabulary.fromTexts(texts, { maxSize: 3 });
    expect(small.size).toBe(3);
    expect(small.id('jazz')).toBe(UNK_ID);
    expect(() => Vocabulary.fromTexts(texts, { maxSize: 1 })).toThrow(/maxSize must be ≥ 2/);
    expect(() => Vocabulary.fromTexts(texts, { minCount: 0 })).toThrow(/minCount/);
    expect(countTokens(texts).get('play')).toBe(3);
  });

  it('encodes to a fixed length, padding with 0 or truncating', () => {
    const vocab = Vocabulary.fromTexts(texts);
    expect([...vocab.encode(['play', 'blues'], 4)]).toEqual([2, UNK_ID, PAD_ID, PAD_ID]);
    expect([...vocab.encode(['play', 'jazz', 'now', 'rock'], 2)]).toEqual([2, 3]);
    expect([...vocab.encode(['stop'])]).toEqual([6]);
    expect(vocab.encode([], 3)).toBeInstanceOf(Int32Array);
    expect(() => vocab.encode(['play'], -1)).toThrow(/length/);
  });

  it('saves and loads as JSON, and rejects what is not a vocabulary', () => {
    const vocab = Vocabulary.fromTexts(texts);
    const copy = Vocabulary.load(vocab.save());
    expect(copy.size).toBe(vocab.size);
    for (const t of ['play', 'jazz', 'stop', 'blues']) expect(copy.id(t)).toBe(vocab.id(t));
    expect(JSON.parse(vocab.save())).toMatchObject({ format: 'shopwise-vocabulary', version: 1 });
    expect(() => Vocabulary.load('{')).toThrow(/not JSON/);
    expect(() => Vocabulary.load('{"format":"x"}')).toThrow(/not a shopwise-vocabulary/);
    expect(() => Vocabulary.load('{"format":"shopwise-vocabulary","version":1,"tokens":["a","b"]}')).toThrow(/must start with/);
    expect(() => Vocabulary.load('{"format":"shopwise-vocabulary","version":1,"tokens":["<pad>","<unk>","a","a"]}')).toThrow(/twice/);
  });
});
