// nn backends benchmark: one MLP (batch 64, 128→256→20, softmax cross-entropy) on the cpu reference
// backend and the onnx backend (onnxruntime-node), and in PyTorch when /usr/bin/python3 has torch.
//   node bin/run-ts.js bench/nn-onnx.ts [--threads 1] [--seconds 2]
// Prints ms per training step (forward + backward graph, SGD in TS), ms per single-request inference
// (batch-1 graph, session built once) and per batched inference, with ratios. Never asserts on time.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { SeededRandom } from '../src/math/random.js';
import { gradients } from '../src/nn/autodiff.js';
import { CpuExecutor } from '../src/nn/cpu/cpu-executor.js';
import { Graph } from '../src/nn/graph.js';
import { buildMlp, initMlp, randomBatch, type MlpSpec } from '../src/nn/graph-cases.js';
import { OnnxExecutor } from '../src/nn/onnx/onnx-executor.js';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '1' }, seconds: { type: 'string', default: '2' } } });
const threads = Number(values.threads);
const budgetMs = Number(values.seconds) * 1000;
const spec: MlpSpec = { batch: 64, inputs: 128, hidden: 256, classes: 20 };
const lr = 0.05;

/** Mean ms per call of `fn`, after a warm-up, over at least `budgetMs` and 5 calls. */
async function timeIt(fn: () => unknown): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  let calls = 0;
  const start = performance.now();
  while (calls < 5 || performance.now() - start < budgetMs) {
    await fn();
    calls++;
  }
  return (performance.now() - start) / calls;
}

type Weights = Record<string, Float32Array>;
const rng = new SeededRandom('bench-nn-onnx');
const initial = initMlp(rng, spec);
const batch = randomBatch(rng, spec);
const single = randomBatch(rng, { ...spec, batch: 1 });
const copy = (w: Weights): Weights => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v.slice()]));

// Training graph: [loss, ∂loss/∂w1, ∂b1, ∂w2, ∂b2]; the SGD update runs in TS on the same arrays.
const train = new Graph();
const mlp = buildMlp(train, spec);
const grads = gradients(train, mlp.loss, mlp.params);
const names = mlp.params.map((p) => train.node(p.id).name!);
const trainOutputs = [mlp.loss, ...mlp.params.map((p) => grads.get(p.id)!)];
function sgd(weights: Weights, gs: Float32Array[]): void {
  names.forEach((name, i) => {
    const w = weights[name]!;
    const d = gs[i]!;
    for (let j = 0; j < w.length; j++) w[j] = w[j]! - lr * d[j]!;
  });
}
// The DESIGN.md variant: the update is in the graph too, updated weights come out of the same run.
const updated = mlp.params.map((p) => train.sub(p, train.mul(grads.get(p.id)!, train.constant(lr))));

// Inference graphs: batch 1 (a single request) and batch 64; probabilities out.
function inferenceGraph(rows: number) {
  const g = new Graph();
  const { logits } = buildMlp(g, { ...spec, batch: rows });
  return { g, probs: g.softmax(logits) };
}
const one = inferenceGraph(1);
const many = inferenceGraph(spec.batch);

const rows: { what: string; cpu: number; onnx: number; torch?: number }[] = [];
const sessionOptions = { intraOpNumThreads: threads };

{
  const cpu = new CpuExecutor(train, trainOutputs);
  const onnx = await OnnxExecutor.create(train, trainOutputs, sessionOptions);
  const wc = copy(initial);
  const wo = copy(initial);
  const cpuMs = await timeIt(() => sgd(wc, cpu.run(batch, wc).slice(1)));
  const onnxMs = await timeIt(async () => sgd(wo, (await onnx.run(batch, wo)).slice(1)));
  rows.push({ what: 'training step, batch 64 (SGD in TS)', cpu: cpuMs, onnx: onnxMs });
  await onnx.release();

  const fused = await OnnxExecutor.create(train, [mlp.loss, ...updated], sessionOptions);
  let wf = copy(initial);
  const fusedMs = await timeIt(async () => {
    const [, ...next] = await fused.run(batch, wf);
    wf = Object.fromEntries(names.map((n, i) => [n, next[i]!]));
  });
  rows.push({ what: 'training step, batch 64 (SGD in the graph)', cpu: cpuMs, onnx: fusedMs });
  await fused.release();
}

for (const [label, graph, x] of [['single request, batch 1', one, single.x], ['batch 64', many, batch.x]] as const) {
  const cpu = new CpuExecutor(graph.g, [graph.probs]);
  const onnx = await OnnxExecutor.create(graph.g, [graph.probs], { ...sessionOptions, params: initial });
  const cpuMs = await timeIt(() => cpu.run({ x }, initial));
  const onnxMs = await timeIt(() => onnx.run({ x }));
  rows.push({ what: `inference, ${label}`, cpu: cpuMs, onnx: onnxMs });
  await onnx.release();
}

const torch = runTorch();
if (torch) {
  rows[0]!.torch = torch.train;
  rows[2]!.torch = torch.single;
  rows[3]!.torch = torch.batched;
}

console.log(`MLP ${spec.inputs}→${spec.hidden}→${spec.classes}, softmax cross-entropy; onnxruntime intra-op threads: ${threads}; ≥${budgetMs / 1000} s per figure`);
const pad = (s: string, n: number) => s.padEnd(n);
const ms = (v: number | undefined) => (v === undefined ? '—' : v < 0.1 ? `${(v * 1000).toFixed(1)} µs` : `${v.toFixed(3)} ms`);
console.log(`${pad('', 46)}${pad('cpu', 13)}${pad('onnx', 13)}${pad('cpu/onnx', 10)}${pad('torch', 13)}onnx/torch`);
for (const r of rows) {
  const vsTorch = r.torch === undefined ? '—' : `${(r.onnx / r.torch).toFixed(2)}x`;
  console.log(`${pad(r.what, 46)}${pad(ms(r.cpu), 13)}${pad(ms(r.onnx), 13)}${pad(`${(r.cpu / r.onnx).toFixed(1)}x`, 10)}${pad(ms(r.torch), 13)}${vsTorch}`);
}
if (!torch) console.log('torch: skipped (/usr/bin/python3 cannot import torch; `apt-get install -y python3-torch` adds it)');

/** The same MLP in PyTorch (same sizes, SGD, thread count), timed in a child process; undefined when torch is missing. */
function runTorch(): { train: number; single: number; batched: number } | undefined {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const script = `
import json, time, torch
torch.manual_seed(0); torch.set_num_threads(${threads})
B, I, H, C, budget = ${spec.batch}, ${spec.inputs}, ${spec.hidden}, ${spec.classes}, ${budgetMs / 1000}
model = torch.nn.Sequential(torch.nn.Linear(I, H), torch.nn.ReLU(), torch.nn.Linear(H, C))
opt = torch.optim.SGD(model.parameters(), lr=${lr})
x, y = torch.randn(B, I), torch.randint(0, C, (B,))
def step():
    opt.zero_grad(); loss = torch.nn.functional.cross_entropy(model(x), y); loss.backward(); opt.step()
def timed(fn):
    for _ in range(3): fn()
    n, start = 0, time.perf_counter()
    while n < 5 or time.perf_counter() - start < budget: fn(); n += 1
    return (time.perf_counter() - start) / n * 1000
train = timed(step)
with torch.inference_mode():
    one, many = torch.randn(1, I), torch.randn(B, I)
    single = timed(lambda: torch.softmax(model(one), -1).numpy())
    batched = timed(lambda: torch.softmax(model(many), -1).numpy())
print(json.dumps({"train": train, "single": single, "batched": batched, "version": torch.__version__}))
`;
  const run = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  if (run.status !== 0) {
    console.log(`torch: failed (${run.stderr.trim().split('\n').pop()})`);
    return undefined;
  }
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { train: number; single: number; batched: number; version: string };
  console.log(`torch ${result.version}: same MLP, torch.set_num_threads(${threads})`);
  return result;
}
