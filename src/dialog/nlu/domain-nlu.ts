import { createHash } from 'node:crypto';
import type { Item } from '../../core/catalog.js';
import { catalogVocabulary } from '../domain/catalog-vocabulary.js';
import { generateDomainTrainingSet } from '../domain/domain-generator.js';
import type { TrainingExample } from '../nlu.js';
import { taggedUtterances, TaggerSlotSource } from './domain-slots.js';
import { Gazetteer } from './gazetteer.js';
import { exactTable, maskEntities, NluPipeline, ruleSlots } from './nlu-pipeline.js';
import { type SlotModelParams, type SlotTagger, type SlotTaggerOptions, type SlotTaggerReport, type TaggedUtterance, trainSlotTagger } from './slot-tagger.js';
import { type ClassifierExample, type ClassifierOptions, type TextClassifier, trainTextClassifier } from './text-classifier.js';

/** Trains a TextClassifier (helper of the nn engine by default; injectable for tests). */
export type ClassifierTrainer = (examples: ClassifierExample[], options: ClassifierOptions) => Promise<{ classifier: TextClassifier; report?: { heldOutAccuracy: number; trainSeconds: number; candidates?: Array<{ epochs?: number }> } }>;

/** Trains a SlotTagger (`trainSlotTagger` by default; injectable for tests). */
export type SlotTaggerTrainer = (train: TaggedUtterance[], options: SlotTaggerOptions) => Promise<{ tagger: SlotTagger; report?: Pick<SlotTaggerReport, 'epochs' | 'heldOutF1' | 'trainSeconds'> }>;

/** The domain slot tagger's training: bounded in epochs first, so it does not depend on how busy the machine is. */
export interface DomainSlotOptions {
  /** Most epochs (default 12; early stopping on the held-out F1 usually ends about there). */
  epochs?: number;
  /** Seconds at most (default 15), a guard for a very slow machine. */
  budgetSeconds?: number;
  model?: Partial<SlotModelParams>;
}

// 12 epochs of the default BiGRU-CRF on the demo shop's 2,900 generated utterances: 9 s, held-out span F1 0.97
// (early stopping kept epoch 9), one thread on this 2-core machine.
const DEFAULT_SLOTS: Required<Omit<DomainSlotOptions, 'model'>> = { epochs: 12, budgetSeconds: 15 };

export interface DomainNluOptions {
  trainer?: ClassifierTrainer;
  /**
   * Seconds for both classifiers together at most (default 20; the intent model gets 70%). Training
   * normally ends earlier, after `maxEpochs` or by early stopping, so the models do not depend on how
   * busy the machine is; the budget only guards against a very slow one.
   */
  budgetSeconds?: number;
  /** Most epochs of the intent classifier (default 6); the emotion classifier takes half as many. */
  maxEpochs?: number;
  architecture?: 'cnn' | 'bigru-att' | 'auto';
  seed?: string;
  /** Domain examples per intent and language (default 150). */
  perIntent?: number;
  threads?: number;
  outOfScopeThreshold?: number;
  /** The shop's own labelled utterances of a workspace, added to the domain examples. */
  shopExamples?: (workspaceId: string) => Promise<TrainingExample[]>;
  /**
   * The BiGRU-CRF slot tagger trained after the classifiers on the examples' entity spans; its slots
   * fill what the gazetteer and rules miss (typos of catalog names). `false`: no tagger.
   */
  slots?: false | DomainSlotOptions;
  slotTrainer?: SlotTaggerTrainer;
  /** Hears a line per step of the training. */
  log?: (line: string) => void;
}

export interface DomainNluReport {
  examples: number;
  intents: number;
  trainSeconds: number;
  /** Held-out accuracy (a slice of the generated set) and epochs of the intent and emotion classifiers, when the trainer reports them. */
  intent?: { heldOutAccuracy: number; epochs?: number };
  emotion?: { heldOutAccuracy: number; epochs?: number };
  /** The slot tagger's held-out span F1, epochs and seconds, when one was trained. */
  slots?: { heldOutF1?: number; epochs: number; trainSeconds: number };
}

/** What a domain NLU is made of besides the catalog's gazetteer: what is saved and loaded. */
export interface DomainNluModels {
  intent: TextClassifier;
  emotion: TextClassifier;
  tagger?: SlotTagger;
  /** Masked training utterances with one intent (see `exactTable`). */
  exact: ReadonlyMap<string, string>;
}

function summary(report: Awaited<ReturnType<ClassifierTrainer>>['report']): DomainNluReport['intent'] {
  return report ? { heldOutAccuracy: report.heldOutAccuracy, epochs: report.candidates?.[0]?.epochs } : undefined;
}

const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`);

/**
 * The pipeline of trained (or loaded) models over a catalog's gazetteer, the tagger as its slot model.
 *
 * @example const pipeline = domainPipeline(snapshot.gazetteer, models);
 */
export function domainPipeline(gazetteer: Gazetteer, models: DomainNluModels, outOfScopeThreshold?: number): NluPipeline {
  return new NluPipeline({
    gazetteer, intent: models.intent, emotion: models.emotion, outOfScopeThreshold, exact: models.exact,
    slotModel: models.tagger ? new TaggerSlotSource(models.tagger) : undefined,
  });
}

/**
 * Trains the intent and emotion classifiers of a shop on Shopwise's generated domain (plus the shop's
 * own examples), with entities masked the way the pipeline masks them, then (unless `slots: false`)
 * the slot tagger on the examples' entity spans, and returns the pipeline and the models.
 *
 * @example const { pipeline } = await trainDomainNlu(items, { budgetSeconds: 6 });
 */
export async function trainDomainNlu(items: readonly Item[], options: DomainNluOptions = {}, extra: TrainingExample[] = [], gazetteer?: Gazetteer): Promise<{ pipeline: NluPipeline; report: DomainNluReport; models: DomainNluModels }> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const set = generateDomainTrainingSet(items, { seed: options.seed, perIntent: options.perIntent });
  const g = gazetteer ?? Gazetteer.fromVocabulary(catalogVocabulary(items), set);
  const examples = [...set.examples, ...extra];
  const masked = examples.map((e) => maskEntities(e.text, ruleSlots(g, e.text)));
  const trainer = options.trainer ?? trainTextClassifier;
  const budget = options.budgetSeconds ?? 20;
  const common = { architecture: options.architecture ?? 'cnn', threads: options.threads ?? 1, seed: options.seed ?? 'domain-nlu' } as const;
  const epochs = options.maxEpochs ?? 6;
  log(`training the intent classifier on ${examples.length} utterances (${new Set(examples.map((e) => e.intent)).size} intents, at most ${epochs} epochs)`);
  // Masking makes many utterances identical ("我想买 qcat"): train on each distinct one once, so an epoch is shorter.
  const intent = await trainer(balanced(distinct(examples.map((e, i) => ({ text: masked[i]!, label: e.intent })))), { ...common, maxEpochs: epochs, budgetSeconds: budget * 0.7 });
  log(`intent classifier: held-out accuracy ${pct(intent.report?.heldOutAccuracy)}, ${seconds(started)} s; training the emotion classifier`);
  const emotion = await trainer(distinct(examples.map((e, i) => ({ text: masked[i]!, label: e.emotion ?? 'neutral' }))), { ...common, maxEpochs: Math.max(1, Math.ceil(epochs / 2)), budgetSeconds: budget * 0.3 });
  log(`emotion classifier: held-out accuracy ${pct(emotion.report?.heldOutAccuracy)}, ${seconds(started)} s`);
  const slots = options.slots === false ? undefined : await trainDomainSlots(examples, { ...DEFAULT_SLOTS, ...options.slots }, options, log);
  const models: DomainNluModels = { intent: intent.classifier, emotion: emotion.classifier, tagger: slots?.tagger, exact: exactTable(examples.map((e, i) => ({ text: masked[i]!, label: e.intent }))) };
  return {
    pipeline: domainPipeline(g, models, options.outOfScopeThreshold),
    models,
    report: {
      examples: examples.length, intents: new Set(examples.map((e) => e.intent)).size, trainSeconds: (performance.now() - started) / 1000,
      intent: summary(intent.report), emotion: summary(emotion.report), slots: slots?.report,
    },
  };
}

async function trainDomainSlots(examples: readonly TrainingExample[], slots: DomainSlotOptions, options: DomainNluOptions, log: (line: string) => void): Promise<{ tagger: SlotTagger; report?: DomainNluReport['slots'] }> {
  const tagged = taggedUtterances(examples);
  log(`training the slot tagger on ${tagged.length} utterances (at most ${slots.epochs} epochs or ${slots.budgetSeconds} s)`);
  const { tagger, report } = await (options.slotTrainer ?? trainSlotTagger)(tagged, {
    seed: options.seed ?? 'domain-nlu', threads: options.threads ?? 1, epochs: slots.epochs, budgetSeconds: slots.budgetSeconds, model: slots.model,
  });
  if (report) log(`slot tagger: ${report.epochs} epochs, held-out span F1 ${pct(report.heldOutF1)}, ${report.trainSeconds.toFixed(1)} s`);
  return { tagger, report: report && { heldOutF1: report.heldOutF1, epochs: report.epochs, trainSeconds: report.trainSeconds } };
}

/** Bump when the generated domain, the masking or the models change in a way that makes saved models wrong. */
export const DOMAIN_NLU_VERSION = 1;

/** What a workspace's saved NLU was trained on: reused only when all of it matches. */
export interface DomainNluKey {
  version: number;
  /** CatalogSnapshot.vocabularyKey of the catalog. */
  vocabularyKey: string;
  /** The training options that shape the models, and a hash of the shop's own examples (JSON). */
  training: string;
}

/**
 * The key of the models `trainDomainNlu` would train for a catalog vocabulary, these options and the
 * shop's examples. Threads are left out: they change how fast, not what, it trains.
 *
 * @example domainNluKey(snapshot.vocabularyKey, options, []).training // '{"seed":null,"perIntent":150,…}'
 */
export function domainNluKey(vocabularyKey: string, options: DomainNluOptions, extra: readonly TrainingExample[]): DomainNluKey {
  const training = {
    seed: options.seed ?? null, perIntent: options.perIntent ?? 150, maxEpochs: options.maxEpochs ?? 6, budgetSeconds: options.budgetSeconds ?? 20,
    architecture: options.architecture ?? 'cnn', slots: options.slots === false ? false : { ...DEFAULT_SLOTS, ...options.slots },
    shopExamples: extra.length === 0 ? null : createHash('sha256').update(JSON.stringify(extra)).digest('hex').slice(0, 16),
  };
  return { version: DOMAIN_NLU_VERSION, vocabularyKey, training: JSON.stringify(training) };
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

function distinct(examples: ClassifierExample[]): ClassifierExample[] {
  const seen = new Set<string>();
  return examples.filter((e) => {
    const key = `${e.label}\u0000${e.text.replace(/\s+/gu, ' ').trim()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Repeats the examples of small classes (few templates: greetings, thanks) up to half the largest class. */
function balanced(examples: ClassifierExample[]): ClassifierExample[] {
  const groups = new Map<string, ClassifierExample[]>();
  for (const e of examples) groups.set(e.label, [...(groups.get(e.label) ?? []), e]);
  const target = Math.floor(Math.max(...[...groups.values()].map((g) => g.length)) / 2);
  const out = [...examples];
  for (const group of groups.values()) for (let k = group.length; k < target; k++) out.push(group[k % group.length]!);
  return out;
}

