import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Command, CommanderError } from 'commander';
import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { formatConfusion, scoreClassification } from '../../dialog/nlu/classification-metrics.js';
import { loadTextClassifier, saveTextClassifier } from '../../dialog/nlu/classifier-file.js';
import { FORMAT_HELP, loadNluSplit, NLU_FORMATS, splitNlu, type NluFormat, type NluSplit, type NluTask } from '../../dialog/nlu/nlu-corpus.js';
import { slotF1 } from '../../dialog/nlu/slot-f1.js';
import { trainSlotTagger, type SlotTagger } from '../../dialog/nlu/slot-tagger.js';
import { loadSlotTaggerFile, saveSlotTaggerFile, SLOT_TAGGER_FILE } from '../../dialog/nlu/slot-tagger-file.js';
import { trainTextClassifier, type NeuralTextClassifier, type TrainReport } from '../../dialog/nlu/text-classifier.js';
import { configFrom } from '../global-options.js';

interface NluCliOptions {
  task: string;
  format?: string;
  train?: string;
  test?: string;
  textCol?: string;
  labelCol?: string;
  json?: boolean;
  predictions?: string;
  seed: string;
  budget: string;
  architecture: string;
  out?: string;
  model?: string;
  split?: string;
  threads: string;
}

const HELP = `
Formats (--format):
${NLU_FORMATS.map((f) => `  ${f.padEnd(6)} ${FORMAT_HELP[f]}`).join('\n')}

eval trains on --train and scores --test (or, without --test, a seeded --split of --train);
train also writes the classifier to --out DIR (classifier.json + weights.bin) and, for snips and
cais, the slot tagger (${SLOT_TAGGER_FILE}); test loads --model DIR and scores --test, slot F1 too when
DIR has a slot tagger and --test has slot tags. For snips and cais the slots come from the BiGRU-CRF
slot tagger trained alongside the classifier; both train at the same time, each within --budget
seconds, and train_seconds is the wall-clock time of the two. A relative path that does not exist is
looked up in the data sets directory (--datasets).

Examples:
  shopwise nlu eval --format snips --train nlu/snips/train --test nlu/snips/valid
  shopwise nlu eval --format cais --train nlu/cais-zh/train --test nlu/cais-zh/valid --json
  shopwise nlu eval --format csv --train nlu/banking77/train.csv --test nlu/banking77/test.csv --label-col category
  shopwise nlu eval --task sentiment --format csv --train sentiment/sst2/train.tsv --test sentiment/sst2/dev.tsv --text-col sentence,content
  shopwise nlu eval --task sentiment --format csv --train sentiment/online_shopping_10_cats.csv --text-col review --split 0.9 --seed 1
  shopwise nlu train --format yaml --train data/nlu.yml --out models/intent && shopwise nlu test --format yaml --model models/intent --test data/test.yml
  shopwise nlu train --format snips --train nlu/snips/train --out models/snips && shopwise nlu test --format snips --model models/snips --test nlu/snips/test --json`;

/**
 * `shopwise nlu train|eval|test`: trains the intent or sentiment classifier (text CNN or BiGRU with
 * attention, chosen on a held-out slice of train) and, for tagged corpora, the slot tagger; scores a
 * test split: accuracy, macro F1, per-label figures, slot F1, a confusion matrix (or `--json`, one
 * document), and `--predictions` writes one JSON line per test example. Progress goes to stderr.
 *
 * @example registerNlu(program); // shopwise nlu eval --format snips --train nlu/snips/train --test nlu/snips/valid
 */
export function registerNlu(program: Command): void {
  const nlu = program.command('nlu').description('train and score the intent / sentiment classifiers and the slot tagger');
  const common = (c: Command) =>
    c
      .option('--task <task>', 'intent | sentiment', 'intent')
      .option('-f, --format <format>', NLU_FORMATS.join(' | '))
      .option('--test <path>', 'the split to score')
      .option('--text-col <names>', 'csv: text column (comma-separated alternatives)', 'text')
      .option('--label-col <names>', 'csv: label column (comma-separated alternatives)', 'label')
      .option('--json', 'print one JSON document on stdout')
      .option('--predictions <file>', 'write one JSON line per test example')
      .option('--threads <n>', 'onnxruntime threads per operator', '1')
      .addHelpText('after', HELP)
      .exitOverride((error: CommanderError) => {
        if (error.exitCode !== 0) process.exit(2);
      });
  const training = (c: Command) =>
    common(c)
      .option('--train <path>', 'the training split')
      .option('--seed <seed>', 'seed of the split, initialisation and shuffling', 'shopwise-nlu')
      .option('--budget <seconds>', 'training seconds (classifier and slot tagger train at the same time, each within it)', '110')
      .option('--architecture <name>', 'auto (the better of both on a held-out slice of train, or their average) | cnn | bigru-att', 'auto')
      .option('--split <share>', 'without --test: train on this seeded share of --train, score the rest');
  training(nlu.command('eval').description('train on --train and score --test')).action(async (o: NluCliOptions, cmd: Command) => run('eval', o, cmd));
  training(nlu.command('train').description('train on --train, save the classifier (and the slot tagger) to --out, score --test if given'))
    .option('--out <dir>', 'directory to save the classifier and the slot tagger in')
    .action(async (o: NluCliOptions, cmd: Command) => run('train', o, cmd));
  common(nlu.command('test').description('load --model and score --test'))
    .option('--model <dir>', 'a directory written by `nlu train --out` (its slot tagger scores slots when --test has tags)')
    .action(async (o: NluCliOptions, cmd: Command) => run('test', o, cmd));
}

async function run(mode: 'eval' | 'train' | 'test', o: NluCliOptions, command: Command): Promise<void> {
  const config = configFrom(command);
  const log = (line: string) => process.stderr.write(line + '\n');
  const resolvePath = (p: string) => (existsSync(p) || isAbsolute(p) ? p : join(config.datasetsDir, p));
  if (o.task !== 'intent' && o.task !== 'sentiment') throw AppError.invalid(`--task must be intent or sentiment, got ${o.task}`, { field: 'task' });
  const task: NluTask = o.task;
  if (!o.format || !NLU_FORMATS.includes(o.format as NluFormat)) throw AppError.invalid(`--format must be one of ${NLU_FORMATS.join(', ')}`, { field: 'format' });
  const format = o.format as NluFormat;
  const threads = positiveInt(o.threads, 'threads');
  const loadOptions = { task, format, textCol: o.textCol, labelCol: o.labelCol };

  let classifier: NeuralTextClassifier;
  let tagger: SlotTagger | undefined;
  let test: NluSplit | undefined;
  let report: (TrainReport & { slotSeconds?: number; intentSeconds?: number; slotHeldOutF1?: number; wallSeconds?: number }) | undefined;
  if (mode === 'test') {
    const dir = o.model ?? o.out;
    if (!dir) throw AppError.invalid('nlu test needs --model DIR (written by nlu train --out DIR)', { field: 'model' });
    if (!o.test) throw AppError.invalid('nlu test needs --test PATH', { field: 'test' });
    classifier = await loadTextClassifier(dir, { threads });
    log(`loaded the ${classifier.architecture} classifier from ${dir}: ${classifier.labels.length} labels`);
    test = await loadNluSplit(resolvePath(o.test), loadOptions, 'test');
    if (test.tags) tagger = await loadTagger(dir, threads, log);
  } else {
    if (!o.train) throw AppError.invalid(`nlu ${mode} needs --train PATH`, { field: 'train' });
    if (mode === 'train' && !o.out) throw AppError.invalid('nlu train needs --out DIR to save the classifier in', { field: 'out' });
    const budget = positiveNumber(o.budget, 'budget');
    if (!['auto', 'cnn', 'bigru-att'].includes(o.architecture)) throw AppError.invalid(`--architecture must be auto, cnn or bigru-att, got ${o.architecture}`, { field: 'architecture' });
    let train = await loadNluSplit(resolvePath(o.train), loadOptions, 'train');
    if (o.test) test = await loadNluSplit(resolvePath(o.test), loadOptions, 'test');
    else if (o.split !== undefined) {
      const share = Number(o.split);
      ({ train, test } = splitNlu(train, share, new SeededRandom(o.seed).fork('split')));
      log(`seeded split (--split ${share}, --seed ${o.seed}): ${train.texts.length} train / ${test.texts.length} test`);
    } else if (mode === 'eval') {
      throw AppError.invalid('nlu eval needs --test PATH or --split SHARE', { field: 'test' });
    }
    log(`${train.texts.length} training examples, ${new Set(train.labels).size} labels${test ? `; ${test.texts.length} test examples` : ''}`);
    const withSlots = task === 'intent' && train.tags !== undefined;
    // The classifier and the slot tagger train at the same time (onnxruntime runs each session off the
    // main thread), each within the whole budget, so the run's training time is the longer of the two.
    const trainStart = performance.now();
    const intentRun = trainTextClassifier(train.texts.map((text, i) => ({ text, label: train.labels[i]! })), {
      architecture: o.architecture as 'auto', seed: o.seed, budgetSeconds: budget, threads,
      onProgress: (p) => log(`${task} ${p.architecture} epoch ${p.epoch}: held-out accuracy ${p.heldOutAccuracy === undefined ? '–' : pct(p.heldOutAccuracy)}, ${p.seconds.toFixed(1)} s`),
    });
    const slotRun = withSlots
      ? trainSlotTagger(train.tokens!.map((tokens, i) => ({ tokens, tags: train.tags![i]!, intent: train.labels[i] })), {
          seed: o.seed, budgetSeconds: budget, threads,
          onProgress: (p) => log(`slots epoch ${p.epoch}: held-out F1 ${p.heldOutF1 === undefined ? '–' : pct(p.heldOutF1)}, ${p.seconds.toFixed(1)} s`),
        })
      : undefined;
    const [trained, slots] = await Promise.all([intentRun, slotRun]);
    classifier = trained.classifier;
    report = { ...trained.report, intentSeconds: trained.report.trainSeconds, wallSeconds: (performance.now() - trainStart) / 1000 };
    log(`${task} classifier: ${report.architecture} (${report.candidates.map((c) => `${c.architecture} ${pct(c.heldOutAccuracy)}`).join(', ')} on the held-out slice of train), ${report.trainSeconds.toFixed(1)} s`);
    if (slots) {
      tagger = slots.tagger;
      report.slotSeconds = slots.report.trainSeconds;
      report.slotHeldOutF1 = slots.report.heldOutF1;
      log(`slot tagger: ${slots.report.epochs} epochs, held-out F1 ${pct(slots.report.heldOutF1)}, ${slots.report.trainSeconds.toFixed(1)} s`);
    }
    if (mode === 'train') {
      await saveTextClassifier(classifier, o.out!, { task, format, ...report });
      if (tagger) await saveSlotTaggerFile(tagger, o.out!);
      log(`saved the classifier${tagger ? ` and the slot tagger (${SLOT_TAGGER_FILE})` : ''} to ${o.out}`);
    }
  }
  const trainSeconds = report?.wallSeconds ?? null;
  if (!test) {
    if (o.json) process.stdout.write(JSON.stringify({ task, train_seconds: trainSeconds, report }, null, 2) + '\n');
    return;
  }
  const scoreStart = performance.now();
  const predicted = await classifier.classify(test.texts);
  const scores = scoreClassification(test.labels, predicted);
  let predTags: string[][] | undefined;
  let slots: ReturnType<typeof slotF1> | undefined;
  if (tagger && test.tokens && test.tags) {
    predTags = await tagger.predictMany(test.tokens);
    slots = slotF1(test.tags, predTags);
  }
  const scoreSeconds = (performance.now() - scoreStart) / 1000;
  if (o.predictions) {
    const lines = test.texts.map((text, i) => JSON.stringify({ text, gold_intent: test.labels[i], pred_intent: predicted[i], gold_tags: test.tags?.[i] ?? null, pred_tags: predTags?.[i] ?? null }));
    await writeFile(o.predictions, lines.join('\n') + '\n');
    log(`wrote ${lines.length} predictions to ${o.predictions}`);
  }
  const perLabel = Object.fromEntries(Object.entries(scores.perLabel).map(([l, s]) => [l, { precision: round(s.precision), recall: round(s.recall), f1: round(s.f1), support: s.support }]));
  const result = {
    task, intent_accuracy: round(scores.accuracy), slot_f1: slots ? round(slots.f1) : null, macro_f1: round(scores.macroF1),
    train_seconds: trainSeconds === null ? null : round(trainSeconds, 1), per_label: perLabel,
    architecture: classifier.architecture, test_examples: test.texts.length, score_seconds: round(scoreSeconds, 1),
    ...(report ? { held_out_accuracy: round(report.heldOutAccuracy), candidates: report.candidates, intent_seconds: round(report.intentSeconds ?? 0, 1), slot_seconds: report.slotSeconds === undefined ? null : round(report.slotSeconds, 1) } : {}),
  };
  if (o.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const what = task === 'sentiment' ? 'accuracy' : 'intent accuracy';
  const lines = [
    `${what} ${pct(scores.accuracy)} (${test.texts.length} test examples), macro F1 ${pct(scores.macroF1)}` + (slots ? `, slot F1 ${pct(slots.f1)} (P ${pct(slots.precision)}, R ${pct(slots.recall)})` : ''),
    trainSeconds === null ? `model ${classifier.architecture}` : `model ${classifier.architecture}; training ${trainSeconds.toFixed(1)} s` + (report?.slotSeconds !== undefined ? ` (intent classifier ${report.intentSeconds!.toFixed(1)} s and slot tagger ${report.slotSeconds.toFixed(1)} s, trained at the same time)` : ''),
    '',
    formatConfusion(scores.confusion),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** The slot tagger saved beside the classifier; none when the model was trained without slots. */
async function loadTagger(dir: string, threads: number, log: (line: string) => void): Promise<SlotTagger | undefined> {
  try {
    const tagger = await loadSlotTaggerFile(dir, { threads });
    log(`loaded the slot tagger from ${dir}: ${tagger.tagNames.length} tags`);
    return tagger;
  } catch (error) {
    if ((error as AppError).kind !== 'not_found') throw error;
    log(`${dir} has no slot tagger (${SLOT_TAGGER_FILE}; \`nlu train\` saves one for snips and cais): slot_f1 is null`);
    return undefined;
  }
}

function pct(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(2)}%`;
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function positiveInt(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw AppError.invalid(`--${name} must be a whole number ≥ 1, got ${text}`, { field: name });
  return n;
}

function positiveNumber(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw AppError.invalid(`--${name} must be a number > 0, got ${text}`, { field: name });
  return n;
}
