import { describe, expect, it } from 'vitest';
import { UNK_ID } from '../vocabulary.js';
import { IntentEncoding, lengthPercentile } from './intent-examples.js';

/** A generated corpus: utterance i has 2 + (i mod 7) tokens, intents alternate between two names. */
function corpus(n: number) {
  const tokens = Array.from({ length: n }, (_, i) => Array.from({ length: 2 + (i % 7) }, (_, k) => (k === 0 ? (i % 2 ? 'play' : 'book') : `w${k}`)));
  return { tokens, intents: tokens.map((_, i) => (i % 2 ? 'PlayMusic' : 'BookRestaurant')) };
}

describe('IntentEncoding', () => {
  it('reads vocabulary, intents and length from the training split and encodes any split', () => {
    const train = corpus(200); // lengths 2…8, evenly
    const encoding = IntentEncoding.fromTraining(train, { lengthPercentile: 50, minCount: 2 });
    expect(encoding.intents.names).toEqual(['BookRestaurant', 'PlayMusic']);
    expect(encoding.length).toBe(5);
    expect(IntentEncoding.fromTraining(train).length).toBe(8);
    const [first] = encoding.encode({ tokens: [['play', 'w1', 'unseen', 'w3', 'w4', 'w5']], intents: ['PlayMusic'] });
    expect(first!.label).toBe(1);
    expect(first!.ids).toHaveLength(5);
    expect(first!.ids[2]).toBe(UNK_ID);
    expect(encoding.encode({ tokens: [['x']], intents: ['RateBook'] })[0]!.label).toBe(-1);
    expect(Array.from(encoding.encode({ tokens: [['x']], intents: ['PlayMusic'] })[0]!.ids)).toEqual([UNK_ID, 0, 0, 0, 0]);
    expect(IntentEncoding.fromTraining({ tokens: [['a']], intents: ['X'] }).length).toBe(5); // minLength
  });

  it('rejects an empty training split and misaligned intents', () => {
    expect(() => IntentEncoding.fromTraining({ tokens: [], intents: [] })).toThrow(/no utterances/);
    const encoding = IntentEncoding.fromTraining(corpus(10));
    expect(() => encoding.encode({ tokens: [['a']], intents: [] })).toThrow(/1 utterances but 0 intents/);
  });

  it('lengthPercentile is the nearest-rank percentile of the token counts', () => {
    const texts = [['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c', 'd']];
    expect(lengthPercentile(texts, 50)).toBe(2);
    expect(lengthPercentile(texts, 100)).toBe(4);
    expect(lengthPercentile(texts, 1)).toBe(1);
    expect(() => lengthPercentile(texts, 0)).toThrow(/percentile/);
  });
});
