import { readFile } from 'node:fs/promises';
import { AppError } from '../../core/errors.js';

/** The intent CLINC150's `oos_*` splits map to. */
export const OUT_OF_SCOPE = 'out_of_scope';

export interface ClincSplits {
  train: Array<{ text: string; label: string }>;
  val: Array<{ text: string; label: string }>;
  test: Array<{ text: string; label: string }>;
}

/**
 * Reads a CLINC150 file (`data_full.json`, `data_small.json`, `data_imbalanced.json`, `data_oos_plus.json`):
 * `{"train": [[text, intent], …], "val": […], "test": […], "oos_train": […], "oos_val": […], "oos_test": […]}`.
 * Each split gets its `oos_` counterpart appended with the intent `out_of_scope` (whatever label the
 * file gives those rows). Missing splits are empty; a row that is not `[text, intent]` is
 * `AppError('invalid')` naming the file, the split (`detail.column`) and the row index.
 *
 * @example
 * const { train, test } = await readClinc('clinc150/data_full.json');
 * train.filter((r) => r.label === 'out_of_scope').length; // 100
 */
export async function readClinc(path: string): Promise<ClincSplits> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw AppError.notFound(`${path} does not exist`, { field: path });
    throw AppError.unavailable(`${path} cannot be read: ${(error as Error).message}`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw AppError.invalid(`${path} is not JSON: ${(error as Error).message}`, { field: path });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw AppError.invalid(`${path} must hold a JSON object with train / val / test lists`, { field: path });
  const data = json as Record<string, unknown>;
  if (!['train', 'val', 'test'].some((k) => k in data)) throw AppError.invalid(`${path} has none of the CLINC150 splits train, val, test (keys: ${Object.keys(data).slice(0, 8).join(', ')})`, { field: path });
  const split = (name: string, forcedLabel?: string): Array<{ text: string; label: string }> => {
    const rows = data[name];
    if (rows === undefined) return [];
    if (!Array.isArray(rows)) throw AppError.invalid(`${path}: "${name}" must be a list of [text, intent] pairs`, { field: path, column: name });
    return rows.map((row: unknown, index) => {
      if (!Array.isArray(row) || typeof row[0] !== 'string' || (forcedLabel === undefined && typeof row[1] !== 'string')) {
        throw AppError.invalid(`${path}: ${name}[${index}] is not a [text, intent] pair: ${JSON.stringify(row)?.slice(0, 80)}`, { field: path, column: name, index });
      }
      return { text: row[0], label: forcedLabel ?? (row[1] as string) };
    });
  };
  return {
    train: [...split('train'), ...split('oos_train', OUT_OF_SCOPE)],
    val: [...split('val'), ...split('oos_val', OUT_OF_SCOPE)],
    test: [...split('test'), ...split('oos_test', OUT_OF_SCOPE)],
  };
}
