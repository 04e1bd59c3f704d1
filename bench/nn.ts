// nn benchmark: three deep models on our onnx backend, our cpu backend and PyTorch, in one run.
//   node bin/run-ts.js bench/nn.ts [--steps 30] [--cpu-steps 2] [--skip-cpu] [--skip-torch] [--torch-threads 2,1]
//                                  [--adam ts|graph] [--threads auto|1|2]
// Per workload (shapes of ../shared/peers/torch_nn_bench.py): ms per training step (forward + backward +
// Adam, with the TS gather / scatter of embedding rows and the sparse Adam on the table) and ms per
// single-request inference (batch-1 graph, built once). The onnxruntime thread count is calibrated per
// workload (1 vs 2, run one after the other). The torch peer runs after ours, never concurrently: with
// 2 threads (the issue's setting), then with 1 (on this shared 2-core machine torch's 2 OpenMP threads
// can be several times slower than 1); ratios are against the faster torch figure. Prints figures and
// ratios; never asserts on time (the machine is shared and noisy). Where a step's time goes (TS phases,
// onnxruntime's per-operator profile): bench/nn/profile.ts.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuExecutor } from '../src/nn/executor.js';
import { calibrateThreads, measure, onnxBackend, type Calibration, type Measured } from './nn/measure.js';
import { printTable, type Row } from './nn/table.js';
import { runTorchPeer } from './nn/torch-peer.js';
import { WORKLOADS } from './nn/workloads.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '30' },
    'cpu-steps': { type: 'string', default: '2' },
    'skip-cpu': { type: 'boolean', default: false },
    'skip-torch': { type: 'boolean', default: false },
    'torch-threads': { type: 'string', default: '2,1' },
    adam: { type: 'string', default: 'ts' },
    threads: { type: 'string', default: 'auto' },
  },
});
const steps = Number(values.steps);
const cpuSteps = Number(values['cpu-steps']);
const adam = values.adam === 'graph' ? 'graph' : 'ts';
const torchThreads = values['torch-threads'].split(',').map(Number).filter((n) => n >= 1);
const root = fileURLToPath(new URL('..', import.meta.url));
const peer = resolve(root, '../shared/peers/torch_nn_bench.py');

const log = (s: string) => console.log(`  … ${s}`);
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
console.log(`bench/nn: ${steps} onnx steps (after 3 warm-up), 100 single inferences (after 5); cpu backend ${values['skip-cpu'] ? 'skipped' : `${cpuSteps} steps after 1 warm-up, 5 inferences`}; dense Adam in ${adam === 'graph' ? 'the onnx graph' : 'TS'}`);

const rows: Row[] = [];
for (const workload of WORKLOADS) {
  console.log(`${workload.name}: ${workload.shapes}`);
  let cal: Calibration | undefined;
  if (values.threads === 'auto') {
    cal = await calibrateThreads(workload, adam);
    log(`onnx threads: step ${ms(cal.stepMs[0])} ms with 1, ${ms(cal.stepMs[1])} ms with 2 → ${cal.train}; inference ${ms(cal.inferMs[0])} / ${ms(cal.inferMs[1])} ms → ${cal.infer}`);
  }
  const [trainThreads, inferThreads] = cal ? [cal.train, cal.infer] : [Number(values.threads), Number(values.threads)];
  const backend = onnxBackend(trainThreads, inferThreads);
  const onnx = await measure(workload, backend, adam, { warmSteps: 3, steps, warmInfers: 5, infers: 100 });
  await backend.release();
  log(`onnx: ${ms(onnx.stepMs)} ms/step, ${ms(onnx.inferMs)} ms/inference (graph ${onnx.trainNodes} nodes, built in ${ms(onnx.buildMs)} ms incl. first step; loss ${onnx.loss[0].toFixed(3)} → ${onnx.loss[1].toFixed(3)})`);
  let cpu: Measured | undefined;
  if (!values['skip-cpu']) {
    cpu = await measure(workload, { train: cpuExecutor, infer: cpuExecutor }, adam, { warmSteps: 1, steps: cpuSteps, warmInfers: 1, infers: 5 });
    log(`cpu: ${ms(cpu.stepMs)} ms/step, ${ms(cpu.inferMs)} ms/inference`);
  }
  rows.push({ workload: workload.name, onnx, cpu, threads: [trainThreads, inferThreads], torch: [] });
}

if (values['skip-torch']) {
  console.log('torch: skipped (--skip-torch)');
} else {
  for (const threads of torchThreads) {
    console.log(`torch: /usr/bin/python3 ${peer} --steps ${steps} --threads ${threads}`);
    const torch = await runTorchPeer(peer, steps, threads, (f) => log(`torch ${f.workload}: ${ms(f.train_ms_per_step)} ms/step, ${ms(f.infer_ms_single)} ms/inference (${f.threads} threads)`));
    if (!torch.ok) {
      console.log(`torch: skipped — ${torch.reason}`);
      break;
    }
    console.log(`  … torch ${torch.version}`);
    for (const row of rows) {
      const f = torch.figures.get(row.workload);
      if (f) row.torch.push(f);
    }
  }
}
printTable(rows, torchThreads);
