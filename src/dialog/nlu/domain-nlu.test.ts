import { describe, expect, it } from 'vitest';
import type { Item } from '../../core/catalog.js';
import { CatalogCache } from '../catalog-cache.js';
import { fixtureCatalog, fixtureItem } from '../dialog-fixtures.js';
import { trainDomainNlu, type ClassifierTrainer, WorkspaceNlu } from './domain-nlu.js';

describe('trainDomainNlu', () => {
  it('trains intent and emotion classifiers that understand the shopping domain in a few seconds', async () => {
    const { pipeline, report } = await trainDomainNlu(fixtureCatalog(), { budgetSeconds: 4, perIntent: 60, seed: 'unit' });
    expect(report.intents).toBe(13);
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

describe('WorkspaceNlu', () => {
  it('trains once per workspace, answers with the new catalog at once and retrains in the background (debounced) when its vocabulary changes', async () => {
    let items: Item[] = fixtureCatalog();
    const store = { list: async () => ({ items }) };
    let now = 0;
    const catalogs = new CatalogCache(store, { refreshMs: 10, clock: () => now });
    const trained: number[] = [];
    const trainer: ClassifierTrainer = async (examples) => {
      trained.push(examples.length);
      return { classifier: { labels: ['search_product'], architecture: 'cnn', rank: async () => [{ name: 'search_product', confidence: 1 }] } };
    };
    const nlu = new WorkspaceNlu(catalogs, { trainer, perIntent: 10, debounceMs: 30 });
    const [a, b] = await Promise.all([nlu.parser('w'), nlu.parser('w')]);
    expect(a).toBe(b);
    expect(trained).toHaveLength(2); // intent + emotion, once
    items = [...items, fixtureItem({ id: 'new', title: '新品 绿色帐篷', brand: 'Camper', categoryPath: ['户外', '帐篷'], price: 500 })];
    now = 100;
    await nlu.parser('w'); // stale: reloads in the background
    await new Promise((resolve) => setTimeout(resolve, 10));
    const withNew = await nlu.parser('w');
    expect((await withNew.parse('有帐篷吗')).slots.map((s) => s.value)).toContain('帐篷');
    expect(trained).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(trained).toHaveLength(4);
    // A price change reloads the catalog but does not retrain.
    items = items.map((i, k) => (k === 0 ? { ...i, price: 1, updatedAt: 5 } : i));
    now = 200;
    await nlu.parser('w');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await catalogs.get('w')).items[0]!.price).toBe(1);
    expect(trained).toHaveLength(4);
    nlu.close();
  });

  it('says the catalog is empty instead of training on nothing', async () => {
    const nlu = new WorkspaceNlu(new CatalogCache({ list: async () => ({ items: [] }) }));
    await expect(nlu.parser('empty')).rejects.toThrow(/catalog of workspace empty is empty/);
  });
});
