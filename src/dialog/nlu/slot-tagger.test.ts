import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { slotF1 } from './slot-f1.js';
import { ParamStore } from '../../nn/layers/param-store.js';
import { loadSlotTagger, trainSlotTagger, type SlotTaggerOptions, type TaggedUtterance } from './slot-tagger.js';
import { parseTag } from './spans.js';

// A small bilingual shopping slot task generated from templates: English words, Chinese characters.
const EN = {
  color: ['red', 'blue', 'green', 'black', 'white', 'navy blue', 'dark green'],
  product: ['shirt', 'dress', 'jacket', 'running shoes', 'jeans', 'hoodie', 'rain coat'],
  brand: ['nike', 'adidas', 'zara', 'uniqlo', 'levis', 'puma', 'north face'],
  price: ['20', '35', '50', '100', '250'],
};
const ZH = { color: ['红色', '蓝色', '黑色', '白色', '绿色'], product: ['衬衫', '裤子', '鞋子', '外套', '连衣裙'], brand: ['耐克', '阿迪达斯', '优衣库', '李宁'] };
const EN_TEMPLATES = ['buy a {color} {product}', 'i want {brand} {product} under {price} dollars', 'show me {color} {product} from {brand}', 'do you have {product} by {brand}', 'find {color} {brand} {product} please', 'any {product} below {price}'];
const ZH_TEMPLATES = ['我想买{color}的{product}', '有没有{brand}的{product}', '给我看看{brand}{color}{product}', '推荐一款{product}'];

function fill(template: string, values: Record<string, string[]>, rng: SeededRandom, chars: boolean): TaggedUtterance {
  const tokens: string[] = [];
  const tags: string[] = [];
  for (const part of template.split(/(\{\w+\})/).filter((p) => p !== '')) {
    const slot = /^\{(\w+)\}$/.exec(part)?.[1];
    const words = slot ? (chars ? [...rng.pick(values[slot]!)] : rng.pick(values[slot]!).split(' ')) : chars ? [...part] : part.split(' ').filter((w) => w !== '');
    words.forEach((w, i) => {
      tokens.push(w);
      tags.push(slot ? `${i === 0 ? 'B' : 'I'}-${slot}` : 'O');
    });
  }
  return { tokens, tags };
}

function generate(n: number, seed: string): TaggedUtterance[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: n }, (_, i) => (i % 3 === 2 ? fill(rng.pick(ZH_TEMPLATES), ZH, rng, true) : fill(rng.pick(EN_TEMPLATES), EN, rng, false)));
}

const SMALL: SlotTaggerOptions = {
  seed: 'test',
  budgetSeconds: 20,
  epochs: 12,
  patience: 3,
  model: { wordDim: 24, featureDim: 16, featureBuckets: 1 << 12, hidden: 24, batchSize: 16, lr: 0.01 },
};

describe('trainSlotTagger', () => {
  it('learns a generated zh + en slot task to a high held-out F1, emits valid BIO and decodes inputs longer than its length', async () => {
    const train = generate(320, 'train');
    const test = generate(120, 'test');
    const progress: number[] = [];
    const { tagger, report } = await trainSlotTagger(train, { ...SMALL, onProgress: (p) => progress.push(p.heldOutF1 ?? -1) });
    expect(report.epochs).toBeGreaterThan(0);
    expect(progress.length).toBe(report.epochs);
    expect(report.heldOutF1).toBeGreaterThan(0.9);
    expect(new Set(tagger.tagNames)).toEqual(new Set(['O', 'B-color', 'I-color', 'B-product', 'I-product', 'B-brand', 'I-brand', 'B-price']));

    const predicted = await tagger.predictMany(test.map((u) => u.tokens));
    expect(slotF1(test.map((u) => u.tags), predicted).f1).toBeGreaterThan(0.9);
    const one = await tagger.predict(test[0]!.tokens);
    expect(one.tags).toEqual(predicted[0]);

    // Viterbi under the trained CRF (with BIO's forbidden transitions) keeps I-x after B-x or I-x only, even on scrambled input.
    const rng = new SeededRandom('scramble');
    const vocabulary = [...new Set(train.flatMap((u) => u.tokens))];
    for (let k = 0; k < 40; k++) {
      const tokens = Array.from({ length: 2 + rng.int(8) }, () => rng.pick(vocabulary));
      const { tags } = await tagger.predict(tokens);
      tags.forEach((tag, i) => {
        const { prefix, type } = parseTag(tag);
        if (prefix === 'I') expect(i > 0 && tags[i - 1] !== 'O' && parseTag(tags[i - 1]!).type === type).toBe(true);
      });
    }

    // Longer than the model's fixed length: decoded in chunks, one tag per token.
    const long = test.slice(0, 6);
    const tokens = long.flatMap((u) => u.tokens);
    expect(tokens.length).toBeGreaterThan(report.length);
    const { tags } = await tagger.predict(tokens);
    expect(tags.length).toBe(tokens.length);
    expect(slotF1([long.flatMap((u) => u.tags)], [tags]).f1).toBeGreaterThan(0.8);
    expect((await tagger.predictMany([tokens, []]))[0]).toEqual(tags);
    expect((await tagger.predict([])).tags).toEqual([]);

    // Saved and loaded, it decodes exactly as before; other files are refused.
    const loaded = await loadSlotTagger(tagger.save());
    expect(loaded.tagNames).toEqual(tagger.tagNames);
    expect(await loaded.predictMany(test.map((u) => u.tokens))).toEqual(predicted);
    expect((await loaded.predict(tokens)).tags).toEqual(tags);
    await expect(loadSlotTagger(new ParamStore().save({ kind: 'text-cnn' }))).rejects.toThrow(/not a shopwise-slot-tagger/);
  }, 60_000);

  it('rejects empty training sets and bad tags, naming the utterance', async () => {
    await expect(trainSlotTagger([])).rejects.toBeInstanceOf(AppError);
    await expect(trainSlotTagger([{ tokens: ['a', 'b'], tags: ['O'] }])).rejects.toMatchObject({ kind: 'invalid', detail: { index: 0 } });
    await expect(trainSlotTagger([{ tokens: ['a'], tags: ['O'] }, { tokens: ['b'], tags: ['S-x'] }])).rejects.toThrow(/utterance 1 .*BIOES/);
    await expect(trainSlotTagger([{ tokens: ['a'], tags: ['B_x'] }])).rejects.toThrow(/not a BIO tag/);
    await expect(trainSlotTagger([{ tokens: [], tags: [] }])).rejects.toThrow(/no tokens/);
  });
});
