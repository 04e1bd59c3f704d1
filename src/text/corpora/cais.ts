import { AppError } from '../../core/errors.js';
import { readLines, type SeqInOutCorpus } from './seq-in-out.js';

export interface CaisOptions {
  /** Lower-case the tokens (default true, as `readSeqInOut`); tags and intents are never changed. */
  lowercase?: boolean;
}

const TAG_LINE = /^(.+) (\S+)$/u;
const BIOES_TAG = /^(?:O|[BIES]-\S+)$/;

/**
 * Reads one split of the CAIS corpus (Chinese, from the CM-Net release) into the shape of
 * `readSeqInOut`: the tag file holds one `char TAG` line per character (the last space separates the
 * two, so a space character reads as the token " "), with a blank line between utterances; its tags are
 * BIOES and come back as BIO (S- → B-, E- → I-). The intent file holds one intent a line, one per
 * utterance. Blank lines in a row count as one; CRLF and a BOM are accepted. A line that is not
 * `token TAG`, a tag that is not BIOES, an empty intent, or a count of intents that differs from the
 * count of utterances is an `AppError('invalid')` naming the file and 1-based line (`detail.field` the
 * file, `detail.index` the line); a missing file is `AppError('not_found')`.
 *
 * @example
 * const train = await readCais(join(dir, 'train/ch.train'), join(dir, 'train/ch.train.intent'));
 * train.tokens[0]; // ['我', '要', '听', '吴', '雨', '霏', '的', '歌']
 * train.tags[0];   // ['O', 'O', 'O', 'B-singer_name', 'I-singer_name', 'I-singer_name', 'O', 'O']
 */
export async function readCais(tagFile: string, intentFile: string, options: CaisOptions = {}): Promise<SeqInOutCorpus> {
  const [tagLines, intentLines] = await Promise.all([readLines(tagFile), readLines(intentFile)]);
  const lowercase = options.lowercase ?? true;
  const corpus: SeqInOutCorpus = { tokens: [], tags: [], intents: [] };
  /** 1-based line of each utterance's first character. */
  const firstLines: number[] = [];
  let tokens: string[] = [];
  let tags: string[] = [];
  const flush = () => {
    if (tokens.length === 0) return;
    corpus.tokens.push(tokens);
    corpus.tags.push(tags.map(toBio));
    tokens = [];
    tags = [];
  };
  tagLines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return flush();
    const m = TAG_LINE.exec(raw);
    if (!m) throw AppError.invalid(`${tagFile} line ${line} is not "character TAG": ${JSON.stringify(raw)}`, { field: tagFile, index: line });
    const [, token, tag] = m as unknown as [string, string, string];
    if (!BIOES_TAG.test(tag)) throw AppError.invalid(`${tagFile} line ${line} has the tag "${tag}", which is not O or B-, I-, E-, S- with a slot type`, { field: tagFile, index: line });
    if (tokens.length === 0) firstLines.push(line);
    tokens.push(lowercase ? token.toLowerCase() : token);
    tags.push(tag);
  });
  flush();
  if (corpus.tokens.length === 0) throw AppError.invalid(`${tagFile} holds no utterances`, { field: tagFile });
  if (intentLines.length !== corpus.tokens.length) {
    const n = Math.min(intentLines.length, corpus.tokens.length);
    const where = intentLines.length < corpus.tokens.length ? `utterance ${n + 1} (${tagFile} line ${firstLines[n]}) has no intent` : `${intentFile} line ${n + 1} has no utterance`;
    throw AppError.invalid(`${intentFile} has ${intentLines.length} intents but ${tagFile} has ${corpus.tokens.length} utterances: ${where}`, {
      field: intentFile,
      index: n + 1,
    });
  }
  intentLines.forEach((raw, i) => {
    const intent = raw.trim();
    if (intent === '') throw AppError.invalid(`${intentFile} line ${i + 1} has no intent`, { field: intentFile, index: i + 1 });
    corpus.intents.push(intent);
  });
  return corpus;
}

function toBio(tag: string): string {
  if (tag.startsWith('S-')) return `B-${tag.slice(2)}`;
  if (tag.startsWith('E-')) return `I-${tag.slice(2)}`;
  return tag;
}
