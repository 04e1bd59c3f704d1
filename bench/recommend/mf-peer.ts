// Matrix factorisation against the PyTorch peer (../shared/peers/torch_mf.py) on the same ratings file
// and the same seeded 80/20 split:
//   node bin/run-ts.js bench/recommend/mf-peer.ts [--data amazon|ml100k|both|FILE] [--factors 64]
//        [--epochs 10] [--bpr-epochs 5] [--rounds 3] [--torch-threads 2,1] [--skip-torch]
// amazon: the Musical Instruments 5-core reviews (10k ratings); ml100k: a generated MovieLens-format
// fixture of ML-100K's size (943 × 1682, ~100k ratings), the size of the CEO's peer figures; FILE: any
// `user TAB item TAB rating` file. Ours: explicit ALS with the peer's settings (λ = 0.1 times the row's
// ratings, no biases, same factors and epochs) over the worker pool and on one thread, and BPR (same
// factors and epochs, per-row Adagrad, regularisation matching the peer's 1e-4·‖·‖² term). Seconds per
// epoch exclude data preparation and thread start-up on both sides (the peer times its epoch loop only).
// Rounds alternate ours and the peer; the table shows medians against torch at each thread count (on
// this shared 2-core machine torch's 2 OpenMP threads can be much slower than 1 when the other core is
// busy) and the best run of each side. Prints figures, never asserts on time.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SeededRandom } from '../../src/math/random.js';
import { WorkerPool } from '../../src/math/worker-pool.js';
import { InteractionsBuilder, subset } from '../../src/recommend/interactions.js';
import { ALS } from '../../src/recommend/models/als.js';
import { BPR } from '../../src/recommend/models/bpr.js';
import type { Recommender } from '../../src/recommend/recommender.js';
import { TrainingData } from '../../src/recommend/training-data.js';
import { amazonRatingsFile, movielensSizedFile, peerShuffle, PYTHON, readRatings } from './ratings-file.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'amazon' },
    factors: { type: 'string', default: '64' },
    epochs: { type: 'string', default: '10' },
    'bpr-epochs': { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    'torch-threads': { type: 'string', default: '2,1' },
    'skip-torch': { type: 'boolean', default: false },
  },
});
const factors = Number(values.factors);
const epochs = Number(values.epochs);
const bprEpochs = Number(values['bpr-epochs']);
const rounds = Math.max(1, Number(values.rounds));
const torchThreads = values['torch-threads'].split(',').map(Number).filter((t) => Number.isInteger(t) && t >= 1);
const root = fileURLToPath(new URL('../..', import.meta.url));
const peerScript = resolve(root, '../shared/peers/torch_mf.py');
const amazonSource = resolve(root, '../shared/datasets/recsys/amazon-musical-instruments-5core.json');
const log = (s: string) => console.log(`  … ${s}`);

interface PeerFigures { threads: number; als?: number; alsRmse?: number; bpr?: number; error?: string }
interface OurFigures { als: number; als1: number; alsRmse: number; bpr: number; bprAuc: number }

/** The peer's JSON lines (its BPR epochs are fixed at 5 in the script). */
async function runPeer(file: string, threads: number): Promise<PeerFigures> {
  if (values['skip-torch']) return { threads, error: 'skipped (--skip-torch)' };
  if (!existsSync(PYTHON)) return { threads, error: `${PYTHON} not found (apt-get install -y python3 python3-torch)` };
  if (!existsSync(peerScript)) return { threads, error: `peer script ${peerScript} not found` };
  const child = spawn(PYTHON, [peerScript, file, '--factors', String(factors), '--epochs', String(epochs), '--threads', String(threads)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) return { threads, error: `peer exited with ${code}: ${err.trim().split('\n').pop() ?? ''}` };
  const figures: PeerFigures = { threads };
  for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
    const f = JSON.parse(line) as { model: string; seconds_per_epoch: number; test_rmse?: number };
    if (f.model === 'als-explicit') Object.assign(figures, { als: f.seconds_per_epoch, alsRmse: f.test_rmse });
    if (f.model === 'bpr-adam') figures.bpr = f.seconds_per_epoch;
  }
  return figures;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Mean over test pairs of the share of items the user never rated in training that the pair's item outranks. */
function testAuc(model: Recommender, train: TrainingData, test: { user: number; item: number }[]): number {
  const byUser = new Map<number, number[]>();
  for (const t of test) byUser.set(t.user, [...(byUser.get(t.user) ?? []), t.item]);
  const out = new Float32Array(train.numItems);
  let total = 0;
  let pairs = 0;
  for (const [u, items] of byUser) {
    void model.score(train.query(u), out);
    const seen = train.seen(u);
    for (const i of items) {
      if (seen.has(i)) continue;
      let wins = 0;
      let n = 0;
      for (let j = 0; j < train.numItems; j++) {
        if (j === i || seen.has(j)) continue;
        n++;
        wins += out[i]! > out[j]! ? 1 : out[i] === out[j] ? 0.5 : 0;
      }
      total += wins / n;
      pairs++;
    }
  }
  return total / pairs;
}

async function runOurs(file: string, pool: WorkerPool): Promise<OurFigures> {
  const rows = readRatings(file);
  const builder = new InteractionsBuilder({ explicit: true });
  for (const r of rows) builder.push(r.user, r.item, r.rating, r.time);
  const all = builder.build();
  const { order } = peerShuffle(rows.length);
  const cut = Math.floor(rows.length * 0.8);
  const train = new TrainingData(subset(all, order.subarray(0, cut)));
  const test = Array.from(order.subarray(cut), (r) => ({ user: all.user[r]!, item: all.item[r]!, rating: all.value[r]! }));
  const alsParams = { factors, epochs, reg: 0.1, biases: false };
  const als = ALS.create(alsParams);
  const pooled = await als.fit(train, { rng: new SeededRandom(1), pool });
  let sse = 0;
  for (const t of test) sse += (als.predict!(t.user, t.item) - t.rating) ** 2;
  const inline = await ALS.create(alsParams).fit(train, { rng: new SeededRandom(1) });
  const bpr = BPR.create({ factors, epochs: bprEpochs, reg: 2e-4 });
  const bprReport = await bpr.fit(train, { rng: new SeededRandom(1) });
  return {
    als: mean(pooled.epochSeconds as number[]), als1: mean(inline.epochSeconds as number[]), alsRmse: Math.sqrt(sse / test.length),
    bpr: mean(bprReport.epochSeconds as number[]), bprAuc: testAuc(bpr, train, test),
  };
}

async function bench(name: string, file: string, pool: WorkerPool): Promise<string[][]> {
  const rows = readRatings(file);
  const users = new Set(rows.map((r) => r.user)).size;
  const items = new Set(rows.map((r) => r.item)).size;
  const split = peerShuffle(rows.length);
  log(`${name}: ${rows.length} ratings, ${users} users × ${items} items; split ${split.exact ? "= the peer's (Python's shuffle)" : 'seeded by us (no Python)'}`);
  const ours: OurFigures[] = [];
  const peers: PeerFigures[] = [];
  for (let round = 1; round <= rounds; round++) {
    const o = await runOurs(file, pool);
    ours.push(o);
    const ps: PeerFigures[] = [];
    for (const threads of torchThreads) ps.push(await runPeer(file, threads));
    peers.push(...ps);
    const peerText = ps.map((p) => `${p.threads}t ${p.error ?? `ALS ${p.als} BPR ${p.bpr}`}`).join('; ');
    log(`round ${round}: ours ALS ${o.als.toFixed(3)} s/epoch (1 thread ${o.als1.toFixed(3)}), BPR ${o.bpr.toFixed(3)}; torch ${peerText}`);
  }
  // Ours: the median and the best round. The peer: the median per thread count, and its best run of all.
  const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
  const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '—');
  const row = (model: string, mine: (o: OurFigures) => number, theirs: (p: PeerFigures) => number | undefined, quality: string[]) => {
    const med = median(ours.map(mine));
    const best = Math.min(...ours.map(mine));
    const byThreads = torchThreads.map((t) => median(peers.filter((p) => p.threads === t).map((p) => theirs(p) ?? NaN)));
    const peerBest = Math.min(...peers.map((p) => theirs(p) ?? Infinity));
    return [name, model, fmt(med), ...byThreads.map((v) => fmt(v)), ...byThreads.map((v) => ratio(med, v)), fmt(best), fmt(peerBest), ratio(best, peerBest), ...quality];
  };
  const alsQuality = [fmt(median(ours.map((o) => o.alsRmse)), 4), fmt(median(peers.map((p) => p.alsRmse ?? NaN)), 4), '—'];
  return [
    row(`als explicit (pool ${pool.size})`, (o) => o.als, (p) => p.als, alsQuality),
    row('als explicit (1 thread)', (o) => o.als1, (p) => p.als, alsQuality),
    row('bpr (1 thread)', (o) => o.bpr, (p) => p.bpr, ['—', '—', fmt(median(ours.map((o) => o.bprAuc)), 3)]),
  ];
}

function printTable(body: string[][]): void {
  const header = [
    'data', 'model', 'ours s/epoch', ...torchThreads.map((t) => `torch ${t}t`), ...torchThreads.map((t) => `ours/${t}t (≤1)`),
    'ours best', 'torch best', 'best/best', 'ours RMSE', 'torch RMSE', 'ours AUC',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('');
  console.log(line(header));
  for (const b of body) console.log(line(b));
  console.log(`s/epoch: medians of ${rounds} round(s), ours and the peer alternating (torch with ${torchThreads.join(' and ')} threads);`);
  console.log('best: the fastest run of each side. RMSE on the peer\'s 20% test split; AUC: test items against items the user never rated.');
  console.log(`factors ${factors}, ALS ${epochs} epochs (λ 0.1·n, no biases, both sides), BPR ${bprEpochs} epochs (ours per-row Adagrad; the peer minibatch Adam, batch 1024, 5 epochs).`);
  console.log('Quote ratios, not absolute times: the machine is shared and noisy.');
}

const dir = mkdtempSync(join(tmpdir(), 'shopwise-mf-peer-'));
const pool = new WorkerPool();
try {
  const choice = values.data;
  const files: [string, string][] = [];
  if (choice === 'amazon' || choice === 'both') files.push(['amazon', amazonRatingsFile(amazonSource, dir)]);
  if (choice === 'ml100k' || choice === 'both') files.push(['ml100k-sized', movielensSizedFile(dir)]);
  if (files.length === 0) files.push([choice, resolve(choice)]);
  const body: string[][] = [];
  for (const [name, file] of files) body.push(...(await bench(name, file, pool)));
  printTable(body);
} finally {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
}
