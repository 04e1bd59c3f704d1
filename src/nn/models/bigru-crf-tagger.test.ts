import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { cpuExecutor } from '../executor.js';
import { BiGruCrfTagger, type BiGruCrfConfig } from './bigru-crf-tagger.js';

const CONFIG: BiGruCrfConfig = { vocab: 8, wordDim: 6, featureBuckets: 16, featureDim: 4, hidden: 6, length: 5, tags: 3, batchSize: 4, dropout: 0, buckets: [3, 5] };

/** Tag of a word: 1 ("B") for words 2–3, 2 ("I") for word 4 after a B or I, else 0; features: the word's bucket. */
function sequence(rng: SeededRandom, n: number): { words: number[]; tags: number[] } {
  const words: number[] = [];
  const tags: number[] = [];
  for (let t = 0; t < n; t++) {
    const w = 2 + rng.int(6);
    words.push(w);
    tags.push(w <= 3 ? 1 : w === 4 && t > 0 && tags[t - 1] !== 0 ? 2 : 0);
  }
  return { words, tags };
}

function pack(seqs: { words: number[]; tags: number[] }[], length: number) {
  const words = new Int32Array(seqs.length * length);
  const tags = new Int32Array(seqs.length * length);
  const offsets = new Int32Array(words.length + 1);
  const ids: number[] = [];
  seqs.forEach((s, i) => s.words.forEach((w, t) => ((words[i * length + t] = w), (tags[i * length + t] = s.tags[t]!))));
  for (let p = 0; p < words.length; p++) {
    if (words[p]) ids.push(words[p]! * 2);
    offsets[p + 1] = ids.length;
  }
  return { words, tags, features: { offsets, ids: Int32Array.from(ids) } };
}

describe('BiGruCrfTagger', () => {
  it('trains on two bucket lengths and decodes the learnt tags with Viterbi over each real length', async () => {
    const rng = new SeededRandom('crf-tagger');
    const model = new BiGruCrfTagger(CONFIG, rng.fork('model'), { executor: cpuExecutor, lr: 0.05 });
    const data = rng.fork('data');
    let first = 0;
    let last = 0;
    for (let step = 0; step < 80; step++) {
      const length = step % 2 ? 3 : 5;
      const batch = pack(Array.from({ length: 4 }, () => sequence(data, 1 + data.int(length))), length);
      last = await model.trainStep(batch);
      if (step === 0) first = last;
    }
    expect(last).toBeLessThan(first / 4);
    expect(model.timing().steps).toBe(80);
    const test = Array.from({ length: 4 }, (_, i) => sequence(data, 2 + i));
    const paths = await model.decodeMany(pack(test, 5));
    expect(paths.map((p) => p.length)).toEqual([2, 3, 4, 5]);
    expect(paths).toEqual(test.map((s) => s.tags));
  });

  it('rejects a batch that fits no bucket and buckets that are not ascending lengths ≤ L', async () => {
    const model = new BiGruCrfTagger(CONFIG, new SeededRandom('x'), { executor: cpuExecutor });
    await expect(model.trainStep(pack([sequence(new SeededRandom('y'), 2)], 4))).rejects.toBeInstanceOf(AppError);
    expect(() => new BiGruCrfTagger({ ...CONFIG, buckets: [5, 3] }, new SeededRandom('x'))).toThrow(/ascending/);
    expect(() => new BiGruCrfTagger({ ...CONFIG, buckets: [6] }, new SeededRandom('x'))).toThrow(AppError);
  });
});
