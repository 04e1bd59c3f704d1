import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { LabelSet } from '../../text/label-set.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { ARCHITECTURES, createModel, onnxBackend, type ModelConfig } from './classifier-models.js';
import { FeatureVocabulary } from './feature-vocabulary.js';
import { type ClassifierMember, NeuralTextClassifier } from './text-classifier.js';

/** File names inside a classifier directory (an ensemble's second network: `weights-2.bin`). */
export const CLASSIFIER_FILES = { meta: 'classifier.json', weights: 'weights.bin' } as const;

/**
 * `classifier.json`: everything but the weights, readable by people.
 * `weights.bin`: the model's ParamStore file (src/nn/layers/param-file.ts: versioned binary, named
 * float32 tensors — the embedding table and every layer — with the model config as metadata).
 */
export interface ClassifierFileJson {
  format: 'shopwise-text-classifier';
  version: 1;
  architecture: 'cnn' | 'bigru-att' | 'ensemble';
  /** The (first) network's config (sizes, rates), as `defaultConfig` made it. */
  model: ModelConfig;
  /** An ensemble's networks after the first, each with its config, temperature and weights file. */
  more?: Array<{ model: ModelConfig; temperature: number; weights: string }>;
  /** Class names by id. */
  labels: string[];
  /** Feature vocabulary tokens by id (`<pad>`, `<unk>`, then features and `~suffix` back-offs). */
  vocabulary: string[];
  /** Softmax temperature of the (first) network, fitted on the held-out slice of train. */
  temperature: number;
  /** What the training reported (architecture candidates, held-out accuracy, seconds). */
  report?: unknown;
  createdAt: string;
}

/**
 * Writes a trained classifier to `dir` (created if missing) as `classifier.json` + `weights.bin`.
 *
 * @example await saveTextClassifier(classifier, 'models/intent', report);
 */
export async function saveTextClassifier(classifier: NeuralTextClassifier, dir: string, report?: unknown): Promise<void> {
  const [first, ...rest] = classifier.members;
  const more = rest.map((m, k) => ({ model: m.config, temperature: m.temperature, weights: `weights-${k + 2}.bin` }));
  const meta: ClassifierFileJson = {
    format: 'shopwise-text-classifier', version: 1, architecture: classifier.architecture, model: first!.config,
    labels: [...classifier.labels], vocabulary: JSON.parse(classifier.features.vocabulary.save()).tokens as string[],
    temperature: first!.temperature, ...(more.length ? { more } : {}), report, createdAt: new Date().toISOString(),
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, CLASSIFIER_FILES.weights), first!.model.save());
  for (const [k, m] of rest.entries()) await writeFile(join(dir, more[k]!.weights), m.model.save());
  await writeFile(join(dir, CLASSIFIER_FILES.meta), JSON.stringify(meta) + '\n');
}

/**
 * Reads a classifier written by `saveTextClassifier` and rebuilds its network on the ONNX backend.
 * A missing directory or file is `AppError('not_found')`; a file that is not a classifier, or weights
 * that do not fit its config, `AppError('invalid')` naming the file.
 *
 * @example const classifier = await loadTextClassifier('models/intent'); await classifier.rank('hello');
 */
export async function loadTextClassifier(dir: string, options: { threads?: number } = {}): Promise<NeuralTextClassifier> {
  const metaPath = join(dir, CLASSIFIER_FILES.meta);
  const weightsPath = join(dir, CLASSIFIER_FILES.weights);
  const [metaText, weights] = await Promise.all([readModelFile(metaPath, 'utf8'), readModelFile(weightsPath)]);
  let meta: Partial<ClassifierFileJson>;
  try {
    meta = JSON.parse(metaText) as Partial<ClassifierFileJson>;
  } catch (error) {
    throw AppError.invalid(`${metaPath} is not JSON: ${(error as Error).message}`, { field: metaPath });
  }
  if (meta.format !== 'shopwise-text-classifier' || meta.version !== 1) throw AppError.invalid(`${metaPath} is not a shopwise-text-classifier version 1 file`, { field: metaPath });
  if (!meta.model || !ARCHITECTURES.includes(meta.model.architecture)) throw AppError.invalid(`${metaPath} has no model config of a known architecture`, { field: metaPath, column: 'model' });
  if (!Array.isArray(meta.vocabulary) || !Array.isArray(meta.labels)) throw AppError.invalid(`${metaPath} needs vocabulary and labels lists`, { field: metaPath });
  const vocabulary = new FeatureVocabulary(Vocabulary.load(JSON.stringify({ format: 'shopwise-vocabulary', version: 1, tokens: meta.vocabulary })));
  const labels = LabelSet.load(JSON.stringify(meta.labels));
  const member = (config: ModelConfig, temperature: unknown, bytes: Uint8Array, path: string): ClassifierMember => {
    const model = createModel(config, new SeededRandom('loaded'), onnxBackend(options.threads ?? 1));
    try {
      model.load(bytes);
    } catch (error) {
      throw AppError.invalid(`${path} does not fit ${metaPath}: ${(error as Error).message}`, { field: path });
    }
    return { model, config, temperature: typeof temperature === 'number' ? temperature : 1 };
  };
  const members = [member(meta.model, meta.temperature, weights, weightsPath)];
  for (const m of meta.more ?? []) {
    if (!m || !ARCHITECTURES.includes(m.model?.architecture) || typeof m.weights !== 'string' || m.weights.includes('/')) throw AppError.invalid(`${metaPath} has an ensemble member without a known architecture or weights file`, { field: metaPath, column: 'more' });
    const path = join(dir, m.weights);
    members.push(member(m.model, m.temperature, await readModelFile(path), path));
  }
  return new NeuralTextClassifier(members, vocabulary, labels);
}

/**
 * A model file's text (`'utf8'`) or bytes: a missing file is `AppError('not_found')`, one that cannot
 * be read `AppError('unavailable')`, both naming the path.
 *
 * @example const meta = await readModelFile('models/intent/classifier.json', 'utf8');
 */
export async function readModelFile(path: string, encoding: 'utf8'): Promise<string>;
export async function readModelFile(path: string): Promise<Uint8Array>;
export async function readModelFile(path: string, encoding?: 'utf8'): Promise<string | Uint8Array> {
  try {
    return encoding ? await readFile(path, encoding) : new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw AppError.notFound(`${path} does not exist`, { field: path });
    throw AppError.unavailable(`${path} cannot be read: ${(error as Error).message}`, error);
  }
}
