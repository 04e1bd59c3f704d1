import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { readCais } from '../../text/corpora/cais.js';
import { readClinc } from '../../text/corpora/clinc.js';
import { readLabelledCsv, splitRows } from '../../text/corpora/csv.js';
import { readNluTrainingData } from '../../text/corpora/rasa-yaml.js';
import { readSeqInOut, type SeqInOutCorpus } from '../../text/corpora/seq-in-out.js';

/** The corpus formats `shopwise nlu` reads. @example NLU_FORMATS.includes('cais') // true */
export const NLU_FORMATS = ['snips', 'cais', 'csv', 'yaml', 'clinc'] as const;
export type NluFormat = (typeof NLU_FORMATS)[number];
export type NluTask = 'intent' | 'sentiment';

/** Labelled utterances of one split; `tokens` and `tags` (BIO) when the format carries slot tags. */
export interface NluSplit {
  texts: string[];
  labels: string[];
  tokens?: string[][];
  tags?: string[][];
}

export interface LoadNluOptions {
  task: NluTask;
  format: NluFormat;
  /** CSV header names (comma-separated alternatives; defaults `text`, `label`). */
  textCol?: string;
  labelCol?: string;
}

/** One line of help per format. @example FORMAT_HELP.csv */
export const FORMAT_HELP: Record<NluFormat, string> = {
  snips: 'a SNIPS/ATIS split directory with seq.in, seq.out (BIO tags) and label',
  cais: 'a CAIS tag file (`char TAG` lines, BIOES, blank line between utterances) with its intent file beside it (<file>.intent), or the split directory holding both',
  csv: 'a CSV file with a header row (TSV when it ends in .tsv); --text-col and --label-col name the columns',
  yaml: 'Shopwise/Rasa-style NLU YAML (or .json): intents with examples and [entity](type) annotations; sentiment reads metadata.emotion',
  clinc: 'a CLINC150 JSON file (train/val/test lists, oos_* splits → out_of_scope); --test may be the same file (its test split)',
};

/**
 * Reads one split of an NLU corpus in any of the supported formats for the intent or sentiment task.
 * SNIPS tokens are joined with spaces, CAIS characters without (so jieba sees Chinese text), and both
 * keep their tokens and BIO tags for the slot tagger. `split` picks a CLINC150 split.
 *
 * @example const train = await loadNluSplit('nlu/snips/train', { task: 'intent', format: 'snips' });
 */
export async function loadNluSplit(path: string, options: LoadNluOptions, split: 'train' | 'test' = 'train'): Promise<NluSplit> {
  const { task, format } = options;
  if (task === 'sentiment' && (format === 'snips' || format === 'cais' || format === 'clinc')) {
    throw AppError.invalid(`--task sentiment needs labelled texts (csv or yaml), not the ${format} intent format`, { field: 'format' });
  }
  if (!existsSync(path)) throw AppError.notFound(`${path} does not exist`, { field: path });
  switch (format) {
    case 'snips':
      return fromSeq(await readSeqInOut(path), ' ');
    case 'cais': {
      const [tagFile, intentFile] = await caisFiles(path);
      return fromSeq(await readCais(tagFile, intentFile), '');
    }
    case 'csv': {
      const { rows } = await readLabelledCsv(path, { textCol: options.textCol, labelCol: options.labelCol ?? (task === 'sentiment' ? 'label' : undefined) });
      return { texts: rows.map((r) => r.text), labels: rows.map((r) => r.label) };
    }
    case 'yaml': {
      const data = await readNluTrainingData(path);
      const examples = task === 'sentiment' ? data.examples.filter((e) => e.emotion) : data.examples;
      if (examples.length === 0) throw AppError.invalid(`${path} has no ${task === 'sentiment' ? 'examples with metadata.emotion' : 'intent examples'}`, { field: path });
      return { texts: examples.map((e) => e.text), labels: examples.map((e) => (task === 'sentiment' ? e.emotion! : e.intent)) };
    }
    case 'clinc': {
      const splits = await readClinc(path);
      const rows = splits[split];
      if (rows.length === 0) throw AppError.invalid(`${path} has no ${split} split`, { field: path });
      return { texts: rows.map((r) => r.text), labels: rows.map((r) => r.label) };
    }
    default:
      throw AppError.invalid(`unknown format ${String(format)} (${NLU_FORMATS.join(', ')})`, { field: 'format' });
  }
}

/**
 * A seeded split of one corpus into train and test (`share` trains), e.g. `--split 0.9`.
 *
 * @example const { train, test } = splitNlu(all, 0.9, rng.fork('split'));
 */
export function splitNlu(all: NluSplit, share: number, rng: SeededRandom): { train: NluSplit; test: NluSplit } {
  const { train, test } = splitRows(all.texts.map((_, i) => i), share, (items) => rng.shuffle(items));
  const pick = (idx: number[]): NluSplit => ({
    texts: idx.map((i) => all.texts[i]!), labels: idx.map((i) => all.labels[i]!),
    ...(all.tokens ? { tokens: idx.map((i) => all.tokens![i]!) } : {}), ...(all.tags ? { tags: idx.map((i) => all.tags![i]!) } : {}),
  });
  return { train: pick(train), test: pick(test) };
}

function fromSeq(corpus: SeqInOutCorpus, joiner: string): NluSplit {
  return { texts: corpus.tokens.map((t) => t.join(joiner)), labels: corpus.intents, tokens: corpus.tokens, tags: corpus.tags };
}

/** The tag file and intent file of a CAIS split: `<file>` + `<file>.intent`, or found in a directory. */
async function caisFiles(path: string): Promise<[string, string]> {
  if (!statSync(path).isDirectory()) return [path, `${path}.intent`];
  const names = await readdir(path);
  const tagName = names.find((n) => names.includes(`${n}.intent`));
  if (!tagName) throw AppError.invalid(`${path} holds no CAIS pair <file> + <file>.intent (found ${names.join(', ')})`, { field: path });
  return [join(path, tagName), join(path, `${tagName}.intent`)];
}
