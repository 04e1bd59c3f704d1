import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { OnnxExecutor } from '../onnx/onnx-executor.js';
import { BiGruTagger, oneHot, type BiGruTaggerConfig, type TaggerBatch } from './bigru-tagger.js';

const config: BiGruTaggerConfig = { vocab: 40, embDim: 8, hidden: 6, length: 5, tags: 4, intents: 3, batchSize: 4 };

/** A learnable toy: the tag of a token is id mod tags, the intent the first token's id mod intents. */
function toyBatch(rng: SeededRandom, c: BiGruTaggerConfig, pad = -1): TaggerBatch {
  const ids = Int32Array.from({ length: c.batchSize * c.length }, (_, i) => (pad >= 0 && i % c.length >= c.length - pad ? 0 : 1 + rng.int(c.vocab - 1)));
  return {
    ids,
    tags: Int32Array.from(ids, (id) => id % c.tags),
    intents: Int32Array.from({ length: c.batchSize }, (_, b) => ids[b * c.length]! % c.intents),
  };
}

describe('BiGruTagger', () => {
  it('builds graphs of the right shapes and predicts with the batch-1 graph', async () => {
    const tagger = new BiGruTagger(config, new SeededRandom('shapes'));
    expect(tagger.heads.tagLogits.shape).toEqual([4, 5, 4]);
    expect(tagger.heads.intentLogits.shape).toEqual([4, 3]);
    expect(tagger.heads.attention.shape).toEqual([4, 5]);
    expect(tagger.trainer.paramNames).toContain('encoder/fwd/uh');
    expect(tagger.store.shape('encoder/bwd/wx')).toEqual([8, 18]);
    expect(tagger.store.shape('att/w')).toEqual([12, 1]);
    const p = await tagger.predict([1, 2, 3, 4, 5]);
    expect(p.tags.length).toBe(5);
    expect(p.intentProbabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    await expect(tagger.predict([1, 2])).rejects.toThrow(/needs 5 ids/);
  });

  it('trains: the loss on a tiny random problem goes down, and the padding row stays zero', async () => {
    const rng = new SeededRandom('tagger-train');
    const tagger = new BiGruTagger({ ...config, masked: true }, rng.fork('model'), { lr: 0.03 });
    const batches = Array.from({ length: 4 }, () => toyBatch(rng, config, 1));
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) losses.push(await tagger.trainStep(batches[step % 4]!));
    const first = losses.slice(0, 4).reduce((a, b) => a + b) / 4;
    const last = losses.slice(-4).reduce((a, b) => a + b) / 4;
    expect(last).toBeLessThan(first * 0.6);
    expect([...tagger.table.row(0)].every((v) => v === 0)).toBe(true);
    await expect(tagger.trainStep({ ...batches[0]!, intents: [1] })).rejects.toThrow(/4 intents/);
  });

  it('trains the same on the onnx backend with Adam inside the graph', async () => {
    const rng = new SeededRandom('tagger-onnx');
    const batches = Array.from({ length: 3 }, () => toyBatch(rng, config));
    const cpu = new BiGruTagger(config, new SeededRandom('same'));
    const onnx = new BiGruTagger(config, new SeededRandom('same'), { executor: (g, o) => OnnxExecutor.create(g, o), adam: 'graph' });
    for (const batch of batches) expect(await onnx.trainStep(batch)).toBeCloseTo(await cpu.trainStep(batch), 4);
    // att/b gets an exactly-zero gradient (softmax ignores a shared shift), so Adam only amplifies float noise there.
    for (const name of cpu.store.names().filter((n) => n !== 'att/b')) {
      const a = cpu.store.get(name);
      const b = onnx.store.get(name);
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
    }
  });

  it('one-hot labels check their range', () => {
    expect([...oneHot([1, 0], 2)]).toEqual([0, 1, 1, 0]);
    expect(() => oneHot([2], 2, 'tag')).toThrow(/tag 2 outside 2 classes/);
  });
});
