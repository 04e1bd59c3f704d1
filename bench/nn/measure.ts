// Timing of one workload on one backend: build once, warm up, then mean ms per training step and per
// single-request inference. Plus the onnxruntime thread-count calibration bench/nn.ts runs first.
import { OnnxExecutor } from '../../src/nn/onnx/onnx-executor.js';
import type { GraphTrainerOptions } from '../../src/nn/models/graph-trainer.js';
import type { ExecutorFactory } from '../../src/nn/executor.js';
import type { Backend, Workload } from './workloads.js';

export interface Plan {
  warmSteps: number;
  steps: number;
  warmInfers: number;
  infers: number;
}

export interface Measured {
  stepMs: number;
  inferMs: number;
  /** Loss of the first and last timed step (a sanity check that it trains). */
  loss: [number, number];
  trainNodes: number;
  buildMs: number;
}

/** Mean ms per call over `n` calls after `warm` untimed ones. */
export async function meanMs(fn: () => Promise<unknown>, warm: number, n: number): Promise<number> {
  for (let i = 0; i < warm; i++) await fn();
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - start) / n;
}

export async function measure(workload: Workload, backend: Backend, adam: GraphTrainerOptions['adam'], plan: Plan): Promise<Measured> {
  const started = performance.now();
  const built = workload.build(backend, adam);
  const first = await built.step(); // the first step also awaits the session builds
  const buildMs = performance.now() - started;
  let last = first;
  const stepMs = await meanMs(async () => (last = await built.step()), Math.max(0, plan.warmSteps - 1), plan.steps);
  const inferMs = await meanMs(() => built.infer(), plan.warmInfers, plan.infers);
  return { stepMs, inferMs, loss: [first, last], trainNodes: built.trainNodes, buildMs };
}

/** The onnx backend with the given intra-op thread counts for the training and the inference session; `release` frees every session it made. */
export function onnxBackend(trainThreads: number, inferThreads = trainThreads): Backend & { release(): Promise<void> } {
  const made: Promise<OnnxExecutor>[] = [];
  const at = (threads: number): ExecutorFactory => (graph, outputs) => {
    const executor = OnnxExecutor.create(graph, outputs, { intraOpNumThreads: threads });
    made.push(executor);
    return executor;
  };
  return { train: at(trainThreads), infer: at(inferThreads), release: async () => void (await Promise.all(made.map(async (e) => (await e).release()))) };
}

export interface Calibration {
  /** Chosen thread counts for the training session and the inference session. */
  train: number;
  infer: number;
  /** [1 thread, 2 threads] ms per step and per inference from the short calibration runs. */
  stepMs: [number, number];
  inferMs: [number, number];
}

/**
 * Short runs with 1 and 2 onnxruntime threads, both built first and then timed in alternating rounds
 * (never concurrently), so drifting load on the shared machine hits both alike; the faster wins, per session.
 */
export async function calibrateThreads(workload: Workload, adam: GraphTrainerOptions['adam'], rounds = 3): Promise<Calibration> {
  const backends = [onnxBackend(1), onnxBackend(2)];
  const built = backends.map((backend) => workload.build(backend, adam));
  const stepMs: [number, number] = [0, 0];
  const inferMs: [number, number] = [0, 0];
  for (const b of built) {
    await meanMs(() => b.step(), 2, 0);
    await meanMs(() => b.infer(), 5, 0);
  }
  for (let r = 0; r < rounds; r++) {
    for (const k of [0, 1] as const) {
      stepMs[k] += (await meanMs(() => built[k]!.step(), 0, 2)) / rounds;
      inferMs[k] += (await meanMs(() => built[k]!.infer(), 0, 10)) / rounds;
    }
  }
  for (const backend of backends) await backend.release();
  return { train: stepMs[1] < stepMs[0] ? 2 : 1, infer: inferMs[1] < inferMs[0] ? 2 : 1, stepMs, inferMs };
}
