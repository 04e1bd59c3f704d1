// Where the onnx backend's training step goes, per workload: the share of the step spent in
// onnxruntime's run and in TS (gather, dropout masks, scatter, optimizers), and onnxruntime's own
// per-operator-type profile. A diagnostic, not part of the table:
//   node bin/run-ts.js bench/nn/profile.ts [--workload sasrec] [--adam ts|graph] [--threads 1] [--steps 10] [--per-step-tagger]
// --per-step-tagger profiles the experiment of bench/nn/per-step-tagger.ts instead of the tagger.
// The first executor a workload builds is its training step (the trainers are built before inference).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { compileGraph } from '../../src/nn/onnx/compile-graph.js';
import { serializeModel } from '../../src/nn/onnx/proto.js';
import type { Executor, ExecutorFactory, Feed } from '../../src/nn/executor.js';
import { perStepTagger } from './per-step-tagger.js';
import { WORKLOADS } from './workloads.js';

const { values } = parseArgs({ options: { workload: { type: 'string' }, adam: { type: 'string', default: 'ts' }, threads: { type: 'string', default: '1' }, steps: { type: 'string', default: '10' }, 'per-step-tagger': { type: 'boolean', default: false } } });
const steps = Number(values.steps);
const adam = values.adam === 'graph' ? 'graph' : 'ts';

interface Profiled extends Executor {
  runMs: number;
  session: InferenceSession;
}

/** An executor like OnnxExecutor (tensors cached per array) whose session profiles, and which times its own runs. */
async function profiledExecutor(graph: Parameters<ExecutorFactory>[0], outputs: Parameters<ExecutorFactory>[1], prefix: string): Promise<Profiled> {
  const compiled = compileGraph(graph, outputs);
  const session = await InferenceSession.create(serializeModel(compiled.model), {
    intraOpNumThreads: Number(values.threads), interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
    enableProfiling: true, profileFilePrefix: prefix,
  });
  const cache = new Map<string, { data: Float32Array; tensor: Tensor }>();
  const get = (f: Feed, name: string) => (f instanceof Map ? f.get(name) : f[name])!;
  const self: Profiled = {
    runMs: 0,
    session,
    async run(inputs, params) {
      const feed: Record<string, Tensor> = {};
      for (const i of compiled.inputs) {
        const data = get(i.kind === 'input' ? inputs : params, i.name);
        let hit = cache.get(i.name);
        if (!hit || hit.data !== data) cache.set(i.name, (hit = { data, tensor: new Tensor('float32', data, [...i.shape]) }));
        feed[i.name] = hit.tensor;
      }
      const t = performance.now();
      const out = await session.run(feed);
      self.runMs += performance.now() - t;
      return compiled.outputNames.map((n) => out[n]!.data as Float32Array);
    },
  };
  return self;
}

const workloads = values['per-step-tagger'] ? WORKLOADS.map((w) => (w.name === perStepTagger.name ? perStepTagger : w)) : WORKLOADS;
for (const w of workloads.filter((x) => !values.workload || x.name === values.workload)) {
  const made: Profiled[] = [];
  const prefix = join(tmpdir(), `shopwise-nn-profile-${w.name}-${process.pid}`);
  const profiled: ExecutorFactory = async (g, o) => {
    const e = await profiledExecutor(g, o, `${prefix}-${made.length}`);
    made.push(e);
    return e;
  };
  const built = w.build({ train: profiled, infer: profiled }, adam);
  for (let i = 0; i < 3; i++) await built.step();
  const trainer = made[0]!;
  trainer.runMs = 0;
  const phases = { ...built.trainer.timing };
  const t = performance.now();
  for (let i = 0; i < steps; i++) await built.step();
  const stepMs = (performance.now() - t) / steps;
  const runMs = trainer.runMs / steps;
  for (const e of made) e.session.endProfiling(); // writes <prefix>-<k>_<date>.json (onnxruntime-node returns no path)
  const files = readdirSync(tmpdir()).filter((f) => f.startsWith(`shopwise-nn-profile-${w.name}-${process.pid}-`)).map((f) => join(tmpdir(), f));
  const file = files.find((f) => f.includes(`${prefix}-0_`))!;
  const events = JSON.parse(readFileSync(file, 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string } }[];
  for (const f of files) rmSync(f, { force: true });
  const byOp = new Map<string, { us: number; count: number }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const op = e.args?.op_name ?? '?';
    const entry = byOp.get(op) ?? { us: 0, count: 0 };
    entry.us += e.dur;
    entry.count++;
    byOp.set(op, entry);
  }
  const runs = steps + 3;
  const total = [...byOp.values()].reduce((s, e) => s + e.us, 0) / runs / 1000;
  console.log(`${w.name} (adam ${adam}, ${values.threads} thread(s)): ${built.trainNodes} graph nodes; step ${stepMs.toFixed(1)} ms = onnxruntime run ${runMs.toFixed(1)} ms + TS ${(stepMs - runMs).toFixed(1)} ms; kernels ${total.toFixed(1)} ms per run`);
  const tm = built.trainer.timing;
  const phase = (k: 'prepareMs' | 'runMs' | 'tablesMs' | 'denseMs') => ((tm[k] - phases[k]) / steps).toFixed(1);
  console.log(`  TS phases per step: masks + gathers + feeds ${phase('prepareMs')} ms, executor run ${phase('runMs')} ms (of which onnxruntime ${runMs.toFixed(1)}), scatter + sparse Adam ${phase('tablesMs')} ms, dense Adam ${phase('denseMs')} ms`);
  const top = [...byOp].sort((a, b) => b[1].us - a[1].us).slice(0, Number(process.env.TOP ?? 10));
  for (const [op, e] of top) console.log(`  ${op.padEnd(22)} ${(e.us / runs / 1000).toFixed(2).padStart(7)} ms  ${String(Math.round(e.count / runs)).padStart(5)} nodes  ${((100 * e.us) / runs / 1000 / total).toFixed(0)}%`);
}
