// Recommender benchmark (prints figures; never asserts on time):
//   node bin/run-ts.js bench/recommend.ts [--data FILE] [--calls 10000] [--concurrency 8] [--skip-peer]
// 1. Fit seconds of SVD, ALS, BPR, EASE and SASRec (and every other registered model) with their
//    default parameters on the Amazon Musical Instruments 5-core reviews (../shared/datasets).
// 2. p50 / p99 ms of GET /v1/recommend/:userId (and /v1/items/:id/similar) over `--calls` requests
//    against the real server in process, after importing the same file and training the default model.
// 3. ALS and BPR seconds per epoch next to ../shared/peers/torch_mf.py on the same split, as a ratio,
//    on the Amazon ratings and an ML-100K-size file (bench/recommend/mf-peer.ts, run as a child process).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importFile } from '../src/ingest/importers/import-file.js';
import { SeededRandom } from '../src/math/random.js';
import { WorkerPool } from '../src/math/worker-pool.js';
import { loadInteractionsFile } from '../src/recommend/data/load-file.js';
import { MODELS } from '../src/recommend/registry.js';
import { TrainingData } from '../src/recommend/training-data.js';
import { startTestServer } from '../test/helpers/test-server.js';
import { RUN_TS_BIN } from '../test/crash/server-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(root, '../shared/datasets/recsys/amazon-musical-instruments-5core.json') },
    calls: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '8' },
    'skip-peer': { type: 'boolean', default: false },
  },
});
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const NAMED = ['svd', 'als', 'bpr', 'ease', 'sasrec'];

async function fitSeconds(): Promise<void> {
  const { data } = await loadInteractionsFile(values.data, { format: 'amazon' });
  const train = new TrainingData(data);
  console.log(`\n## Fit seconds, default parameters, ${data.users.size} users × ${data.items.size} items, ${data.user.length} ratings (${values.data.split('/').pop()})\n`);
  console.log('| model | fit s | epochs |');
  console.log('|---|---|---|');
  const pool = new WorkerPool();
  const order = [...NAMED, ...MODELS.map((m) => m.name).filter((n) => !NAMED.includes(n))];
  for (const name of order) {
    const entry = MODELS.find((m) => m.name === name);
    if (!entry) continue;
    const model = entry.create();
    const report = await model.fit(train, { rng: new SeededRandom(1), pool });
    console.log(`| ${NAMED.includes(name) ? `**${name}**` : name} | ${report.seconds.toFixed(2)} | ${report.epochs ?? '–'} |`);
  }
  await pool.close();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function endpointLatency(): Promise<void> {
  const server = await startTestServer();
  try {
    const ws = server.services.config.defaultWorkspace;
    const imported = await importFile({ format: 'amazon', file: values.data, workspaceId: ws, ingest: server.services.ingest, items: server.services.storage.items });
    const model = server.services.config.recommendModel;
    const started = performance.now();
    const job = await server.call('POST', '/v1/models/train', { model });
    if (job.status !== 202) throw new Error(`training did not start: ${JSON.stringify(job.body)}`);
    let status = job.body;
    while (status.status === 'queued' || status.status === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      status = (await server.call('GET', `/v1/models/jobs/${job.body.id}`)).body;
    }
    if (status.status !== 'succeeded') throw new Error(`training ${status.status}: ${JSON.stringify(status.error)}`);
    console.log(`\n## Endpoint latency (${imported.imported} events imported; model ${model} trained through the API in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    const { data } = await loadInteractionsFile(values.data, { format: 'amazon' });
    const users = data.users.ids();
    const items = data.items.ids();
    const rng = new SeededRandom(7);
    console.log(`| endpoint | calls | concurrency | p50 ms | p99 ms | req/s |`);
    console.log('|---|---|---|---|---|---|');
    for (const [name, path] of [
      ['GET /v1/recommend/:userId?n=10', () => `/v1/recommend/${encodeURIComponent(users[rng.int(users.length)]!)}?n=10`],
      ['GET /v1/items/:id/similar?n=10', () => `/v1/items/${encodeURIComponent(items[rng.int(items.length)]!)}/similar?n=10`],
    ] as const) {
      const latencies: number[] = [];
      let failures = 0;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < calls) {
          next++;
          const url = server.url + path();
          const t = performance.now();
          const response = await fetch(url, { headers: { authorization: `Bearer ${server.adminKey}` } });
          await response.arrayBuffer();
          latencies.push(performance.now() - t);
          if (response.status !== 200) failures++;
        }
      }));
      const seconds = (performance.now() - t0) / 1000;
      latencies.sort((a, b) => a - b);
      console.log(`| ${name} | ${latencies.length} | ${concurrency} | ${percentile(latencies, 0.5).toFixed(2)} | ${percentile(latencies, 0.99).toFixed(2)} | ${(latencies.length / seconds).toFixed(0)} |${failures ? ` ${failures} non-200` : ''}`);
    }
  } finally {
    await server.close();
  }
}

async function peer(): Promise<void> {
  console.log('\n## ALS and BPR against PyTorch (bench/recommend/mf-peer.ts)\n');
  await new Promise<void>((resolvePeer) => {
    const child = spawn(process.execPath, [RUN_TS_BIN, resolve(root, 'bench/recommend/mf-peer.ts'), '--data', 'both'], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', () => resolvePeer());
  });
}

await fitSeconds();
await endpointLatency();
if (!values['skip-peer']) await peer();
