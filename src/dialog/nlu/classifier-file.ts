import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { LabelSet } from '../../text/label-set.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { ARCHITECTURES, createModel, onnxBackend, type ModelConfig } from './classifier-models.js';
import { FeatureVocabulary } from './feature-vocabulary.js';
import { NeuralTextClassifier } from './text-classifier.js';

/** File names inside a classifier directory. */
export const CLASSIFIER_FILES = { meta: 'classifier.json', weights: 'weights.bin' } as const;

/**
 * `classifier.json`: everything but the weights, readable by people.
 * `weights.bin`: the model's ParamStore file (src/nn/layers/param-file.ts: versioned binary, named
 * float32 tensors — the embedding table and every layer — with the model config as metadata).
 */
export interface ClassifierFileJson {
  format: 'shopwise-text-classifier';
  version: 1;
  architecture: 'cnn' | 'bigru-att';
  /** The network's config (sizes, rates), as `defaultConfig` made it. */
  model: ModelConfig;
  /** Class names by id. */
  labels: string[];
  /** Feature vocabulary tokens by id (`<pad>`, `<unk>`, then features and `~suffix` back-offs). */
  vocabulary: string[];
  /** Softmax temperature fitted on the held-out slice of train. */
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
  const meta: ClassifierFileJson = {
    format: 'shopwise-text-classifier', version: 1, architecture: classifier.architecture, model: classifier.modelConfig,
    labels: [...classifier.labels], vocabulary: JSON.parse(classifier.features.vocabulary.save()).tokens as string[],
    temperature: classifier.temperature, report, createdAt: new Date().toISOString(),
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, CLASSIFIER_FILES.weights), classifier.model.save());
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
  const model = createModel(meta.model, new SeededRandom('loaded'), onnxBackend(options.threads ?? 1));
  try {
    model.load(weights);
  } catch (error) {
    throw AppError.invalid(`${weightsPath} does not fit ${metaPath}: ${(error as Error).message}`, { field: weightsPath });
  }
  return new NeuralTextClassifier(model, meta.model, vocabulary, labels, typeof meta.temperature === 'number' ? meta.temperature : 1);
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
