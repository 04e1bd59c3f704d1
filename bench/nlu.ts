// The NLU goals of issue 6, measured with the CLI: each data set is one `shopwise nlu eval --json` run
// in a child process (its own clock and memory), one after the other, and the figures are printed as a
// table. Prints figures, never asserts on time (DESIGN.md, bench/).
//   node bin/run-ts.js bench/nlu.ts [--only snips,cais,banking77,sst2,shopping] [--budget 110] [--seed shopwise-nlu] [--architecture auto]
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    budget: { type: 'string', default: '110' },
    seed: { type: 'string', default: 'shopwise-nlu' },
    architecture: { type: 'string', default: 'auto' },
  },
});

const RUNS: Array<{ name: string; goal: string; args: string[] }> = [
  { name: 'snips', goal: '≥98% / ≥93', args: ['--format', 'snips', '--train', 'nlu/snips/train', '--test', 'nlu/snips/valid'] },
  { name: 'cais', goal: '≥94% / ≥85', args: ['--format', 'cais', '--train', 'nlu/cais-zh/train', '--test', 'nlu/cais-zh/valid'] },
  { name: 'banking77', goal: '≥88%', args: ['--format', 'csv', '--train', 'nlu/banking77/train.csv', '--test', 'nlu/banking77/test.csv', '--label-col', 'category'] },
  { name: 'sst2', goal: '≥85%', args: ['--task', 'sentiment', '--format', 'csv', '--train', 'sentiment/sst2/train.tsv', '--test', 'sentiment/sst2/dev.tsv', '--text-col', 'sentence,content'] },
  { name: 'shopping', goal: '≥90%', args: ['--task', 'sentiment', '--format', 'csv', '--train', 'sentiment/online_shopping_10_cats.csv', '--text-col', 'review', '--split', '0.9', '--seed', '1'] },
];
const only = values.only?.split(',');
const rows: string[][] = [['data', 'goal', 'accuracy', 'slot F1', 'macro F1', 'train s', 'wall s', 'model']];
for (const run of RUNS.filter((r) => !only || only.includes(r.name))) {
  const seedArgs = run.args.includes('--seed') ? [] : ['--seed', values.seed];
  const args = ['bin/shopwise.js', 'nlu', 'eval', ...run.args, ...seedArgs, '--budget', values.budget, '--architecture', values.architecture, '--json'];
  console.error(`> node ${args.join(' ')}`);
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  const wall = ((performance.now() - started) / 1000).toFixed(1);
  if (child.status !== 0) {
    rows.push([run.name, run.goal, `failed (exit ${child.status})`, '', '', '', wall, '']);
    continue;
  }
  const r = JSON.parse(child.stdout) as { intent_accuracy: number; slot_f1: number | null; macro_f1: number; train_seconds: number; architecture: string };
  const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(2)}%`);
  rows.push([run.name, run.goal, pct(r.intent_accuracy), pct(r.slot_f1), pct(r.macro_f1), r.train_seconds.toFixed(1), wall, r.architecture]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
