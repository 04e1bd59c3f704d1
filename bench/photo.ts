// Photo search on the demo catalog: draws every item's product picture (as `shopwise demo` does), trains
// the image CNN of PhotoSearchService on them (onnx backend, time budget, early stopping on a 10% holdout
// of the items), then queries it with other photos of catalog items: a new shot (placement, backdrop,
// light, noise) sent as a JPEG (quality 75) with extra noise.
//   node bin/run-ts.js bench/photo.ts [--items 3000] [--seed 42] [--queries 500] [--budget 60] [--backend onnx|cpu]
// Prints: seconds to draw the pictures and to train, the held-out category accuracy (items the CNN never
// saw), and for the perturbed queries: classification accuracy, top-1 = the item itself, top-1 of the same
// category (the classifier's level) and the same category and colour, the share of the top 5 (the item
// itself left out) in its category, and search latency p50 / p99 (decode + CNN + cosine over the catalog).
// Figures only, no assertions on time (DESIGN.md, bench/).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { productPicture, writeDemoImages, colourName } from '../src/dialog/photo/demo-images.js';
import { encodeJpeg } from '../src/dialog/photo/image-codec.js';
import { ImageFiles } from '../src/dialog/photo/image-files.js';
import { PhotoSearchService } from '../src/dialog/photo/photo-search-service.js';
import { SeededRandom } from '../src/math/random.js';
import { generateCatalog } from '../src/simulate/catalog.js';
import { DEFAULT_SHOP_END } from '../src/simulate/shop.js';
import { openStorage } from '../src/storage/open-storage.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '42' },
    days: { type: 'string', default: '30' },
    queries: { type: 'string', default: '500' },
    budget: { type: 'string', default: '60' },
    backend: { type: 'string', default: 'onnx' },
  },
});
const backend = values.backend === 'cpu' ? 'cpu' : 'onnx';
const count = Number(values.items);
const days = Number(values.days);
const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

// The demo shop's catalog: generateShop draws it from the same fork of the same seed.
const catalog = generateCatalog(new SeededRandom(Number(values.seed)).fork('catalog'), count, DEFAULT_SHOP_END - days * 86_400_000, days);
const dir = mkdtempSync(join(tmpdir(), 'shopwise-bench-photo-'));
const storage = await openStorage(`sqlite:${join(dir, 'bench.db')}`);
const files = new ImageFiles(dir);
const ws = 'demo';
try {
  let t = performance.now();
  const { items } = writeDemoImages(files, ws, catalog.items);
  console.log(`${count} demo items: pictures drawn and stored as PNG in ${seconds(t)} s`);
  await storage.items.upsert(ws, items, Date.now());

  const service = new PhotoSearchService({ items: storage.items, files, backend, budgetSeconds: Number(values.budget), log: (m) => console.log(`  ${m}`) });
  t = performance.now();
  // How long the event loop is blocked while training runs in its worker thread (requests wait that long).
  let worstGap = 0;
  let lastTick = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - lastTick);
    lastTick = now;
  }, 5);
  const status = await service.prepare(ws);
  clearInterval(ticker);
  const report = status.training!;
  console.log(`trained in ${report.trainSeconds} s (${report.epochs} epochs, ${report.steps} steps, ${report.msPerStep} ms/step, stopped: ${report.stopped}); ready after ${seconds(t)} s including reading the pictures and embedding the catalog`);
  console.log(`classes: ${status.classes} categories at level ${status.level}, ${status.colours} colours`);
  console.log(`event loop during training and embedding: longest gap between 5 ms ticks ${worstGap.toFixed(0)} ms`);
  console.log(`held-out items (${report.heldOut}, never trained on): category accuracy ${percent(report.heldOutAccuracy ?? 0)}, colour accuracy ${report.heldOutColourAccuracy === undefined ? 'n/a' : percent(report.heldOutColourAccuracy)}`);

  const rng = new SeededRandom('bench-photo-queries');
  const queries = rng.sampleWithoutReplacement(catalog.items, Math.min(Number(values.queries), count));
  const byId = new Map(catalog.items.map((i) => [i.id, i]));
  const level = status.level!;
  const sameCategory = (a: string, b: string) => byId.get(a)!.categoryPath!.slice(0, level).join('/') === byId.get(b)!.categoryPath!.slice(0, level).join('/');
  const latencies: number[] = [];
  let itself = 0, top1Category = 0, top1Kind = 0, top5Category = 0, classified = 0;
  for (const [k, item] of queries.entries()) {
    const image = productPicture(item, { shot: `query-${k}` });
    for (let i = 0; i < image.data.length; i++) image.data[i] = Math.max(0, Math.min(255, image.data[i]! + Math.round(rng.normal(0, 8))));
    const bytes = encodeJpeg(image, 75);
    const started = performance.now();
    const { matches, category } = await service.lookup(ws, bytes, 6);
    latencies.push(performance.now() - started);
    const top = matches[0]!.itemId;
    if (top === item.id) itself++;
    if (sameCategory(top, item.id)) top1Category++;
    if (sameCategory(top, item.id) && colourName(byId.get(top)!) === colourName(item)) top1Kind++;
    const others = matches.filter((m) => m.itemId !== item.id).slice(0, 5);
    top5Category += others.filter((m) => sameCategory(m.itemId, item.id)).length / others.length;
    if (category.categoryPath.join('/') === item.categoryPath!.slice(0, level).join('/')) classified++;
  }
  const n = queries.length;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(n - 1, Math.floor(p * n))]!.toFixed(2);
  console.log(`${n} perturbed query photos (new shot, JPEG q75, noise σ 8):`);
  console.log(`  classified into the right category: ${percent(classified / n)}`);
  console.log(`  top-1 is the item itself: ${percent(itself / n)}; top-1 same category: ${percent(top1Category / n)}; top-1 same category and colour: ${percent(top1Kind / n)}`);
  console.log(`  top-5 (the item itself left out) in the same category: ${percent(top5Category / n)}`);
  console.log(`  search latency (decode + CNN + cosine over ${status.items} items): p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
  await service.close();
} finally {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
}
