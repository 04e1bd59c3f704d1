import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { OnnxExecutor } from '../onnx/onnx-executor.js';
import { TextCnn, type LabelledText, type TextCnnConfig } from './text-cnn.js';

const config: TextCnnConfig = { vocab: 60, embDim: 8, length: 10, widths: [2, 3], filters: 6, classes: 3, batchSize: 8 };

describe('TextCnn on the ONNX Runtime backend', () => {
  it('takes the same training steps and predictions as on the cpu backend', async () => {
    const rng = new SeededRandom('onnx-text-cnn');
    const data: LabelledText[] = Array.from({ length: 24 }, () => ({ ids: Array.from({ length: 3 + rng.int(8) }, () => 1 + rng.int(59)), label: rng.int(3) }));
    const cpu = new TextCnn(config, new SeededRandom('same'));
    const onnx = new TextCnn(config, new SeededRandom('same'), { executor: (g, outputs) => OnnxExecutor.create(g, outputs) });
    for (let step = 0; step < 3; step++) {
      const batch = data.slice(step * 8, step * 8 + 8);
      expect(await onnx.trainStep(batch)).toBeCloseTo(await cpu.trainStep(batch), 4);
    }
    for (const name of cpu.store.names()) {
      const a = cpu.store.get(name);
      const b = onnx.store.get(name);
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 3);
    }
    const [p, q] = [await cpu.predict(data[0]!.ids), await onnx.predict(data[0]!.ids)];
    p.forEach((v, i) => expect(q[i]).toBeCloseTo(v, 4));
  });
});
