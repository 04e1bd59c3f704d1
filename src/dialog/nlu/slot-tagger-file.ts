import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/errors.js';
import { readModelFile } from './classifier-file.js';
import { loadSlotTagger, type SlotTagger, type SlotTaggerOptions } from './slot-tagger.js';

/** The slot tagger's file inside a model directory, beside the classifier's `classifier.json` + `weights.bin`. */
export const SLOT_TAGGER_FILE = 'slots.bin';

/**
 * Writes a trained slot tagger to `<dir>/slots.bin` (the dir is created if missing; written to a
 * temporary file first, so a crash never leaves half a file under the real name).
 *
 * @example await saveSlotTaggerFile(tagger, 'models/snips');
 */
export async function saveSlotTaggerFile(tagger: SlotTagger, dir: string): Promise<string> {
  const path = join(dir, SLOT_TAGGER_FILE);
  await mkdir(dir, { recursive: true });
  await writeFile(`${path}.tmp`, tagger.save());
  await rename(`${path}.tmp`, path);
  return path;
}

/**
 * Reads the slot tagger `saveSlotTaggerFile` wrote in `dir`. No file is `AppError('not_found')`; a file
 * that is not a slot tagger (or is cut short) is `AppError('invalid')` naming the file.
 *
 * @example const tagger = await loadSlotTaggerFile('models/snips', { threads: 1 });
 */
export async function loadSlotTaggerFile(dir: string, options: Pick<SlotTaggerOptions, 'threads' | 'executor'> = {}): Promise<SlotTagger> {
  const path = join(dir, SLOT_TAGGER_FILE);
  const bytes = await readModelFile(path);
  try {
    return await loadSlotTagger(bytes, options);
  } catch (error) {
    throw AppError.invalid(`${path} is not a usable slot tagger: ${(error as Error).message}`, { field: path });
  }
}
