import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/errors.js';
import { loadTextClassifier, readModelFile, saveTextClassifier } from './classifier-file.js';
import { DOMAIN_NLU_VERSION, type DomainNluKey, type DomainNluModels, type DomainNluReport } from './domain-nlu.js';
import { loadSlotTaggerFile, saveSlotTaggerFile, SLOT_TAGGER_FILE } from './slot-tagger-file.js';
import { NeuralTextClassifier } from './text-classifier.js';

/**
 * `nlu.json`, written last, so a directory without it (a save cut short) is never read: what the
 * models were trained on, when, how it went, and the exact-match table. Beside it `intent/` and
 * `emotion/` (classifier directories, see classifier-file.ts) and `slots.bin` (the slot tagger).
 */
export interface DomainNluManifest {
  format: 'shopwise-domain-nlu';
  version: number;
  key: DomainNluKey;
  trainedAt: string;
  report: DomainNluReport;
  /** Whether `slots.bin` belongs to these models. */
  slotTagger: boolean;
  exact: Array<[string, string]>;
}

const MANIFEST = 'nlu.json';

/**
 * Writes a workspace's trained domain NLU to `dir`. The manifest goes first out and last in, so a
 * reader never takes new weights for the old models or the other way round. Classifiers that cannot
 * be saved (an injected trainer's) are `AppError('invalid')`.
 *
 * @example await saveDomainNlu(join(dataDir, 'models', 'nlu', 'demo'), { key, trainedAt, report, models });
 */
export async function saveDomainNlu(dir: string, saved: { key: DomainNluKey; trainedAt: string; report: DomainNluReport; models: DomainNluModels }): Promise<void> {
  const { intent, emotion, tagger, exact } = saved.models;
  if (!(intent instanceof NeuralTextClassifier && emotion instanceof NeuralTextClassifier)) {
    throw AppError.invalid('these classifiers cannot be saved (they come from an injected trainer, not trainTextClassifier)', { field: 'trainer' });
  }
  await mkdir(dir, { recursive: true });
  await rm(join(dir, MANIFEST), { force: true });
  await saveTextClassifier(intent, join(dir, 'intent'), saved.report.intent);
  await saveTextClassifier(emotion, join(dir, 'emotion'), saved.report.emotion);
  if (tagger) await saveSlotTaggerFile(tagger, dir);
  else await rm(join(dir, SLOT_TAGGER_FILE), { force: true });
  const manifest: DomainNluManifest = {
    format: 'shopwise-domain-nlu', version: DOMAIN_NLU_VERSION, key: saved.key, trainedAt: saved.trainedAt, report: saved.report,
    slotTagger: tagger !== undefined, exact: [...exact],
  };
  await writeFile(join(dir, `${MANIFEST}.tmp`), JSON.stringify(manifest) + '\n');
  await rename(join(dir, `${MANIFEST}.tmp`), join(dir, MANIFEST));
}

/**
 * The manifest of the models saved in `dir`. None there is `AppError('not_found')`; one that is not
 * JSON, not of this format or of another version is `AppError('invalid')` saying so.
 *
 * @example const manifest = await readDomainNluManifest(dir); manifest.key.vocabularyKey === snapshot.vocabularyKey
 */
export async function readDomainNluManifest(dir: string): Promise<DomainNluManifest> {
  const path = join(dir, MANIFEST);
  const text = await readModelFile(path, 'utf8');
  let manifest: Partial<DomainNluManifest>;
  try {
    manifest = JSON.parse(text) as Partial<DomainNluManifest>;
  } catch (error) {
    throw AppError.invalid(`${path} is not JSON: ${(error as Error).message}`, { field: path });
  }
  if (manifest.format !== 'shopwise-domain-nlu') throw AppError.invalid(`${path} is not a shopwise-domain-nlu manifest`, { field: path });
  if (manifest.version !== DOMAIN_NLU_VERSION) throw AppError.invalid(`${path} is version ${String(manifest.version)}; this Shopwise trains version ${DOMAIN_NLU_VERSION}`, { field: path });
  if (!manifest.key || !Array.isArray(manifest.exact) || typeof manifest.trainedAt !== 'string') throw AppError.invalid(`${path} lacks its key, trainedAt or exact table`, { field: path });
  return manifest as DomainNluManifest;
}

/**
 * The models a manifest names, read from `dir`. A missing or corrupt file is an AppError naming it.
 *
 * @example const models = await loadDomainNluModels(dir, manifest, { threads: 1 });
 */
export async function loadDomainNluModels(dir: string, manifest: DomainNluManifest, options: { threads?: number } = {}): Promise<DomainNluModels> {
  const [intent, emotion, tagger] = await Promise.all([
    loadTextClassifier(join(dir, 'intent'), options),
    loadTextClassifier(join(dir, 'emotion'), options),
    manifest.slotTagger ? loadSlotTaggerFile(dir, options) : undefined,
  ]);
  return { intent, emotion, tagger, exact: new Map(manifest.exact) };
}
