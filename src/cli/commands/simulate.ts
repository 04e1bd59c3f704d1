import type { Command } from 'commander';
import { createServices } from '../../app/services.js';
import type { Config } from '../../config/schema.js';
import { AppError } from '../../core/errors.js';
import { fillDemoShop } from '../../simulate/fill.js';
import { replayTraffic } from '../../simulate/replay.js';
import { generateShop } from '../../simulate/shop.js';
import { configFrom } from '../global-options.js';
import { progressBar } from '../progress.js';

interface SimulateCliOptions {
  seed?: string;
  users?: string;
  items?: string;
  days?: string;
  replay?: string;
  key?: string;
  rate?: string;
  batch?: string;
  duration?: string;
  json?: boolean;
}

const HELP = `
Without --replay, the shop is written into the default workspace of the configured storage (running it
again with the same seed stores nothing new) and its ground truth (the users' latent tastes and the
items they would like) is saved to <dataDir>/demo-truth.json.

With --replay, the shop's events are sent to a running server as live traffic at --rate events per
second, re-timed to now and with new message ids, until they run out or --duration is over.

Examples:
  shopwise simulate
  shopwise simulate --seed 7 --users 500 --items 1000 --days 14 --json
  shopwise simulate --replay http://127.0.0.1:8080 --key sw_… --rate 500 --duration 60`;

/**
 * `shopwise simulate`: generates the deterministic demo shop (flags default to the demo* config keys)
 * and loads it, or replays its events against a running server.
 *
 * @example registerSimulate(program); // shopwise simulate --seed 42 --users 2000
 */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('generate the deterministic demo shop and load it, or replay its traffic against a running server')
    .option('--seed <n>', 'seed (same seed, same shop; default: config demoSeed)')
    .option('--users <n>', 'number of users (default: config demoUsers)')
    .option('--items <n>', 'number of catalog items (default: config demoItems)')
    .option('--days <n>', 'days of history (default: config demoDays)')
    .option('--replay <url>', 'send the events to the server at this URL instead of loading them')
    .option('--key <key>', 'API key for --replay (default: config adminKey)')
    .option('--rate <n>', 'events per second for --replay', '200')
    .option('--batch <n>', 'events per request for --replay (default: rate / 10)')
    .option('--duration <s>', 'stop --replay after this many seconds')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText('after', HELP)
    .action(async (options: SimulateCliOptions, command: Command) => {
      const config = configFrom(command);
      const shopOptions = {
        seed: intOption('seed', options.seed, config.demoSeed, 0, 2 ** 31 - 1),
        users: intOption('users', options.users, config.demoUsers, 1, 10_000_000),
        items: intOption('items', options.items, config.demoItems, 10, 10_000_000),
        days: intOption('days', options.days, config.demoDays, 1, 3650),
      };
      if (options.replay !== undefined) await replay(config, options, shopOptions);
      else await fill(config, options, shopOptions);
    });
}

async function fill(config: Config, options: SimulateCliOptions, shop: { seed: number; users: number; items: number; days: number }): Promise<void> {
  const services = await createServices(config);
  try {
    const { generatedKey } = await services.keys.bootstrap(config.defaultWorkspace, config.adminKey);
    if (generatedKey && !options.json) console.log(`Created workspace "${config.defaultWorkspace}"; its admin key (shown once, only its hash is stored): ${generatedKey}`);
    if (!options.json) console.log(`Simulating the demo shop (seed ${shop.seed}: ${shop.users} users, ${shop.items} items, ${shop.days} days)…`);
    const bar = options.json ? undefined : progressBar('records');
    const result = await fillDemoShop(services, shop, (done, total) => bar?.update(done, total));
    bar?.stop();
    if (options.json) {
      console.log(JSON.stringify({ workspace: config.defaultWorkspace, shop, ...result, ...(generatedKey ? { generatedKey } : {}) }, null, 2));
      return;
    }
    const { items, users, events, seconds } = result;
    console.log(`Workspace "${config.defaultWorkspace}":`);
    console.log(`  items   ${items.created} new, ${items.updated} rewritten`);
    console.log(`  users   ${users.created} new, ${users.updated} rewritten`);
    console.log(`  events  ${events.stored} stored, ${events.duplicates} duplicates`);
    console.log(`Generated in ${seconds.generate} s, stored in ${seconds.fill} s. Ground truth: ${result.truthPath}`);
  } finally {
    await services.close();
  }
}

async function replay(config: Config, options: SimulateCliOptions, shopOptions: { seed: number; users: number; items: number; days: number }): Promise<void> {
  const key = options.key ?? config.adminKey;
  if (!key) throw AppError.invalid('--replay needs an API key: pass --key (or set SHOPWISE_ADMIN_KEY)', { field: 'key' });
  const rate = numberOption('rate', options.rate, 200);
  const batchSize = options.batch === undefined ? undefined : intOption('batch', options.batch, 0, 1, 100_000);
  const durationSeconds = options.duration === undefined ? undefined : numberOption('duration', options.duration, 0);
  const shop = generateShop(shopOptions);
  if (!options.json) console.log(`Replaying ${shop.events.length} events of the demo shop (seed ${shopOptions.seed}) to ${options.replay} at ${rate}/s…`);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const bar = options.json ? undefined : progressBar('events');
  try {
    const result = await replayTraffic({
      url: options.replay!, key, workspace: config.defaultWorkspace, events: shop.events, rate, batchSize, durationSeconds,
      signal: controller.signal, onProgress: (p) => bar?.update(p.sent, p.total),
    });
    bar?.stop();
    if (options.json) console.log(JSON.stringify(result, null, 2));
    else console.log(`Sent ${result.sent} events in ${result.seconds} s (${result.ratePerSecond}/s): ${result.stored} stored, ${result.duplicates} duplicates, ${result.rejected} rejected.`);
  } finally {
    bar?.stop();
    process.removeListener('SIGINT', onSignal);
  }
}

function intOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < min || n > max) throw AppError.invalid(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`, { field: name });
  return n;
}

function numberOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n <= 0) throw AppError.invalid(`--${name} must be a positive number, got ${JSON.stringify(raw)}`, { field: name });
  return n;
}
