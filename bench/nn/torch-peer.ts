// Runs the PyTorch reference ../shared/peers/torch_nn_bench.py (Debian's /usr/bin/python3 with
// python3-torch) as a child process, after our measurements, and collects its JSON lines.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface TorchFigures {
  workload: string;
  train_ms_per_step: number;
  infer_ms_single: number;
  threads: number;
}

export type TorchResult = { ok: true; version: string; figures: Map<string, TorchFigures> } | { ok: false; reason: string };

const PYTHON = '/usr/bin/python3';

/** The peer's figures per workload, or why it could not run (no python3, no torch, no script, a failure). */
export async function runTorchPeer(script: string, steps: number, threads: number, onLine: (f: TorchFigures) => void): Promise<TorchResult> {
  if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} not found (Debian: apt-get install -y python3 python3-torch)` };
  if (!existsSync(script)) return { ok: false, reason: `peer script ${script} not found` };
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return { ok: false, reason: `${PYTHON} cannot import torch (apt-get install -y python3-torch)` };
  const figures = new Map<string, TorchFigures>();
  const child = spawn(PYTHON, [script, '--steps', String(steps), '--threads', String(threads)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let pending = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const f = JSON.parse(line) as TorchFigures;
      figures.set(f.workload, f);
      onLine(f);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) return { ok: false, reason: `peer exited with ${code}: ${stderr.trim().split('\n').pop() ?? ''}` };
  return { ok: true, version: probe.stdout.trim(), figures };
}
