import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command, CommanderError } from 'commander';
import { createServices } from '../../app/services.js';
import { AppError } from '../../core/errors.js';
import { createFormatReader, MAP_SYNTAX } from '../../ingest/importers/formats.js';
import { importFile, type ImportSummary } from '../../ingest/importers/import-file.js';
import { FORMAT_DESCRIPTIONS, IMPORT_FORMATS, type ImportCounts } from '../../ingest/importers/types.js';
import { configFrom } from '../global-options.js';

interface ImportCliOptions {
  format?: string;
  map?: string;
  limit?: string;
  json?: boolean;
}

const HELP = `
Formats:
${IMPORT_FORMATS.map((f) => `  ${f.padEnd(11)} ${FORMAT_DESCRIPTIONS[f]}`).join('\n')}

Column map (csv and jsonl only; without it common names such as userId, item_id, rating, timestamp are recognised):
  --map ${MAP_SYNTAX}
  ts: epoch seconds, epoch ms or ISO 8601. event: the event name; view, click, cart, buy, purchase, fav,
  like, share… become the standard names. Without event: Review Submitted when rating is mapped, else Product Viewed.

Every row gets a message id derived from its line, so importing a file again stores nothing twice.
The events go to the workspace of --workspace (default: the configured default workspace).

Examples:
  shopwise import --format movielens ml-100k/u.data
  shopwise import --format csv --map user=userId,item=movieId,rating=rating,ts=timestamp ratings.csv
  shopwise --data-dir /tmp/shop import --format taobao UserBehavior.csv --limit 1000000 --json`;

/**
 * `shopwise import --format <fmt> <file> [--map spec] [--limit N] [--json]`: streams a data set file
 * into the event log (and minimal catalog items) with a progress bar, then prints the counts and the
 * first rejection reasons. Exits 0 even when rows were rejected, 2 on invalid usage.
 *
 * @example registerImport(program); // shopwise import --format amazon reviews_Musical_Instruments_5.json
 */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import a data set file (ratings, reviews, behavior logs) as events and catalog items')
    .argument('<file>', 'the file to import (streamed; never loaded whole)')
    .option('-f, --format <format>', `file format: ${IMPORT_FORMATS.join(' | ')}`)
    .option('--map <spec>', `csv/jsonl column map: ${MAP_SYNTAX}`)
    .option('--limit <n>', 'import at most N rows')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText('after', HELP)
    .exitOverride((error: CommanderError) => {
      // Usage errors exit 2 like every invalid input; help and version keep their 0.
      if (error.exitCode !== 0) process.exit(2);
    })
    .action(async (file: string, options: ImportCliOptions, command: Command) => {
      const limit = checkUsage(file, options);
      const config = configFrom(command);
      const services = await createServices(config);
      try {
        const workspaceId = config.defaultWorkspace;
        const { generatedKey } = await services.keys.bootstrap(workspaceId, config.adminKey);
        if (generatedKey) {
          const say = options.json ? console.error : console.log;
          say(`Created workspace "${workspaceId}". Its admin key (shown once; only its hash is stored): ${generatedKey}`);
        }
        const bar = byteBar();
        let summary: ImportSummary;
        try {
          summary = await importFile({
            format: options.format!, file, map: options.map, limit, workspaceId,
            ingest: services.ingest, items: services.storage.items, onProgress: bar.update,
          });
        } finally {
          bar.stop();
        }
        report({ file, format: options.format!, workspaceId, summary, json: options.json === true });
      } finally {
        await services.close();
      }
    });
}

/** Validates the arguments before anything is opened; returns the limit. */
function checkUsage(file: string, options: ImportCliOptions): number | undefined {
  if (options.format === undefined) throw AppError.invalid(`import: --format is required (${IMPORT_FORMATS.join(', ')}); see shopwise import --help`, { field: 'format' });
  createFormatReader(options.format, options.map);
  let limit: number | undefined;
  if (options.limit !== undefined) {
    limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 0) throw AppError.invalid(`import: --limit must be a whole number ≥ 0, got "${options.limit}"`, { field: 'limit' });
  }
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw AppError.invalid(`import: file not found: ${file}`, { field: 'file' });
  }
  if (!isFile) throw AppError.invalid(`import: ${file} is not a file`, { field: 'file' });
  return limit;
}

/** A progress bar by bytes on stderr (nothing on a non-TTY), with rows and rows per second. */
function byteBar(): { update(bytesRead: number, totalBytes: number, counts: ImportCounts): void; stop(): void } {
  const bar = new cliProgress.SingleBar({
    format: '{bar} {percentage}% | {doneMb}/{totalMb} MB | {rows} rows | {rate} rows/s | {eta_formatted} left',
    stream: process.stderr, hideCursor: true, etaBuffer: 20,
  }, cliProgress.Presets.shades_classic);
  const started = performance.now();
  let active = false;
  return {
    update(bytesRead, totalBytes, counts) {
      const payload = {
        doneMb: (bytesRead / 1e6).toFixed(1), totalMb: (totalBytes / 1e6).toFixed(1), rows: counts.rowsRead.toLocaleString('en-US'),
        rate: Math.round(counts.rowsRead / Math.max((performance.now() - started) / 1000, 1e-3)).toLocaleString('en-US'),
      };
      if (!active) {
        bar.start(Math.max(totalBytes, 1), Math.min(bytesRead, totalBytes), payload);
        active = true;
      } else {
        bar.update(Math.min(bytesRead, totalBytes), payload);
      }
    },
    stop() {
      if (active) bar.stop();
    },
  };
}

function report(args: { file: string; format: string; workspaceId: string; summary: ImportSummary; json: boolean }): void {
  const { summary } = args;
  const rowsPerSecond = Math.round(summary.rowsRead / Math.max(summary.seconds, 1e-3));
  if (args.json) {
    console.log(JSON.stringify({ file: args.file, format: args.format, workspace: args.workspaceId, ...summary, seconds: round(summary.seconds), rowsPerSecond }, null, 2));
    return;
  }
  const n = (x: number) => x.toLocaleString('en-US').padStart(12);
  console.log(`Imported ${args.file} (${args.format}) into workspace "${args.workspaceId}"`);
  console.log(`  rows read     ${n(summary.rowsRead)}`);
  console.log(`  imported      ${n(summary.imported)}`);
  console.log(`  duplicates    ${n(summary.duplicates)}${summary.duplicates > 0 && summary.imported === 0 ? '   (already imported)' : ''}`);
  console.log(`  rejected      ${n(summary.rejected)}`);
  console.log(`  items created ${n(summary.itemsCreated)}`);
  console.log(`  seconds       ${round(summary.seconds).toString().padStart(12)}   (${rowsPerSecond.toLocaleString('en-US')} rows/s)`);
  if (summary.firstRejections.length > 0) {
    console.log(summary.rejected > summary.firstRejections.length ? `First ${summary.firstRejections.length} of ${summary.rejected} rejections:` : 'Rejections:');
    for (const r of summary.firstRejections) console.log(`  ${r.reason}`);
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
