import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../core/catalog.js';
import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { productPicture, writeDemoImages } from './demo-images.js';
import { encodeJpeg, type RgbImage } from './image-codec.js';
import { ImageFiles } from './image-files.js';
import { fixtureItems, memoryItems } from './photo.fixtures.js';
import { PhotoSearchService, type PhotoSearchServiceOptions } from './photo-search-service.js';

const dir = mkdtempSync(join(tmpdir(), 'shopwise-photo-search-'));
const files = new ImageFiles(dir);
const catalog: Item[] = fixtureItems(24);
const options: PhotoSearchServiceOptions = {
  items: memoryItems(catalog), files, modelDir: join(dir, 'models'), backend: 'onnx', size: 16,
  model: { channels: [8, 16], embedDim: 32, batchSize: 16 }, minPerClass: 5, budgetSeconds: 20, maxEpochs: 40, refreshMs: 0,
};
let service: PhotoSearchService;

/** Another photo of the item (new placement, backdrop, noise) sent as a JPEG, with extra noise. */
function queryPhoto(item: Item, shot: string): Uint8Array {
  const image: RgbImage = productPicture(item, { shot });
  const rng = new SeededRandom(shot);
  for (let i = 0; i < image.data.length; i++) image.data[i] = Math.max(0, Math.min(255, image.data[i]! + Math.round(rng.normal(0, 8))));
  return encodeJpeg(image, 80);
}

beforeAll(() => {
  writeDemoImages(files, 'shop', catalog);
  service = new PhotoSearchService(options);
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PhotoSearchService', () => {
  it('answers unavailable until trained (starting the training), and invalid for bytes that are no picture', async () => {
    await expect(service.search('shop', new TextEncoder().encode('not an image'), 5)).rejects.toMatchObject({ kind: 'invalid' });
    const error = await service.search('shop', queryPhoto(catalog[0]!, 'q'), 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('unavailable');
    expect(service.status('shop').state).toBe('training');
    const status = await service.prepare('shop');
    expect(status).toMatchObject({ state: 'ready', items: 96, level: 3, classes: 4, colours: 3 });
    expect(status.training!.steps).toBeGreaterThan(0);
  }, 60_000);

  it('finds items of the category and colour of a noisy photo and classifies it', async () => {
    const queries = catalog.filter((_, i) => i % 4 === 0); // 24 products, 6 of each category
    let sameKind = 0;
    let rightCategory = 0;
    for (const item of queries) {
      const { matches, category } = await service.lookup('shop', queryPhoto(item, `query-${item.id}`), 5);
      expect(matches).toHaveLength(5);
      expect(matches[0]!.score).toBeGreaterThanOrEqual(matches[4]!.score);
      const top = catalog.find((c) => c.id === matches[0]!.itemId)!;
      if (top.categoryPath[2] === item.categoryPath[2] && top.attributes.colorEn === item.attributes.colorEn) sameKind++;
      if (category.categoryPath.join('/') === item.categoryPath.join('/')) rightCategory++;
      expect(category.confidence).toBeGreaterThan(0);
    }
    expect(sameKind / queries.length).toBeGreaterThan(0.6); // chance: 1/12
    expect(rightCategory / queries.length).toBeGreaterThan(0.7); // chance: 1/4
    expect((await service.classify('shop', queryPhoto(catalog[0]!, 'c'))).categoryPath).toHaveLength(3);
  });

  it('similar items by picture never include the item itself; unknown items are not found', async () => {
    const item = catalog[5]!;
    const similar = await service.similar('shop', item.id, 5);
    expect(similar.map((s) => s.itemId)).not.toContain(item.id);
    const same = similar.filter((s) => catalog.find((c) => c.id === s.itemId)!.categoryPath[2] === item.categoryPath[2]).length;
    expect(same).toBeGreaterThanOrEqual(3);
    await expect(service.similar('shop', 'nope', 5)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(service.similar('shop', item.id, 0)).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('embeds a few new pictures with the current model and drops deleted items', async () => {
    const trainedAt = service.status('shop').trainedAt;
    const added = fixtureItems(1, 'shop', 'new');
    writeDemoImages(files, 'shop', added);
    catalog.push(...added);
    const removed = catalog.splice(0, 1)[0]!;
    const status = await service.refresh('shop');
    expect(status.items).toBe(96 + 4 - 1);
    expect(status.trainedAt).toBe(trainedAt);
    const similar = await service.similar('shop', added[0]!.id, 3);
    expect(similar).toHaveLength(3);
    await expect(service.similar('shop', removed.id, 3)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('a new service loads the saved model instead of training again', async () => {
    const again = new PhotoSearchService(options);
    try {
      const status = await again.prepare('shop');
      expect(status.state).toBe('ready');
      expect(status.training).toBeUndefined(); // loaded, not trained
      expect(status.items).toBe(catalog.length);
      const matches = await again.search('shop', queryPhoto(catalog[3]!, 'reload'), 3);
      expect(matches).toHaveLength(3);
    } finally {
      await again.close();
    }
  });

  it('close() stops a training in progress (its worker thread stops at the next batch)', async () => {
    const other = new PhotoSearchService({ ...options, modelDir: undefined, budgetSeconds: 600, maxEpochs: 1000 });
    const training = other.prepare('shop');
    const rejected = expect(training).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/cancelled/) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(other.status('shop').state).toBe('training');
    await other.close();
    await rejected;
  });

  it('a workspace without enough pictures says why', async () => {
    await expect(service.prepare('empty')).rejects.toThrow(/at least 20 item pictures; workspace empty has 0/);
  });
});
