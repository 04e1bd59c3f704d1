import { describe, expect, it } from 'vitest';
import { fixtureCatalog } from '../dialog-fixtures.js';
import { domainNluKey, trainDomainNlu, type ClassifierTrainer, type SlotTaggerTrainer } from './domain-nlu.js';
import type { TaggedUtterance } from './slot-tagger.js';

describe('trainDomainNlu', () => {
  it('trains intent and emotion classifiers that understand the shopping domain, and a slot tagger that catches typos of catalog names', async () => {
    const lines: string[] = [];
    const { pipeline, report, models } = await trainDomainNlu(fixtureCatalog(), { budgetSeconds: 4, perIntent: 60, seed: 'unit', slots: { epochs: 8, budgetSeconds: 10 }, log: (l) => lines.push(l) });
    expect(report.intents).toBe(13);
    expect(models.tagger).toBeDefined();
    expect(report.slots!.epochs).toBeGreaterThan(0);
    expect(report.slots!.heldOutF1).toBeGreaterThan(0.8);
    expect(lines.join('\n')).toMatch(/intent classifier[\s\S]*emotion classifier[\s\S]*slot tagger: \d+ epochs/);
    // The gazetteer does not know "Yunzih"; the tagger sees a brand there and the pipeline resolves it to Yunzhi.
    const typo = await pipeline.parse('我想要Yunzih的运动鞋');
    expect(typo.slots.map((s) => `${s.type}=${s.value}:${s.source}`)).toEqual(['brand=Yunzhi:model', 'category=运动鞋:gazetteer']);
    const cases: Array<[string, string]> = [
      ['我想买一双蓝色的运动鞋', 'search_product'], ['有没有300元以内的耳机', 'search_product'], ['第二个是什么材质的', 'ask_attribute'],
      ['把第一个加入购物车', 'add_to_cart'], ['where is my order', 'order_status'], ['i want a refund', 'return_refund'],
      ['show me red dresses under 300 yuan', 'search_product'], ['转人工', 'human_agent'],
    ];
    let right = 0;
    for (const [text, intent] of cases) if ((await pipeline.parse(text)).intent.name === intent) right++;
    expect(right).toBeGreaterThanOrEqual(cases.length - 1);
  }, 60_000);
});

describe('trainDomainNlu options', () => {
  const classifier: ClassifierTrainer = async () => ({ classifier: { labels: ['greeting'], architecture: 'cnn', rank: async () => [{ name: 'greeting', confidence: 1 }] } });

  it('trains the slot tagger on the generated entity spans after the classifiers, and none with slots: false', async () => {
    const order: string[] = [];
    const seen: TaggedUtterance[][] = [];
    const trainer: ClassifierTrainer = async (examples, o) => (order.push('classifier'), classifier(examples, o));
    const slotTrainer: SlotTaggerTrainer = async (train, o) => {
      order.push('slots');
      seen.push(train);
      expect(o).toMatchObject({ epochs: 3, budgetSeconds: 2, threads: 1 });
      return { tagger: { tagNames: ['O'], predict: async (t) => ({ tags: t.map(() => 'O') }), predictMany: async (s) => s.map((t) => t.map(() => 'O')), save: () => new Uint8Array(), knows: () => true } };
    };
    const { models } = await trainDomainNlu(fixtureCatalog(), { trainer, slotTrainer, perIntent: 10, slots: { epochs: 3, budgetSeconds: 2 } });
    expect(order).toEqual(['classifier', 'classifier', 'slots']);
    expect(models.tagger).toBeDefined();
    const tags = seen[0]!.flatMap((u) => u.tags);
    for (const type of ['category', 'brand', 'color']) expect(tags).toContain(`B-${type}`);
    const none = await trainDomainNlu(fixtureCatalog(), { trainer, slotTrainer, perIntent: 10, slots: false });
    expect(none.models.tagger).toBeUndefined();
    expect(order.filter((o) => o === 'slots')).toHaveLength(1);
  });

  it('keys the models by the catalog vocabulary, the training options and the shop\'s examples, not by threads', () => {
    const key = domainNluKey('v1', { perIntent: 10 }, []);
    expect(domainNluKey('v1', { perIntent: 10, threads: 2 }, [])).toEqual(key);
    expect(domainNluKey('v2', { perIntent: 10 }, []).vocabularyKey).not.toBe(key.vocabularyKey);
    for (const other of [{ perIntent: 11 }, { perIntent: 10, seed: 's' }, { perIntent: 10, slots: false as const }, { perIntent: 10, slots: { epochs: 3 } }]) {
      expect(domainNluKey('v1', other, []).training).not.toBe(key.training);
    }
    expect(domainNluKey('v1', { perIntent: 10 }, [{ text: 'hi', intent: 'greeting', entities: [] }]).training).not.toBe(key.training);
  });
});
