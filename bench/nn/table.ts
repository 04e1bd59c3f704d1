// The closing table of bench/nn.ts: our onnx and cpu backends next to the torch peer (one column per
// torch thread count), with the issue's goals (onnx step ≤ 1.5 × torch's, single inference ≤ torch's)
// checked against the faster torch figure.
import type { Measured } from './measure.js';
import type { TorchFigures } from './torch-peer.js';

export interface Row {
  workload: string;
  onnx: Measured;
  cpu?: Measured;
  /** The peer's figures, one per torch thread count run. */
  torch: TorchFigures[];
  /** onnxruntime intra-op threads of the training and the inference session. */
  threads: [number, number];
}

export const STEP_GOAL = 1.5;
export const INFER_GOAL = 1;

const fmt = (v: number | undefined) => (v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const x = (r: number | undefined) => (r === undefined ? '—' : `${r.toFixed(2)}x`);
const best = (values: number[]) => (values.length === 0 ? undefined : Math.min(...values));

export function printTable(rows: Row[], torchThreads: number[]): void {
  const torchCols = (what: string) => torchThreads.map((t) => `torch ${what} ${t}t`);
  const header = ['workload', 'onnx step ms', 'cpu step ms', ...torchCols('step'), 'onnx/torch step (≤1.5)', 'onnx infer ms', ...torchCols('infer'), 'onnx/torch infer (≤1)', 'met', 'onnx thr'];
  const body = rows.map((r) => {
    const byThreads = (t: number) => r.torch.find((f) => f.threads === t);
    const torchStep = best(r.torch.map((f) => f.train_ms_per_step));
    const torchInfer = best(r.torch.map((f) => f.infer_ms_single));
    const step = torchStep === undefined ? undefined : r.onnx.stepMs / torchStep;
    const infer = torchInfer === undefined ? undefined : r.onnx.inferMs / torchInfer;
    const met = step === undefined || infer === undefined ? '—' : step <= STEP_GOAL && infer <= INFER_GOAL ? 'yes' : 'no';
    return [
      r.workload, fmt(r.onnx.stepMs), fmt(r.cpu?.stepMs), ...torchThreads.map((t) => fmt(byThreads(t)?.train_ms_per_step)), x(step),
      fmt(r.onnx.inferMs), ...torchThreads.map((t) => fmt(byThreads(t)?.infer_ms_single)), x(infer), met, `${r.threads[0]}/${r.threads[1]}`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('');
  console.log(line(header));
  for (const b of body) console.log(line(b));
  const cpuRows = rows.filter((r) => r.cpu);
  if (cpuRows.length > 0) {
    console.log(`cpu backend (reference interpreter, few steps): ${cpuRows.map((r) => `${r.workload} ${(r.cpu!.stepMs / r.onnx.stepMs).toFixed(0)}x the onnx step, ${(r.cpu!.inferMs / r.onnx.inferMs).toFixed(0)}x its inference`).join('; ')}`);
  }
  console.log('Ratios are against the faster torch figure of the row; onnx thr = onnxruntime threads of the training / inference session (calibrated).');
  console.log('Quote ratios, not absolute times: the machine is shared and noisy.');
}
