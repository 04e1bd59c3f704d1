import type { Item } from '../../core/catalog.js';
import { AppError } from '../../core/errors.js';
import type { CatalogCache, CatalogSnapshot } from '../catalog-cache.js';
import { catalogVocabulary } from '../domain/catalog-vocabulary.js';
import { generateDomainTrainingSet } from '../domain/domain-generator.js';
import type { TrainingExample } from '../nlu.js';
import { Gazetteer } from './gazetteer.js';
import { exactTable, maskEntities, NluPipeline, ruleSlots } from './nlu-pipeline.js';
import { type ClassifierExample, type ClassifierOptions, type TextClassifier, trainTextClassifier } from './text-classifier.js';

/** Trains a TextClassifier (helper of the nn engine by default; injectable for tests). */
export type ClassifierTrainer = (examples: ClassifierExample[], options: ClassifierOptions) => Promise<{ classifier: TextClassifier; report?: { heldOutAccuracy: number; trainSeconds: number; candidates?: Array<{ epochs?: number }> } }>;

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
}

export interface DomainNluReport {
  examples: number;
  intents: number;
  trainSeconds: number;
  /** Held-out accuracy (a slice of the generated set) and epochs of the intent and emotion classifiers, when the trainer reports them. */
  intent?: { heldOutAccuracy: number; epochs?: number };
  emotion?: { heldOutAccuracy: number; epochs?: number };
}

function summary(report: Awaited<ReturnType<ClassifierTrainer>>['report']): DomainNluReport['intent'] {
  return report ? { heldOutAccuracy: report.heldOutAccuracy, epochs: report.candidates?.[0]?.epochs } : undefined;
}

/**
 * Trains the intent and emotion classifiers of a shop on Shopwise's generated domain (plus the shop's
 * own examples), with entities masked the way the pipeline masks them, and returns the pipeline.
 *
 * @example const { pipeline } = await trainDomainNlu(items, { budgetSeconds: 6 });
 */
export async function trainDomainNlu(items: readonly Item[], options: DomainNluOptions = {}, extra: TrainingExample[] = [], gazetteer?: Gazetteer): Promise<{ pipeline: NluPipeline; report: DomainNluReport }> {
  const started = performance.now();
  const set = generateDomainTrainingSet(items, { seed: options.seed, perIntent: options.perIntent });
  const g = gazetteer ?? Gazetteer.fromVocabulary(catalogVocabulary(items), set);
  const examples = [...set.examples, ...extra];
  const masked = examples.map((e) => maskEntities(e.text, ruleSlots(g, e.text)));
  const trainer = options.trainer ?? trainTextClassifier;
  const budget = options.budgetSeconds ?? 20;
  const common = { architecture: options.architecture ?? 'cnn', threads: options.threads ?? 1, seed: options.seed ?? 'domain-nlu' } as const;
  const epochs = options.maxEpochs ?? 6;
  // Masking makes many utterances identical ("我想买 qcat"): train on each distinct one once, so an epoch is shorter.
  const intent = await trainer(balanced(distinct(examples.map((e, i) => ({ text: masked[i]!, label: e.intent })))), { ...common, maxEpochs: epochs, budgetSeconds: budget * 0.7 });
  const emotion = await trainer(distinct(examples.map((e, i) => ({ text: masked[i]!, label: e.emotion ?? 'neutral' }))), { ...common, maxEpochs: Math.max(1, Math.ceil(epochs / 2)), budgetSeconds: budget * 0.3 });
  const exact = exactTable(examples.map((e, i) => ({ text: masked[i]!, label: e.intent })));
  const pipeline = new NluPipeline({ gazetteer: g, intent: intent.classifier, emotion: emotion.classifier, outOfScopeThreshold: options.outOfScopeThreshold, exact });
  return {
    pipeline,
    report: {
      examples: examples.length, intents: new Set(examples.map((e) => e.intent)).size, trainSeconds: (performance.now() - started) / 1000,
      intent: summary(intent.report), emotion: summary(emotion.report),
    },
  };
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

interface Entry {
  pipeline?: NluPipeline;
  /** Vocabulary key (CatalogSnapshot.vocabularyKey) of the catalog the models were trained on. */
  trainedOn?: string;
  training?: Promise<NluPipeline>;
  timer?: NodeJS.Timeout;
  /** The pipeline with the latest catalog's gazetteer, per vocabulary key. */
  current?: { key: string; pipeline: NluPipeline };
  report?: DomainNluReport;
}

/**
 * The NLU of every workspace: trained on the first chat of a workspace (that request waits for it, a
 * few seconds), cached, and retrained in the background when the catalog's vocabulary changes (new
 * brands, categories, colours or sizes; debounced, so an import of many items trains once; price and
 * stock updates do not retrain). Meanwhile the old models keep answering with the new catalog's
 * gazetteer, so no later request waits.
 *
 * @example
 * const nlu = new WorkspaceNlu(catalogs, { budgetSeconds: 6 });
 * const result = await (await nlu.parser('demo')).parse('有没有蓝色的连衣裙');
 */
export class WorkspaceNlu {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(private readonly catalogs: CatalogCache, private readonly options: DomainNluOptions & { debounceMs?: number } = {}) {
    catalogs.onChange((snapshot) => this.schedule(snapshot.workspaceId));
  }

  /** The workspace's parser; trains it first when there is none yet. */
  async parser(workspaceId: string): Promise<NluPipeline> {
    const snapshot = await this.catalogs.get(workspaceId);
    const entry = this.entry(workspaceId);
    if (!entry.pipeline) return this.withCatalog(entry, snapshot, await this.train(workspaceId, entry, snapshot));
    if (entry.trainedOn !== snapshot.vocabularyKey && !entry.training && !entry.timer) this.schedule(workspaceId);
    return this.withCatalog(entry, snapshot, entry.pipeline);
  }

  /** What the last training of the workspace reported. */
  report(workspaceId: string): DomainNluReport | undefined {
    return this.entries.get(workspaceId)?.report;
  }

  /** Stops pending retrains. */
  close(): void {
    this.closed = true;
    for (const e of this.entries.values()) if (e.timer) clearTimeout(e.timer);
  }

  private entry(workspaceId: string): Entry {
    let entry = this.entries.get(workspaceId);
    if (!entry) this.entries.set(workspaceId, (entry = {}));
    return entry;
  }

  private withCatalog(entry: Entry, snapshot: CatalogSnapshot, pipeline: NluPipeline): NluPipeline {
    if (entry.trainedOn === snapshot.vocabularyKey) return pipeline;
    if (entry.current?.key !== snapshot.vocabularyKey) entry.current = { key: snapshot.vocabularyKey, pipeline: pipeline.withGazetteer(snapshot.gazetteer) };
    return entry.current.pipeline;
  }

  private schedule(workspaceId: string): void {
    const entry = this.entry(workspaceId);
    if (this.closed || !entry.pipeline) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void this.catalogs.get(workspaceId)
        .then((snapshot) => (entry.trainedOn === snapshot.vocabularyKey ? undefined : this.train(workspaceId, entry, snapshot)))
        .catch(() => undefined); // the old models keep serving; the next change tries again
    }, this.options.debounceMs ?? 5000);
    entry.timer.unref?.();
  }

  private train(workspaceId: string, entry: Entry, snapshot: CatalogSnapshot): Promise<NluPipeline> {
    if (entry.training) return entry.training;
    if (snapshot.items.length === 0) {
      return Promise.reject(AppError.unavailable(`the catalog of workspace ${workspaceId} is empty; the assistant needs items (POST /v1/items) to learn what the shop sells`));
    }
    const run = (async () => {
      const extra = this.options.shopExamples ? await this.options.shopExamples(workspaceId) : [];
      const { pipeline, report } = await trainDomainNlu(snapshot.items, this.options, extra, snapshot.gazetteer);
      entry.pipeline = pipeline;
      entry.trainedOn = snapshot.vocabularyKey;
      entry.current = undefined;
      entry.report = report;
      return pipeline;
    })().finally(() => {
      entry.training = undefined;
    });
    entry.training = run;
    return run;
  }
}
