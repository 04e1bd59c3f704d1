import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../math/random.js';
import { SubwordEmbedding } from './subword-embedding.js';
import { subwordBuckets, subwords } from './subwords.js';

const TOPICS = [
  ['wireless', 'earbud', 'bluetooth', 'noise', 'cancelling', 'headphones', 'charging', 'case'],
  ['acoustic', 'guitar', 'strings', 'capo', 'tuner', 'pick', 'electric', 'amp'],
  ['running', 'shoes', 'sneakers', 'trail', 'socks', 'jogging', 'marathon', 'laces'],
  ['蓝牙', '耳机', '降噪', '无线', '充电', '音质', '耳塞', '续航'],
];

/** Sentences of 2–5 words drawn from one topic each. */
function trainedModel(seed: number, sentences = 6000, options: Partial<ConstructorParameters<typeof SubwordEmbedding>[0]> = {}): SubwordEmbedding {
  const rng = new SeededRandom(seed);
  const model = new SubwordEmbedding({ rng: rng.fork('subwords'), dim: 32, buckets: 1 << 14, ...options });
  const draw = rng.fork('corpus');
  for (let s = 0; s < sentences; s++) {
    const topic = TOPICS[draw.int(TOPICS.length)]!;
    model.add(Array.from({ length: 2 + draw.int(4) }, () => topic[draw.int(topic.length)]!));
    model.train(64);
  }
  return model;
}

describe('subwords', () => {
  it('gives Latin words their 3–6 character n-grams with boundary marks', () => {
    expect(subwords('pod', 3, 6)).toEqual(['<po', 'pod', 'od>', '<pod', 'pod>', '<pod>']);
    expect(subwords('earbud', 3, 6)).toHaveLength(6 + 5 + 4 + 3);
    expect(subwordBuckets('earbud', 3, 6, 1024).every((b) => b >= 0 && b < 1024)).toBe(true);
  });

  it('gives Chinese words their characters and character bigrams', () => {
    expect(subwords('无线耳机', 3, 6)).toEqual(['无', '线', '耳', '机', '无线', '线耳', '耳机']);
    expect(subwords('鞋', 3, 6)).toEqual(['鞋']);
  });
});

describe('SubwordEmbedding', () => {
  it('gives a word never seen a vector from its n-grams, close to the seen word sharing them', () => {
    const model = trainedModel(1);
    expect(model.has('earbuds')).toBe(false);
    expect(model.has('earbud')).toBe(true);
    const sameStem = model.similarity('earbuds', 'earbud');
    expect(sameStem).toBeGreaterThan(0.6);
    for (const other of ['guitar', 'shoes', 'marathon', '耳机']) expect(sameStem).toBeGreaterThan(model.similarity('earbuds', other) + 0.2);
    // The unseen word's nearest known words are the earbud topic (its words share every context here).
    const near = model.nearest('earbuds', 3).map((n) => n.term);
    expect(near.every((t) => TOPICS[0]!.includes(t))).toBe(true);
  });

  it('does the same for Chinese through shared characters and bigrams', () => {
    const model = trainedModel(2);
    expect(model.has('蓝牙耳机')).toBe(false);
    const near = model.nearest('蓝牙耳机', 3).map((n) => n.term);
    expect(near.every((t) => TOPICS[3]!.includes(t))).toBe(true);
    expect(model.similarity('蓝牙耳机', '耳机')).toBeGreaterThan(model.similarity('蓝牙耳机', 'guitar') + 0.2);
  });

  it('learns from contexts: words of one topic are each other’s neighbours', () => {
    const model = trainedModel(3);
    for (const [t, topic] of TOPICS.entries()) {
      const word = topic[1]!;
      const near = model.nearest(word, 4).map((n) => n.term);
      expect(near, `neighbours of ${word}`).not.toContain(word);
      expect(near.every((w) => TOPICS[t]!.includes(w)), `neighbours of ${word}: ${near.join(', ')}`).toBe(true);
    }
  });

  it('is reproducible from its seed', () => {
    const a = trainedModel(4, 500);
    const b = trainedModel(4, 500);
    expect(Array.from(a.vectorOf('guitar'))).toEqual(Array.from(b.vectorOf('guitar')));
    expect(Array.from(a.vectorOf('guitars'))).toEqual(Array.from(b.vectorOf('guitars')));
  });

  it('trains within a budget per call and drops the oldest text when the queue overflows', () => {
    const model = new SubwordEmbedding({ rng: new SeededRandom(5), dim: 8, buckets: 256, maxPending: 10 });
    for (let i = 0; i < 5; i++) model.add(['alpha', 'beta', 'gamma']);
    expect(model.stats()).toMatchObject({ tokens: 15, pending: 9, dropped: 6 });
    expect(model.train(4)).toBe(6); // two whole sentences: a sentence is never split
    expect(model.stats()).toMatchObject({ trained: 6, pending: 3 });
    expect(model.train()).toBe(3);
    expect(model.count('alpha')).toBe(5);
  });

  it('stops giving own vectors past maxWords but still embeds new words from n-grams', () => {
    const model = new SubwordEmbedding({ rng: new SeededRandom(6), dim: 8, buckets: 256, maxWords: 2 });
    model.add(['one', 'two', 'three']);
    expect(model.vocabularySize).toBe(2);
    expect(model.has('three')).toBe(false);
    expect(model.vectorOf('three').some((x) => x !== 0)).toBe(true);
  });

  it('rejects bad options with the field named', () => {
    expect(() => new SubwordEmbedding({ rng: new SeededRandom(1), dim: 0 })).toThrow(/dim/);
    expect(() => new SubwordEmbedding({ rng: new SeededRandom(1), minN: 4, maxN: 3 })).toThrow(/maxN/);
  });
});

describe('unigramTable', () => {
  it('draws words in proportion to count^0.75', async () => {
    const { unigramTable } = await import('./negative-sampling.js');
    const table = unigramTable(new Float64Array([16, 1, 0]), 3, new Int32Array(10_000));
    const zeros = table.filter((w) => w === 0).length / table.length;
    expect(zeros).toBeCloseTo(8 / 9, 3); // 16^0.75 = 8 against 1
    expect(table.includes(2)).toBe(false);
  });
});
