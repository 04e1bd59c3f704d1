import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createServices, type Services } from '../../app/services.js';
import { fillDemoShop } from '../../simulate/fill.js';
import { configFrom } from '../global-options.js';
import type { CliRuntime } from '../runtime.js';
import { progressBar } from '../progress.js';
import { describeJob, trainWithProgress } from './train.js';

export function registerStart(program: Command, runtime: CliRuntime): void {
  program
    .command('start')
    .description('run the server (creates the default workspace and prints its admin key on first start)')
    .action(async (_options, command: Command) => {
      const services = await createServices(configFrom(command));
      const { generatedKey } = await services.keys.bootstrap(services.config.defaultWorkspace, services.config.adminKey);
      await serve(services, runtime, generatedKey);
    });

  program
    .command('demo')
    .description('run the server with a demo shop: fills it with simulated data on first run (what `npm start` does)')
    .action(async (_options, command: Command) => {
      const services = await createServices(configFrom(command));
      const { config } = services;
      const { generatedKey } = await services.keys.bootstrap(config.defaultWorkspace, config.adminKey);
      // The demo keeps its admin key in the data dir so every run can print it; `start` shows it only once.
      const keyFile = join(config.dataDir, 'demo-admin.key');
      if (generatedKey) {
        mkdirSync(config.dataDir, { recursive: true });
        writeFileSync(keyFile, generatedKey + '\n', { mode: 0o600 });
      }
      if ((await services.storage.events.count(config.defaultWorkspace)) === 0) {
        console.log(`Filling the demo shop (seed ${config.demoSeed}: ${config.demoUsers} users, ${config.demoItems} items, ${config.demoDays} days)…`);
        const bar = progressBar('events');
        const counts = await fillDemoShop(services, { seed: config.demoSeed, users: config.demoUsers, items: config.demoItems, days: config.demoDays }, (done, total) => bar.update(done, total));
        bar.stop();
        const n = (x: number) => x.toLocaleString('en-US');
        console.log(`Demo shop ready: ${n(counts.items.created + counts.items.updated)} items, ${n(counts.users.created + counts.users.updated)} users, ${n(counts.events.stored)} events (generated in ${counts.seconds.generate} s, stored in ${counts.seconds.fill} s; ground truth in ${counts.truthPath})`);
      }
      if (!(await trainDemoModels(services))) {
        await services.close();
        process.exit(130);
      }
      // Photo search learns the demo shop in the background (it answers 503 until its model is ready,
      // about a minute); the assistant's NLU is prepared by serve(), as for every server.
      void services.photoSearch.prepare(config.defaultWorkspace).catch(() => undefined);
      const key = generatedKey ?? config.adminKey ?? '';
      await serve(services, runtime, key || (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined), true);
    });
}

/**
 * Trains what the demo serves when no version of it exists yet: config `recommendModel` as "default"
 * (recommendations, similar items) and popularity as "popular" (the baseline, `?model=popular`).
 * False when Ctrl-C cancelled a training.
 */
async function trainDemoModels(services: Services): Promise<boolean> {
  const { config, storage } = services;
  const ws = config.defaultWorkspace;
  // The popular slot's holdout figure would only repeat the popularity baseline the default model's reports.
  for (const [name, model, holdout] of [['default', config.recommendModel, true], ['popular', 'popularity', false]] as const) {
    const latest = (await storage.models.list(ws, name))[0];
    if (latest) {
      console.log(`Serving ${latest.model} as "${name}" (version ${latest.version}); retrain with \`shopwise train${name === 'default' ? '' : ` --model ${model} --name ${name}`}\`.`);
      continue;
    }
    console.log(`Training ${model} as "${name}" on the demo shop…`);
    const job = await trainWithProgress(services, { workspaceId: ws, model, name, holdout });
    console.log(describeJob(job));
    if (job.status === 'cancelled') return false;
  }
  return true;
}

async function serve(services: Services, runtime: CliRuntime, adminKey: string | undefined, demo = false): Promise<void> {
  const server = await runtime.startServer(services);
  const ws = services.config.defaultWorkspace;
  console.log(`\nShopwise is running at ${server.url}  (API docs: ${server.url}/docs, storage: ${services.storage.capabilities.dialect})`);
  if (adminKey) {
    console.log(`Admin key of workspace "${ws}": ${adminKey}${demo ? '' : '\n(shown once; keep it: only its hash is stored)'}`);
  } else if (services.config.adminKey) {
    console.log(`Admin key of workspace "${ws}": the one configured (adminKey / SHOPWISE_ADMIN_KEY).`);
  } else {
    console.log(`Workspace "${ws}" already has an admin key (keys are stored hashed; create another with POST /v1/keys).`);
  }
  console.log(`Try: curl -H "Authorization: Bearer <key>" ${server.url}/v1/workspace${demo ? '' : '\n'}`);
  if (demo) {
    const user = (await services.storage.users.list(ws, { limit: 1 })).items[0]?.id ?? 'some-user';
    console.log(`     curl -H "Authorization: Bearer <key>" "${server.url}/v1/recommend/${encodeURIComponent(user)}?n=5"\n`);
  }
  // The assistant loads its saved NLU, or trains it, in the background (the default workspace first), so
  // the first chat normally does not wait (one during the training waits for it); after the banner, so
  // its log lines follow it.
  const others = (await services.storage.workspaces.listWorkspaces()).map((w) => w.id).filter((id) => id !== ws);
  void services.nlu.prepareAll([ws, ...others]);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping; events already acknowledged are committed.`);
    await server.close();
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
