import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/errors.js';
import { tokenize } from '../tokenize.js';

/** One split of a SNIPS / ATIS style corpus, line by line: utterance tokens, their BIO slot tags, the intent. */
export interface SeqInOutCorpus {
  /** Tokens of each utterance (from `seq.in`, split on whitespace, lower-cased unless told otherwise). */
  tokens: string[][];
  /** One BIO tag per token (from `seq.out`), e.g. `['O', 'B-artist', 'I-artist']`. */
  tags: string[][];
  /** The intent of each utterance (from `label`), as written, e.g. `PlayMusic` or `atis_flight#atis_airfare`. */
  intents: string[];
}

export interface SeqInOutOptions {
  /** Lower-case the utterance tokens (default true); tags and intents are never changed. */
  lowercase?: boolean;
}

/** The three files of a split, in the order they are read. */
export const SEQ_IN_OUT_FILES = ['seq.in', 'seq.out', 'label'] as const;

/**
 * Reads one split directory of the SNIPS / ATIS joint intent + slot format (as published with
 * JointBERT and slot-gated models): `seq.in` holds one tokenized utterance a line, `seq.out` its BIO
 * tags (one per token), `label` its intent. The files must have the same number of lines, every
 * utterance at least one token and as many tags as tokens, every intent a non-empty line; otherwise an
 * `AppError('invalid')` names the file and the 1-based line (`detail.field` is the offending file's
 * path — for a line-count mismatch the file that disagrees with `seq.in` — and `detail.index` the line). A missing file is `AppError('not_found')`. Nothing about a particular corpus is assumed:
 * intents and tags are whatever the files hold.
 *
 * @example
 * const train = await readSeqInOut(join(datasetsDir, 'nlu/snips/train'));
 * train.tokens[0]; // ['listen', 'to', 'westbam', 'alumb', 'allergic', 'on', 'google', 'music']
 * train.intents[0]; // 'PlayMusic'
 */
export async function readSeqInOut(dir: string, options: SeqInOutOptions = {}): Promise<SeqInOutCorpus> {
  const [inPath, outPath, labelPath] = SEQ_IN_OUT_FILES.map((f) => join(dir, f)) as [string, string, string];
  const [inLines, outLines, labelLines] = await Promise.all([readLines(inPath), readLines(outPath), readLines(labelPath)]);
  for (const [path, lines] of [[outPath, outLines], [labelPath, labelLines]] as const) {
    if (lines.length === inLines.length) continue;
    const first = Math.min(lines.length, inLines.length) + 1;
    const [shortPath, longPath] = lines.length < inLines.length ? [path, inPath] : [inPath, path];
    throw AppError.invalid(
      `${path} has ${lines.length} lines but ${inPath} has ${inLines.length}: line ${first} of ${longPath} has no counterpart in ${shortPath}`,
      { field: path, index: first },
    );
  }
  const lowercase = options.lowercase ?? true;
  const corpus: SeqInOutCorpus = { tokens: [], tags: [], intents: [] };
  for (let i = 0; i < inLines.length; i++) {
    const line = i + 1;
    const tokens = tokenize(inLines[i]!, { mode: 'whitespace', lowercase });
    if (tokens.length === 0) throw AppError.invalid(`${inPath} line ${line} is an empty utterance`, { field: inPath, index: line });
    const tags = tokenize(outLines[i]!, { mode: 'whitespace', lowercase: false });
    if (tags.length !== tokens.length) {
      throw AppError.invalid(`${outPath} line ${line} has ${tags.length} tags for the ${tokens.length} tokens of ${inPath} line ${line}`, { field: outPath, index: line });
    }
    const intent = labelLines[i]!.trim();
    if (intent === '') throw AppError.invalid(`${labelPath} line ${line} has no intent`, { field: labelPath, index: line });
    corpus.tokens.push(tokens);
    corpus.tags.push(tags);
    corpus.intents.push(intent);
  }
  return corpus;
}

/**
 * The lines of a UTF-8 text file (LF or CRLF, a BOM and one final newline ignored); a missing file is
 * `AppError('not_found')`.
 *
 * @example const lines = await readLines('train/seq.in');
 */
export async function readLines(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw AppError.notFound(`${path} does not exist`, { field: path });
    throw AppError.unavailable(`${path} cannot be read: ${(error as Error).message}`, error);
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
