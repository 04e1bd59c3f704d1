import { existsSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { Command, CommanderError } from 'commander';
import { AppError } from '../../core/errors.js';
import { FORMAT_DESCRIPTIONS, IMPORT_FORMATS } from '../../ingest/importers/types.js';
import { WorkerPool } from '../../math/worker-pool.js';
import { parseEventWeights } from '../../recommend/data/feedback.js';
import { describeData, kCore } from '../../recommend/data/filters.js';
import { loadInteractionsFile } from '../../recommend/data/load-file.js';
import { PROTOCOLS } from '../../recommend/eval/protocols.js';
import { runEvaluation, type ModelRequest } from '../../recommend/eval/run-eval.js';
import { formatEvalTable } from '../../recommend/eval/table.js';
import { parseParamList } from '../../recommend/params.js';
import { MODELS } from '../../recommend/registry.js';
import { configFrom } from '../global-options.js';

interface EvalCliOptions {
  data?: string;
  format?: string;
  map?: string;
  protocol: string;
  models?: string;
  params?: string;
  k: string;
  seed: string;
  kcore?: string;
  limit?: string;
  weights?: string;
  tune?: string;
  tuneMethod: string;
  json?: boolean;
}

const HELP = `
Protocols:
${PROTOCOLS.map((p) => `  ${p.name.padEnd(15)} ${p.description}`).join('\n')}

Models (default: all that apply to the protocol):
${MODELS.map((m) => `  ${m.name.padEnd(12)} ${m.description}`).join('\n')}

Formats: ${IMPORT_FORMATS.join(', ')} (as \`shopwise import\`; --map for csv/jsonl).
  ${IMPORT_FORMATS.map((f) => `${f}: ${FORMAT_DESCRIPTIONS[f]}`).join('\n  ')}

--params sets hyper-parameters per model: --params svd.factors=50,svd.epochs=30,als.implicit=true
--weights sets implicit weights per event type: --weights 'Order Completed=8,Product Viewed=0.5'
A relative --data path that does not exist is looked up in the data sets directory (--datasets).

Examples:
  shopwise eval --data ml-100k/u.data --format movielens --protocol surprise-5fold
  shopwise eval --data recsys/amazon-musical-instruments-5core.json --format amazon --protocol loo --models popularity,item-knn,ease
  shopwise eval --data recsys/taobao-userbehavior-head.csv --format taobao --protocol loo --kcore 3 --json
  shopwise eval --data u.data --format movielens --protocol ms-recommenders --models bpr,als --tune 120`;

/**
 * `shopwise eval`: reads a data set file, runs an evaluation protocol over the chosen recommenders
 * and prints a table (or one JSON document with --json). Progress goes to stderr.
 *
 * @example registerEval(program); // shopwise eval --data u.data --format movielens --protocol surprise-5fold
 */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate recommenders on a data set file under a protocol (table or --json)')
    .option('--data <file>', 'the data set file')
    .option('-f, --format <format>', `file format: ${IMPORT_FORMATS.join(' | ')}`)
    .option('--map <spec>', 'csv/jsonl column map (as shopwise import)')
    .option('-p, --protocol <name>', `protocol: ${PROTOCOLS.map((p) => p.name).join(' | ')}`, 'loo')
    .option('-m, --models <list>', 'comma-separated model names (default: every model)')
    .option('--params <list>', 'model.param=value pairs, comma-separated')
    .option('-k, --k <n>', 'list length for ranking metrics', '10')
    .option('--seed <seed>', 'seed of splits, sampling and model initialisation', '42')
    .option('--kcore <n>', 'keep only users and items with at least n distinct partners (applied until stable)')
    .option('--limit <n>', 'read at most n rows of the file')
    .option('--weights <list>', 'implicit feedback weight per event type')
    .option('--tune <seconds>', 'search hyper-parameters for this many seconds in all (on a validation split)')
    .option('--tune-method <method>', 'random | tpe', 'tpe')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', HELP)
    .exitOverride((error: CommanderError) => {
      if (error.exitCode !== 0) process.exit(2);
    })
    .action(async (options: EvalCliOptions, command: Command) => {
      const config = configFrom(command);
      if (!options.data) throw AppError.invalid('eval needs --data FILE', { field: 'data' });
      if (!options.format) throw AppError.invalid(`eval needs --format (${IMPORT_FORMATS.join(', ')})`, { field: 'format' });
      const file = existsSync(options.data) || isAbsolute(options.data) ? options.data : join(config.datasetsDir, options.data);
      const k = positiveInt(options.k, 'k');
      const models = modelRequests(options.models, options.params);
      const tuneSeconds = options.tune === undefined ? 0 : positiveInt(options.tune, 'tune');
      if (options.tuneMethod !== 'random' && options.tuneMethod !== 'tpe') throw AppError.invalid(`--tune-method must be random or tpe, got ${options.tuneMethod}`, { field: 'tune-method' });
      const log = (line: string) => process.stderr.write(line + '\n');
      const started = performance.now();
      const loaded = await loadInteractionsFile(file, {
        format: options.format, map: options.map, weights: parseEventWeights(options.weights),
        limit: options.limit === undefined ? undefined : positiveInt(options.limit, 'limit'),
      });
      let data = loaded.data;
      if (options.kcore !== undefined) data = kCore(data, positiveInt(options.kcore, 'kcore'));
      const d = describeData(data);
      log(`read ${loaded.rows.toLocaleString('en-US')} rows (${loaded.skipped} skipped) in ${((performance.now() - started) / 1000).toFixed(1)} s: ${d.users} users × ${d.items} items, ${d.pairs} pairs, density ${(d.density * 100).toFixed(3)} %, ${d.explicit ? 'ratings' : 'implicit'}${options.kcore ? ` (${options.kcore}-core)` : ''}`);
      if (loaded.firstSkipped.length) log(`first skipped: ${loaded.firstSkipped.join('; ')}`);
      const pool = new WorkerPool();
      try {
        const result = await runEvaluation({
          data, dataset: basename(file) + (options.kcore ? ` (${options.kcore}-core)` : ''), protocol: options.protocol, models, k,
          seed: /^\d+$/.test(options.seed) ? Number(options.seed) : options.seed, tuneSeconds, tuneMethod: options.tuneMethod, pool,
          onProgress: log,
        });
        process.stdout.write(options.json ? JSON.stringify(result, null, 2) + '\n' : formatEvalTable(result) + '\n');
      } finally {
        await pool.close();
      }
    });
}

function positiveInt(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw AppError.invalid(`--${name} must be a whole number ≥ 1, got ${text}`, { field: name });
  return n;
}

/** The models to run with their params: `--params svd.factors=50` goes to svd. */
function modelRequests(list: string | undefined, params: string | undefined): ModelRequest[] {
  const names = list ? list.split(',').map((s) => s.trim()).filter(Boolean) : MODELS.map((m) => m.name);
  const byModel = new Map<string, Record<string, string>>();
  for (const [key, value] of Object.entries(params ? parseParamList(params) : {})) {
    const dot = key.indexOf('.');
    if (dot <= 0) throw AppError.invalid(`--params entries are model.param=value; "${key}" names no model`, { field: 'params' });
    const model = key.slice(0, dot);
    if (!names.includes(model)) throw AppError.invalid(`--params names model "${model}", which is not among the models run (${names.join(', ')})`, { field: 'params' });
    byModel.set(model, { ...byModel.get(model), [key.slice(dot + 1)]: value });
  }
  return names.map((name) => ({ name, params: byModel.get(name) ?? {} }));
}
