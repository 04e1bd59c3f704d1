import type { Command } from 'commander';
import { createServices, type Services } from '../../app/services.js';
import type { StartTraining, TrainingJob } from '../../jobs/training-jobs.js';
import { parseEventWeights } from '../../recommend/data/feedback.js';
import { parseParamList } from '../../recommend/params.js';
import { MODELS } from '../../recommend/registry.js';
import { configFrom } from '../global-options.js';
import { progressBar } from '../progress.js';

interface TrainCliOptions {
  model?: string;
  params?: string;
  name: string;
  weights?: string;
  holdout: boolean;
  json?: boolean;
}

function modelHelp(): string {
  const lines = MODELS.map((m) => {
    const params = Object.entries(m.spec).map(([p, def]) => `${p}=${String(def.default)}`).join(', ');
    return `  ${m.name.padEnd(12)} ${m.description}${params ? `\n  ${' '.repeat(12)} params: ${params}` : ''}`;
  });
  return `
Models (--model; default: config recommendModel):
${lines.join('\n')}

The job reads the workspace's events and catalog, fits in a worker thread, saves the model as the next
version of --name in the model store; a server running on the same storage serves it within 30 s.
Ctrl-C cancels cleanly: nothing is saved.

Examples:
  shopwise train
  shopwise train --model popularity --params mode=trending,halfLifeDays=3 --name trending
  shopwise train --weights 'Order Completed=8,Product Viewed=0.5' --no-holdout`;
}

/**
 * `shopwise train [--model NAME] [--params a=1,b=2] [--name default]`: trains a recommender on the
 * default workspace's events with a progress bar and prints the version saved and the fit time.
 *
 * @example registerTrain(program); // shopwise train --model ease --params lambda=300
 */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a recommender on the shop’s events and save it as the next model version')
    .option('-m, --model <name>', 'the model (see below; default: config recommendModel)')
    .option('-p, --params <list>', 'hyper-parameters as name=value pairs separated by commas')
    .option('-n, --name <slot>', 'the slot it is saved and served under', 'default')
    .option('--weights <list>', "event weights over the defaults, e.g. 'Order Completed=8'")
    .option('--no-holdout', 'skip the leave-last-out figure (saves one fit)')
    .option('--json', 'print the finished job as JSON on stdout')
    .addHelpText('after', modelHelp())
    .action(async (options: TrainCliOptions, command: Command) => {
      const config = configFrom(command);
      const request: StartTraining = {
        workspaceId: config.defaultWorkspace, model: options.model ?? config.recommendModel, name: options.name, holdout: options.holdout,
        ...(options.params ? { params: parseParamList(options.params) } : {}),
        ...(options.weights ? { weights: parseEventWeights(options.weights) } : {}),
      };
      const services = await createServices(config);
      let job: TrainingJob;
      try {
        job = await trainWithProgress(services, request, { quiet: options.json });
      } finally {
        await services.close();
      }
      if (options.json) console.log(JSON.stringify(job, null, 2));
      else console.log(describeJob(job));
      if (job.status !== 'succeeded') process.exitCode = job.status === 'cancelled' ? 130 : 1;
    });
}

const PHASE_LABELS: Record<string, string> = {
  loading: 'Reading the events and the catalog',
  holdout: 'Fitting a copy on a leave-last-out split (the holdout figure)',
  fitting: 'Fitting',
  saving: 'Saving the version',
};

/**
 * Runs a training job with a progress bar per phase on stderr; Ctrl-C cancels the job (the worker is
 * stopped, nothing is saved) and resolves with the cancelled job.
 *
 * @example const job = await trainWithProgress(services, { workspaceId: 'demo', model: 'ease' });
 */
export async function trainWithProgress(services: Services, request: StartTraining, options: { quiet?: boolean } = {}): Promise<TrainingJob> {
  const job = services.training.start(request);
  let bar: ReturnType<typeof progressBar> | undefined;
  let shown = '';
  const unsubscribe = services.training.subscribe(job.id, ({ progress }) => {
    if (options.quiet) return;
    const key = `${progress.phase}/${progress.unit}`;
    if (key !== shown) {
      bar?.stop();
      bar = undefined;
      if (progress.phase !== shown.split('/')[0] && PHASE_LABELS[progress.phase]) {
        console.error(`${PHASE_LABELS[progress.phase]}${progress.phase === 'fitting' ? ` ${job.model}` : ''}…`);
      }
      shown = key;
      if (progress.steps > 0 && (progress.phase === 'holdout' || progress.phase === 'fitting')) bar = progressBar(progress.unit);
    }
    bar?.update(progress.step, progress.steps);
  });
  const onSignal = () => {
    if (!options.quiet) console.error('\nCancelling the training job…');
    void services.training.cancel(job.id).catch(() => undefined);
  };
  process.once('SIGINT', onSignal);
  try {
    return await services.training.wait(job.id);
  } finally {
    bar?.stop();
    unsubscribe();
    process.removeListener('SIGINT', onSignal);
  }
}

/**
 * One line saying what a finished job did: the version saved, the data, the times and the holdout figure.
 *
 * @example console.log(describeJob(await services.training.wait(id)));
 */
export function describeJob(job: TrainingJob): string {
  if (job.status === 'cancelled') return `Training ${job.model} ("${job.name}") was cancelled; nothing was saved.`;
  if (job.status !== 'succeeded') return `Training ${job.model} ("${job.name}") failed: ${job.error?.message ?? job.status}`;
  const m = job.metrics as { fit?: { seconds?: number }; data?: { users: number; items: number; rows: number }; holdout?: { k: number; users: number; hitRate: number; popularityHitRate: number } };
  const n = (x: number) => x.toLocaleString('en-US');
  const total = ((job.finishedAt ?? 0) - (job.startedAt ?? 0)) / 1000;
  const data = m.data ? ` on ${n(m.data.users)} users × ${n(m.data.items)} items (${n(m.data.rows)} interactions)` : '';
  const holdout = m.holdout
    ? `; leave-last-out hit rate@${m.holdout.k} over ${n(m.holdout.users)} users: ${m.holdout.hitRate.toFixed(3)} (popularity ${m.holdout.popularityHitRate.toFixed(3)})`
    : '';
  return `Trained ${job.model} as "${job.name}" version ${job.version}${data}: fit ${(m.fit?.seconds ?? 0).toFixed(2)} s, job ${total.toFixed(1)} s${holdout}.`;
}
