import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSeqInOut } from './seq-in-out.js';

const root = mkdtempSync(join(tmpdir(), 'seq-in-out-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface SplitLines {
  in: string[];
  out: string[];
  label: string[];
}

/** Writes a split directory (seq.in, seq.out, label) holding `lines`, each ending with `eol`. */
function makeSplit(name: string, lines: SplitLines, eol = '\n'): string {
  const dir = join(root, name);
  mkdirSync(dir);
  const write = (file: string, rows: string[]) => writeFileSync(join(dir, file), rows.map((r) => r + eol).join(''));
  write('seq.in', lines.in);
  write('seq.out', lines.out);
  write('label', lines.label);
  return dir;
}

const good: SplitLines = {
  in: ['Play Jazz by Miles  Davis ', 'rate this book 4 of 6', 'will it rain in  Paris'],
  out: ['O B-genre O B-artist I-artist ', 'O B-object_select B-object_type B-rating_value O B-best_rating', 'O O O O B-city'],
  label: ['PlayMusic', 'RateBook', 'GetWeather'],
};

/** The AppError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<{ kind: string; message: string; detail: { field?: string; index?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected a rejection');
}

describe('readSeqInOut', () => {
  it('reads tokens (lower-cased, split on whitespace runs), tags and intents line by line', async () => {
    const corpus = await readSeqInOut(makeSplit('good', good));
    expect(corpus.tokens).toEqual([['play', 'jazz', 'by', 'miles', 'davis'], ['rate', 'this', 'book', '4', 'of', '6'], ['will', 'it', 'rain', 'in', 'paris']]);
    expect(corpus.tags[0]).toEqual(['O', 'B-genre', 'O', 'B-artist', 'I-artist']);
    expect(corpus.intents).toEqual(['PlayMusic', 'RateBook', 'GetWeather']);
    const cased = await readSeqInOut(makeSplit('cased', good, '\r\n'), { lowercase: false });
    expect(cased.tokens[0]![1]).toBe('Jazz');
    expect(cased.intents).toEqual(corpus.intents);
  });

  it('rejects a line-count mismatch naming the file and the first line without a counterpart', async () => {
    const dir = makeSplit('short-out', { ...good, out: good.out.slice(0, 2) });
    const error = await failure(readSeqInOut(dir));
    expect(error.kind).toBe('invalid');
    expect(error.message).toContain(`${join(dir, 'seq.out')} has 2 lines but ${join(dir, 'seq.in')} has 3: line 3 of ${join(dir, 'seq.in')}`);
    expect(error.detail).toEqual({ field: join(dir, 'seq.out'), index: 3 });
    const long = await failure(readSeqInOut(makeSplit('long-label', { ...good, label: [...good.label, 'PlayMusic'] })));
    expect(long.message).toMatch(/label has 4 lines but .*seq\.in has 3: line 4 of .*label has no counterpart/);
  });

  it('rejects a line whose tag count differs from its token count, an empty utterance and an empty intent', async () => {
    const tags = await failure(readSeqInOut(makeSplit('tags', { ...good, out: [good.out[0]!, 'O O', good.out[2]!] })));
    expect(tags.message).toMatch(/seq\.out line 2 has 2 tags for the 6 tokens of .*seq\.in line 2/);
    expect(tags.detail.index).toBe(2);
    const empty = await failure(readSeqInOut(makeSplit('empty', { ...good, in: [good.in[0]!, good.in[1]!, '  '], out: [good.out[0]!, good.out[1]!, ''] })));
    expect(empty.message).toMatch(/seq\.in line 3 is an empty utterance/);
    const intent = await failure(readSeqInOut(makeSplit('intent', { ...good, label: ['PlayMusic', ' ', 'GetWeather'] })));
    expect(intent.message).toMatch(/label line 2 has no intent/);
    expect(intent.detail).toEqual({ field: join(root, 'intent', 'label'), index: 2 });
  });

  it('says which file is missing', async () => {
    const dir = join(root, 'missing');
    mkdirSync(dir);
    writeFileSync(join(dir, 'seq.in'), 'a\n');
    writeFileSync(join(dir, 'label'), 'X\n');
    const error = await failure(readSeqInOut(dir));
    expect(error.kind).toBe('not_found');
    expect(error.message).toBe(`${join(dir, 'seq.out')} does not exist`);
  });
});
