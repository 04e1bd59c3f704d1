// math/ kernels benchmark: matmul GFLOP/s next to a naive triple loop (and numpy when /usr/bin/python3
// has it), Cholesky solves for ALS-sized systems, the EASE-sized SPD inverse, top-k, the sparse
// item–item product and the worker-pool speed-up, all in one run.
//   node bin/run-ts.js bench/math.ts [--sizes 256,512,1024] [--seconds 1]
// Prints figures and ratios, never asserts on time (DESIGN.md, bench/). The machine is shared and
// noisy: every figure is the best of several repetitions, and the ratios are what to quote.
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { cholesky, invertSpd, solveSpd } from '../src/math/linalg.js';
import { matmul } from '../src/math/matmul.js';
import { MATMUL_ROWS, parallelMatmul } from '../src/math/parallel-matmul.js';
import { AliasTable, SeededRandom } from '../src/math/random.js';
import { sharedFloat32 } from '../src/math/shared-arrays.js';
import { csrMulTransposed } from '../src/math/sparse-product.js';
import { csrFromCoo } from '../src/math/sparse.js';
import { topK } from '../src/math/topk.js';
import { WorkerPool } from '../src/math/worker-pool.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '256,512,1024' }, seconds: { type: 'string', default: '1' } } });
const SIZES = values.sizes.split(',').map(Number);
const BUDGET_MS = Number(values.seconds) * 1000;
const rng = new SeededRandom('bench-math');

/** Best time (ms) of `fn` over at least `minRuns` runs and BUDGET_MS, after one warm-up run (unless minRuns is 1). */
function best(fn: () => void, budgetMs = BUDGET_MS, minRuns = 3): number {
  if (minRuns > 1) fn();
  let bestMs = Infinity;
  const start = performance.now();
  for (let runs = 0; runs < minRuns || performance.now() - start < budgetMs; runs++) {
    const t = performance.now();
    fn();
    bestMs = Math.min(bestMs, performance.now() - t);
  }
  return bestMs;
}

const gflops = (n: number, ms: number) => (2 * n * n * n) / (ms * 1e6);
const fmt = (x: number, digits = 2) => x.toFixed(digits);
const randomF32 = (n: number) => Float32Array.from({ length: n }, () => rng.range(-1, 1));

/** The textbook i-j-p loop (B read down its columns), as anyone would first write it. */
function naiveMatmul(a: Float32Array, b: Float32Array, c: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a[i * n + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
}

/** Textbook Cholesky (column by column, one dot product per entry) and substitutions: the ALS baseline. */
function naiveSolveSpd(a: Float64Array, b: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let p = 0; p < j; p++) d -= a[j * n + p]! * a[j * n + p]!;
    a[j * n + j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let p = 0; p < j; p++) s -= a[i * n + p]! * a[j * n + p]!;
      a[i * n + j] = s / a[j * n + j]!;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let p = 0; p < i; p++) s -= a[i * n + p]! * b[p]!;
    b[i] = s / a[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let p = i + 1; p < n; p++) s -= a[p * n + i]! * b[p]!;
    b[i] = s / a[i * n + i]!;
  }
}

/** numpy's float32 matmul GFLOP/s for the same sizes, or why it is not there. */
function numpyPeer(sizes: number[]): { rates: Map<string, number>; note: string } | string {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error) return `numpy peer skipped: /usr/bin/python3 did not run (${probe.error.message})`;
  if (probe.status !== 0) return 'numpy peer skipped: /usr/bin/python3 cannot import numpy (nothing is installed by this benchmark)';
  const script = `
import numpy as np, time, os
print('about', np.__version__, os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3'))
for n in [${sizes.join(',')}]:
    a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
    for name, f in [('plain', lambda: a @ b), ('transB', lambda: a @ b.T), ('transA', lambda: a.T @ b)]:
        f(); best = 1e9; start = time.perf_counter(); runs = 0
        while runs < 3 or time.perf_counter() - start < ${BUDGET_MS / 1000}:
            t = time.perf_counter(); f(); best = min(best, time.perf_counter() - t); runs += 1
        print(n, name, 2 * n ** 3 / best / 1e9)
`;
  const run = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  if (run.status !== 0) return `numpy peer failed: ${run.stderr.trim().split('\n').pop()}`;
  const rates = new Map<string, number>();
  let note = '';
  for (const line of run.stdout.trim().split('\n')) {
    const [n, name, g] = line.split(' ');
    if (n === 'about') note = `numpy ${name} with the BLAS at ${g} (whatever the system has; this benchmark installs nothing)`;
    else rates.set(`${n} ${name}`, Number(g));
  }
  return { rates, note };
}

console.log(`math/ kernels: node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}); best of ≥ 3 runs and ${BUDGET_MS / 1000} s each.\n`);

// 1. Dense matmul, Float32, row-major.
const peer = numpyPeer(SIZES);
console.log('1. matmul, Float32 (GFLOP/s, higher is better)');
console.log('   size   variant   ours    naive i-j-p   ours/naive   numpy   ours/numpy');
const matmulRates = new Map<string, number>();
for (const n of SIZES) {
  const a = randomF32(n * n);
  const b = randomF32(n * n);
  const c = new Float32Array(n * n);
  // The naive loop at 1024³ takes seconds: one run (already compiled at the smaller sizes) is enough there.
  const naiveMs = n >= 1024 ? best(() => naiveMatmul(a, b, c, n), 0, 1) : best(() => naiveMatmul(a, b, c, n));
  for (const [name, options] of [['plain', {}], ['transB', { transB: true }], ['transA', { transA: true }]] as const) {
    const ms = best(() => matmul(a, b, c, n, n, n, options));
    const rate = gflops(n, ms);
    matmulRates.set(`${n} ${name}`, rate);
    const naive = name === 'plain' ? gflops(n, naiveMs) : undefined;
    const np = typeof peer === 'string' ? undefined : peer.rates.get(`${n} ${name}`);
    console.log(`   ${String(n).padStart(4)}   ${name.padEnd(7)}  ${fmt(rate).padStart(5)}   ${naive === undefined ? '      ' : fmt(naive).padStart(6)}        ` +
      `${naive === undefined ? '     ' : `${fmt(rate / naive, 1).padStart(5)}×`}     ${np === undefined ? '   — ' : fmt(np, 1).padStart(5)}   ${np === undefined ? '—' : `${fmt(rate / np, 3)}×`}`);
  }
}
console.log(`   ${typeof peer === 'string' ? peer : peer.note}`);
{
  const n = 512;
  const a = Float64Array.from(randomF32(n * n));
  const b = Float64Array.from(randomF32(n * n));
  const ms = best(() => matmul(a, b, new Float64Array(n * n), n, n, n));
  console.log(`   (Float64 512³ plain: ${fmt(gflops(n, ms))} GFLOP/s)`);
}

// 2. ALS-like SPD solves: (YᵀY + λI)·x = Yᵀr with k = 64.
{
  const k = 64;
  const y = Float64Array.from({ length: 200 * k }, () => rng.normal());
  const gram = matmul(y, y, new Float64Array(k * k), k, 200, k, { transA: true });
  for (let i = 0; i < k; i++) gram[i * k + i]! += 0.1;
  const rhs = Float64Array.from({ length: k }, () => rng.normal());
  const scratchA = new Float64Array(k * k);
  const scratchB = new Float64Array(k);
  const batch = 2000;
  const oursMs = best(() => {
    for (let s = 0; s < batch; s++) {
      scratchA.set(gram);
      scratchB.set(rhs);
      solveSpd(scratchA, scratchB, k, 1, { overwrite: true });
    }
  });
  const naiveMs = best(() => {
    for (let s = 0; s < batch; s++) {
      scratchA.set(gram);
      scratchB.set(rhs);
      naiveSolveSpd(scratchA, scratchB, k);
    }
  });
  const perSecond = (batch * 1000) / oursMs;
  const factorMs = best(() => {
    for (let s = 0; s < batch; s++) {
      scratchA.set(gram);
      cholesky(scratchA, k);
    }
  });
  console.log(`\n2. ALS-like SPD solves, k = ${k} (copy + Cholesky + two substitutions)`);
  console.log(`   ours ${fmt(perSecond, 0)} solves/s (Cholesky alone ${fmt((k ** 3 / 3) * batch / (factorMs * 1e6))} GFLOP/s); ` +
    `textbook one-dot-per-entry loops ${fmt((batch * 1000) / naiveMs, 0)} solves/s; ratio ${fmt(naiveMs / oursMs)}×`);
}

// 3. EASE-sized SPD inverse.
console.log('\n3. SPD inverse (EASE: (XᵀX + λI)⁻¹), Float64');
for (const n of [1000, 2000]) {
  const x = Float64Array.from({ length: (n + 50) * n }, () => rng.normal());
  const gram = matmul(x, x, new Float64Array(n * n), n, n + 50, n, { transA: true });
  for (let i = 0; i < n; i++) gram[i * n + i]! += 50;
  const cholMs = best(() => void cholesky(gram.slice(), n), 0);
  const invMs = best(() => void invertSpd(gram, n), 0);
  console.log(`   n = ${n}: Cholesky ${fmt(cholMs, 0)} ms (${fmt(n ** 3 / 3 / (cholMs * 1e6))} GFLOP/s), inverse ${fmt(invMs, 0)} ms ` +
    `(${fmt(n ** 3 / (invMs * 1e6))} GFLOP/s counting n³ flops), ${fmt(invMs / cholMs, 1)}× the factorization's time`);
}

// 4. Top-k over item scores.
{
  const n = 100_000;
  const k = 100;
  const scores = Float32Array.from({ length: n }, () => rng.next());
  const exclude = Array.from({ length: 50 }, () => rng.int(n));
  const topMs = best(() => void topK(scores, k, exclude));
  const sortMs = best(() => {
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    idx.sort((p, q) => scores[q]! - scores[p]! || p - q);
  });
  console.log(`\n4. topK, k = ${k} of ${n.toLocaleString('en')} Float32 scores (50 exclusions)`);
  console.log(`   ours ${fmt(topMs, 3)} ms/call = ${fmt(n / topMs / 1e3, 0)} M scores/s; full index sort ${fmt(sortMs, 1)} ms; ratio ${fmt(sortMs / topMs, 0)}×`);
}

// 5. Sparse item–item product from a 20k users × 5k items matrix with skewed item popularity.
{
  const users = 20_000;
  const items = 5_000;
  const perUser = 25;
  const popularity = new AliasTable(Array.from({ length: items }, (_, i) => 1 / (i + 10) ** 0.9));
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < users; u++) for (let e = 0; e < perUser; e++) { rows.push(u); cols.push(popularity.sample(rng)); }
  const started = performance.now();
  const x = csrFromCoo(users, items, rows, cols);
  const buildMs = performance.now() - started;
  const itemUser = x.transpose().normalizeRows();
  const itemUserByColumn = itemUser.toCsc();
  let multiplyAdds = 0;
  for (let u = 0; u < users; u++) multiplyAdds += x.rowNnz(u) ** 2;
  const fullMs = best(() => void csrMulTransposed(itemUser, itemUserByColumn), 0);
  const topMs = best(() => void csrMulTransposed(itemUser, itemUserByColumn, { k: 100, excludeDiagonal: true }), 0);
  const full = csrMulTransposed(itemUser, itemUserByColumn);
  console.log(`\n5. sparse item–item cosine XᵀX, X = ${users.toLocaleString('en')} × ${items.toLocaleString('en')} with ${x.nnz.toLocaleString('en')} nonzeros (Zipf-like items)`);
  console.log(`   build from COO ${fmt(buildMs, 0)} ms; full product ${fmt(fullMs, 0)} ms (${full.nnz.toLocaleString('en')} nonzeros, ` +
    `${fmt(multiplyAdds / (fullMs * 1e3), 0)} M multiply-adds/s); top-100 per row ${fmt(topMs, 0)} ms`);
}

// 6. Worker-pool speed-up for a parallel matmul.
{
  const n = SIZES[SIZES.length - 1]!;
  // Filled in place: TypedArray.map would return a copy in ordinary (unshared) memory.
  const a = sharedFloat32(n * n);
  const b = sharedFloat32(n * n);
  for (let i = 0; i < n * n; i++) {
    a[i] = rng.range(-1, 1);
    b[i] = rng.range(-1, 1);
  }
  const c = sharedFloat32(n * n);
  const pool = new WorkerPool();
  const inline = new WorkerPool({ size: 1 });
  const t = performance.now();
  await pool.warmup(MATMUL_ROWS);
  const warmMs = performance.now() - t;
  // Inline and pool runs alternate, so background load on this shared machine hits both alike; the best
  // of each counts. CPU time of the whole process (all threads) per wall second shows how many cores a
  // run really had.
  const load = loadavg()[0]!;
  const timed = async (p: WorkerPool) => {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await parallelMatmul(p, a, b, c, n, n, n, { transB: true });
    const ms = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    return { ms, cores: (used.user + used.system) / 1000 / ms };
  };
  await timed(inline);
  await timed(pool);
  let inlineBest = { ms: Infinity, cores: 0 };
  let poolBest = { ms: Infinity, cores: 0 };
  for (let round = 0; round < 8; round++) {
    const i = await timed(inline);
    const p = await timed(pool);
    if (i.ms < inlineBest.ms) inlineBest = i;
    if (p.ms < poolBest.ms) poolBest = p;
  }
  await pool.close();
  console.log(`\n6. worker pool: Float32 ${n}³ matmul (transB) over SharedArrayBuffer, rows split in ${pool.size * 4} ranges, best of 8 alternating rounds`);
  console.log(`   inline ${fmt(gflops(n, inlineBest.ms))} GFLOP/s (${fmt(inlineBest.cores, 1)} cores busy); pool of ${pool.size} ${fmt(gflops(n, poolBest.ms))} GFLOP/s ` +
    `(${fmt(poolBest.cores, 1)} cores busy); speed-up ${fmt(inlineBest.ms / poolBest.ms)}× on ${pool.size} threads ` +
    `(pool start + warm-up ${fmt(warmMs, 0)} ms; load average ${load.toFixed(1)} when the section began)`);
}
