import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { loadTextClassifier, saveTextClassifier } from './classifier-file.js';
import { calibrate, NeuralTextClassifier, trainTextClassifier, type ClassifierExample } from './text-classifier.js';

/** A generated 4-intent shopping task in English and Chinese: the intent is carried by a few key words among fillers. */
function generatedIntents(n: number, seed: string): ClassifierExample[] {
  const rng = new SeededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)]!;
  const things = ['shoes', 'jacket', 'phone', 'watch', 'bag', '耳机', '裙子', '手机'];
  const templates: Record<string, string[]> = {
    search: ['show me some {x}', 'i am looking for a {x}', 'do you have {x}', '我想买{x}', '有没有{x}'],
    order_status: ['where is my {x} order', 'has my {x} shipped yet', 'track the {x} i ordered', '我的{x}订单到哪了', '{x}什么时候发货'],
    refund: ['i want to return the {x}', 'refund my {x} please', 'the {x} is broken, money back', '{x}我要退货', '这个{x}能退款吗'],
    greet: ['hello there', 'hi, good morning', 'hey how are you', '你好', '早上好呀'],
  };
  const labels = Object.keys(templates);
  return Array.from({ length: n }, () => {
    const label = pick(labels);
    return { text: pick(templates[label]!).replace('{x}', pick(things)), label };
  });
}

describe('trainTextClassifier', () => {
  const train = generatedIntents(240, 'train');
  const test = generatedIntents(80, 'test');

  it('the CNN learns a generated intent task far above chance and ranks with calibrated confidences', async () => {
    const progress: number[] = [];
    const { classifier, report } = await trainTextClassifier(train, { architecture: 'cnn', seed: 't', budgetSeconds: 20, onProgress: (p) => progress.push(p.epoch) });
    expect(report.architecture).toBe('cnn');
    expect(report.candidates).toHaveLength(1);
    expect(progress.length).toBeGreaterThan(0);
    const pred = await classifier.classify(test.map((e) => e.text));
    const accuracy = pred.filter((p, i) => p === test[i]!.label).length / test.length;
    expect(accuracy).toBeGreaterThan(0.85); // chance is 0.25
    const ranking = await classifier.rank('我的手机订单到哪了');
    expect(ranking).toHaveLength(4);
    expect(ranking[0]!.name).toBe('order_status');
    expect(ranking.reduce((s, r) => s + r.confidence, 0)).toBeCloseTo(1, 4);
    expect(ranking[0]!.confidence).toBeGreaterThan(ranking[1]!.confidence);
    // Text without any feature (punctuation only) still gets a ranking, not NaN.
    const empty = await classifier.rank('?!');
    expect(empty.reduce((s, r) => s + r.confidence, 0)).toBeCloseTo(1, 4);

    // Save and load give the same model.
    const dir = mkdtempSync(join(tmpdir(), 'shopwise-classifier-'));
    await saveTextClassifier(classifier, dir, report);
    const loaded = await loadTextClassifier(dir);
    expect(loaded.labels).toEqual(classifier.labels);
    expect(await loaded.classify(test.map((e) => e.text))).toEqual(pred);
    const again = await loaded.rank('我的手机订单到哪了');
    expect(again[0]!.confidence).toBeCloseTo(ranking[0]!.confidence, 5);
    await expect(loadTextClassifier(join(dir, 'nothing'))).rejects.toMatchObject({ kind: 'not_found' });
  }, 60_000);

  it('auto trains both architectures and keeps the better on the held-out slice, or their average when it is as good', async () => {
    const { classifier, report } = await trainTextClassifier(train, { architecture: 'auto', seed: 'auto', budgetSeconds: 24, maxEpochs: 12 });
    expect(report.candidates.map((c) => c.architecture)).toEqual(['cnn', 'bigru-att', 'ensemble']);
    const [cnn, bigru, ensemble] = report.candidates.map((c) => c.heldOutAccuracy) as [number, number, number];
    expect(report.heldOutAccuracy).toBe(ensemble >= Math.max(cnn, bigru) ? ensemble : Math.max(cnn, bigru));
    expect(report.architecture).toBe(ensemble >= Math.max(cnn, bigru) ? 'ensemble' : cnn >= bigru ? 'cnn' : 'bigru-att');
    expect(classifier.architecture).toBe(report.architecture);
    const ranked = await classifier.rank('...');
    expect(ranked.reduce((sum, r) => sum + r.confidence, 0)).toBeCloseTo(1, 4);
    const pred = await classifier.classify(test.map((e) => e.text));
    expect(pred.filter((p, i) => p === test[i]!.label).length / test.length).toBeGreaterThan(0.7);
    // Both networks averaged, saved and loaded back: the same confidences.
    const both = new NeuralTextClassifier(classifier.members.length > 1 ? classifier.members : [...classifier.members, classifier.members[0]!], classifier.features, classifier.labelSet);
    expect(both.architecture).toBe('ensemble');
    const dir = mkdtempSync(join(tmpdir(), 'shopwise-ensemble-'));
    try {
      await saveTextClassifier(both, dir);
      const loaded = await loadTextClassifier(dir);
      expect(loaded.architecture).toBe('ensemble');
      for (const text of test.slice(0, 5).map((e) => e.text)) {
        const [a, b] = [await both.rank(text), await loaded.rank(text)];
        expect(b.map((r) => r.name)).toEqual(a.map((r) => r.name));
        b.forEach((r, i) => expect(r.confidence).toBeCloseTo(a[i]!.confidence, 5));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('rejects bad input with what and where', async () => {
    await expect(trainTextClassifier([{ text: 'a', label: 'x' }, { text: 'b', label: 'x' }])).rejects.toThrow(/at least 2 labels/);
    await expect(trainTextClassifier([{ text: ' ', label: 'x' }, { text: 'b', label: 'y' }])).rejects.toMatchObject({ kind: 'invalid', detail: { index: 0, field: 'text' } });
    await expect(trainTextClassifier(train, { architecture: 'rnn' as 'cnn' })).rejects.toThrow(/architecture must be/);
  });

  it('temperature scaling keeps the order and sums to 1', () => {
    const p = calibrate(Float32Array.of(0.7, 0.2, 0.1), 2);
    expect(p[0]).toBeGreaterThan(p[1]!);
    expect(p[0]).toBeLessThan(0.7);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
