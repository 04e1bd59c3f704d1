import { describe, expect, it } from 'vitest';
import { catalogVocabulary } from '../domain/catalog-vocabulary.js';
import { fixtureCatalog } from '../dialog-fixtures.js';
import { Gazetteer } from './gazetteer.js';
import { detectLanguage, exactTable, mainLanguage, maskEntities, NluPipeline } from './nlu-pipeline.js';
import type { TextClassifier } from './text-classifier.js';

/** A classifier that answers from a fixed table of masked texts, recording what it was asked. */
function stub(answers: Record<string, string>, fallback: Array<{ name: string; confidence: number }>): TextClassifier & { seen: string[] } {
  const seen: string[] = [];
  return {
    labels: [], architecture: 'cnn', seen,
    async rank(text) {
      seen.push(text);
      const label = answers[text.replace(/\s+/gu, ' ').trim()];
      return label ? [{ name: label, confidence: 0.97 }, { name: 'other', confidence: 0.03 }] : fallback;
    },
  };
}

const gazetteer = Gazetteer.fromVocabulary(catalogVocabulary(fixtureCatalog()));

describe('NluPipeline', () => {
  it('detects the language by script', () => {
    expect(detectLanguage('有没有蓝色的')).toBe('zh');
    expect(detectLanguage('blue ones please, 42')).toBe('en');
    expect(detectLanguage('我想要 Nike 的 running shoes')).toBe('mixed');
    expect(mainLanguage('我想要 Nike 的 running shoes 300以内')).toBe('zh');
    expect(mainLanguage('show me 跑鞋')).toBe('en');
  });

  it('classifies the text with entities masked, and returns the slots', async () => {
    const intent = stub({ '有没有 qcolor 的 qcat': 'search_product' }, [{ name: 'out_of_scope', confidence: 0.5 }]);
    const emotion = stub({}, [{ name: 'neutral', confidence: 0.8 }]);
    const nlu = new NluPipeline({ gazetteer, intent, emotion });
    const r = await nlu.parse('有没有蓝色的连衣裙');
    expect(intent.seen[0]).toBe(maskEntities('有没有蓝色的连衣裙', r.slots));
    expect(r.intent).toEqual({ name: 'search_product', confidence: 0.97 });
    expect(r.outOfScope).toBe(false);
    expect(r.slots.map((s) => `${s.type}=${s.value}`)).toEqual(['color=blue', 'category=连衣裙']);
    expect(r.language).toBe('zh');
  });

  it('is out of scope under the threshold or for the out_of_scope class', async () => {
    const emotion = stub({}, [{ name: 'neutral', confidence: 0.8 }]);
    const unsure = new NluPipeline({ gazetteer, emotion, intent: stub({}, [{ name: 'refine', confidence: 0.3 }, { name: 'thanks', confidence: 0.2 }]) });
    expect((await unsure.parse('blah blah')).outOfScope).toBe(true);
    const chose = new NluPipeline({ gazetteer, emotion, intent: stub({}, [{ name: 'out_of_scope', confidence: 0.9 }]) });
    expect((await chose.parse('tell me a joke')).outOfScope).toBe(true);
  });

  it('lets exact training phrases, social cue words and strong emotion words decide when the model is unsure', async () => {
    const unsure = [{ name: 'refine', confidence: 0.3 }, { name: 'greeting', confidence: 0.2 }];
    const emotion = stub({}, [{ name: 'neutral', confidence: 0.6 }]);
    const nlu = new NluPipeline({ gazetteer, emotion, intent: stub({}, unsure), exact: exactTable([{ text: 'hello', label: 'greeting' }, { text: 'Hello!', label: 'greeting' }]) });
    expect((await nlu.parse('Hello!')).intent).toEqual({ name: 'greeting', confidence: 0.95 });
    expect((await nlu.parse('great, thanks a lot!')).intent.name).toBe('thanks');
    expect((await nlu.parse('i want to talk to a real person')).intent.name).toBe('human_agent');
    // A cue word in a request about products does not decide.
    expect((await nlu.parse('thanks, any blue dresses?')).intent.name).toBe('refine');
    expect((await nlu.parse('太差了，我要投诉')).emotion.label).toBe('angry');
    expect((await nlu.parse('有点失望')).emotion.label).toBe('negative');
  });

  it('lets the slot model fill only the gaps of the gazetteer and rules, with catalog values, and masks what it found', async () => {
    const intent = stub({ '我想要 qbrand 的 qcat ，unicorn': 'search_product' }, [{ name: 'out_of_scope', confidence: 0.5 }]);
    const emotion = stub({}, [{ name: 'neutral', confidence: 0.8 }]);
    const text = '我想要Yunzih的运动鞋，unicorn';
    const span = (type: string, raw: string) => {
      const start = text.indexOf(raw);
      return { type, value: raw, raw, start, end: start + raw.length, source: 'model' as const, confidence: 0.5 };
    };
    // A typo of a brand (kept, as Yunzhi), a span over the gazetteer's category (dropped), a brand the
    // catalog does not sell (dropped) and a type the catalog does not have (kept as it is).
    const slotModel = { slots: async () => [span('brand', 'Yunzih'), span('category', '的运动鞋'), span('brand', 'unicorn'), span('product', 'unicorn')] };
    const r = await new NluPipeline({ gazetteer, intent, emotion, slotModel }).parse(text);
    expect(r.slots.map((s) => [s.type, s.value, s.raw, s.source, s.confidence])).toEqual([
      ['brand', 'Yunzhi', 'Yunzih', 'model', 0.7], ['category', '运动鞋', '运动鞋', 'gazetteer', 1], ['product', 'unicorn', 'unicorn', 'model', 0.5],
    ]);
    expect(intent.seen[0]).toBe(maskEntities(text, r.slots));
    expect(r.intent.name).toBe('search_product');
  });
});
