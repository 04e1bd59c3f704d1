import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Item } from '../../core/catalog.js';
import { CatalogCache } from '../catalog-cache.js';
import { fixtureCatalog, fixtureItem } from '../dialog-fixtures.js';
import type { ClassifierTrainer, SlotTaggerTrainer } from './domain-nlu.js';
import { trainSlotTagger } from './slot-tagger.js';
import { trainTextClassifier } from './text-classifier.js';
import { WorkspaceNlu, type WorkspaceNluOptions } from './workspace-nlu.js';

const stubClassifiers: ClassifierTrainer = async () => ({ classifier: { labels: ['search_product'], architecture: 'cnn', rank: async () => [{ name: 'search_product', confidence: 1 }] } });
const stubTagger: SlotTaggerTrainer = async () => ({
  tagger: { tagNames: ['O'], predict: async (t) => ({ tags: t.map(() => 'O') }), predictMany: async (s) => s.map((t) => t.map(() => 'O')), save: () => new Uint8Array(), knows: () => true },
});
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WorkspaceNlu', () => {
  it('trains once per workspace, answers with the new catalog at once and retrains in the background (debounced) when its vocabulary changes', async () => {
    let items: Item[] = fixtureCatalog();
    const store = { list: async () => ({ items }) };
    let now = 0;
    const catalogs = new CatalogCache(store, { refreshMs: 10, clock: () => now });
    const trained: number[] = [];
    const trainer: ClassifierTrainer = async (examples, o) => (trained.push(examples.length), stubClassifiers(examples, o));
    const taggers: number[] = [];
    const slotTrainer: SlotTaggerTrainer = async (train, o) => (taggers.push(train.length), stubTagger(train, o));
    const nlu = new WorkspaceNlu(catalogs, { trainer, slotTrainer, perIntent: 10, debounceMs: 30 });
    const [a, b] = await Promise.all([nlu.parser('w'), nlu.parser('w')]);
    expect(a).toBe(b);
    expect(trained).toHaveLength(2); // intent + emotion, once
    expect(taggers).toHaveLength(1);
    expect(nlu.status('w')).toMatchObject({ state: 'ready', source: 'trained', slotTagger: true, retraining: false });
    items = [...items, fixtureItem({ id: 'new', title: '新品 绿色帐篷', brand: 'Camper', categoryPath: ['户外', '帐篷'], price: 500 })];
    now = 100;
    await nlu.parser('w'); // stale: reloads in the background
    await tick(10);
    const withNew = await nlu.parser('w');
    expect((await withNew.parse('有帐篷吗')).slots.map((s) => s.value)).toContain('帐篷');
    expect(trained).toHaveLength(2);
    expect(nlu.status('w').retraining).toBe(true);
    await tick(80);
    expect(trained).toHaveLength(4);
    expect(taggers).toHaveLength(2);
    // A price change reloads the catalog but does not retrain.
    items = items.map((i, k) => (k === 0 ? { ...i, price: 1, updatedAt: 5 } : i));
    now = 200;
    await nlu.parser('w');
    await tick(80);
    expect((await catalogs.get('w')).items[0]!.price).toBe(1);
    expect(trained).toHaveLength(4);
    nlu.close();
  });

  it('says the catalog is empty instead of training on nothing', async () => {
    const nlu = new WorkspaceNlu(new CatalogCache({ list: async () => ({ items: [] }) }));
    await expect(nlu.parser('empty')).rejects.toThrow(/catalog of workspace empty is empty/);
    expect(nlu.status('empty').state).toBe('failed');
  });

  it('prepareAll trains in the background, skipping empty workspaces; a chat during the training waits for it and does not train again', async () => {
    const catalogs = new CatalogCache({ list: async (ws: string) => ({ items: ws === 'shop' ? fixtureCatalog() : [] }) });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const trainer: ClassifierTrainer = async (examples, o) => {
      calls++;
      await gate;
      return stubClassifiers(examples, o);
    };
    const lines: string[] = [];
    const nlu = new WorkspaceNlu(catalogs, { trainer, slotTrainer: stubTagger, perIntent: 10, log: (l) => lines.push(l) });
    const preparing = nlu.prepareAll(['empty', 'shop']);
    await tick(20);
    expect(lines[0]).toMatch(/^assistant NLU of empty: no items yet/);
    expect(nlu.status('shop').state).toBe('training');
    let answered = false;
    const chat = nlu.parser('shop').then((p) => ((answered = true), p));
    await tick(20);
    expect(answered).toBe(false);
    release();
    await preparing;
    expect(await chat).toBe(await nlu.parser('shop'));
    expect(calls).toBe(2);
    expect(lines.join('\n')).toMatch(/assistant NLU of shop: training on \d+ items[\s\S]*slot tagger[\s\S]*trained in/);
    nlu.close();
  });
});

describe('WorkspaceNlu with a model directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'shopwise-nlu-models-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let items: Item[] = fixtureCatalog();
  const catalogs = () => new CatalogCache({ list: async () => ({ items }) });
  // Small and quick, but the real networks and files.
  const counts = { classifiers: 0, taggers: 0 };
  const options = (lines: string[]): WorkspaceNluOptions => ({
    modelDir: root, perIntent: 8, maxEpochs: 1, budgetSeconds: 4, debounceMs: 10, log: (l) => lines.push(l),
    slots: { epochs: 2, budgetSeconds: 4, model: { hidden: 16, wordDim: 16, featureDim: 8, featureBuckets: 1 << 12 } },
    trainer: (examples, o) => (counts.classifiers++, trainTextClassifier(examples, o)),
    slotTrainer: (train, o) => (counts.taggers++, trainSlotTagger(train, o)),
  });
  const probes = ['我想买蓝色的运动鞋', 'show me Yunzih dresses', '第二个多少钱', 'thanks!'];
  const parseAll = async (nlu: WorkspaceNlu) => {
    const parser = await nlu.parser('w/1');
    return Promise.all(probes.map(async (t) => {
      const r = await parser.parse(t);
      return { intents: r.intentRanking.map((x) => [x.name, x.confidence.toFixed(5)]), slots: r.slots.map((s) => `${s.type}=${s.value}:${s.source}`), emotion: r.emotion };
    }));
  };

  it('saves what it trained; the next start loads it instead of training, and answers the same', async () => {
    const first: string[] = [];
    const trained = new WorkspaceNlu(catalogs(), options(first));
    await trained.prepareAll(['w/1']);
    expect(counts).toEqual({ classifiers: 2, taggers: 1 });
    expect(first.join('\n')).toMatch(/no saved models in .*w%2F1; training new ones[\s\S]*saved the models to /);
    expect(readdirSync(join(root, 'w%2F1')).sort()).toEqual(['emotion', 'intent', 'nlu.json', 'slots.bin']);
    const before = await parseAll(trained);
    trained.close();

    const second: string[] = [];
    const loaded = new WorkspaceNlu(catalogs(), options(second));
    expect(await loaded.prepare('w/1')).toMatchObject({ state: 'ready', source: 'loaded', slotTagger: true, retraining: false, report: { slots: { epochs: expect.any(Number) } } });
    expect(counts).toEqual({ classifiers: 2, taggers: 1 });
    expect(second.join('\n')).toMatch(/loaded the models saved .* in \d+\.\d s/);
    expect(await parseAll(loaded)).toEqual(before);
    loaded.close();
  }, 60_000);

  it('trains again, saying why, when the saved files are corrupt', async () => {
    writeFileSync(join(root, 'w%2F1', 'intent', 'weights.bin'), 'not weights');
    const lines: string[] = [];
    const nlu = new WorkspaceNlu(catalogs(), options(lines));
    await nlu.prepare('w/1');
    expect(counts).toEqual({ classifiers: 4, taggers: 2 });
    expect(lines.join('\n')).toMatch(/the saved models in .* cannot be used \(.*weights\.bin.*\); training new ones/);
    expect(nlu.status('w/1').source).toBe('trained');
    nlu.close();
  }, 60_000);

  it('serves models saved for another catalog vocabulary at once and retrains them in the background', async () => {
    items = [...items, fixtureItem({ id: 'tent', title: '绿色帐篷', brand: 'Camper', categoryPath: ['户外', '帐篷'], price: 500 })];
    const lines: string[] = [];
    const nlu = new WorkspaceNlu(catalogs(), options(lines));
    expect(await nlu.prepare('w/1')).toMatchObject({ source: 'loaded', retraining: true });
    expect(counts.classifiers).toBe(4);
    expect(lines.join('\n')).toMatch(/trained on another catalog vocabulary/);
    // The old models answer with the new catalog's gazetteer meanwhile.
    expect((await (await nlu.parser('w/1')).parse('有帐篷吗')).slots.map((s) => s.value)).toContain('帐篷');
    for (let i = 0; i < 300 && nlu.status('w/1').retraining; i++) await tick(50);
    expect(nlu.status('w/1')).toMatchObject({ state: 'ready', source: 'trained', retraining: false });
    expect(counts).toEqual({ classifiers: 6, taggers: 3 });
    nlu.close();
  }, 60_000);
});
