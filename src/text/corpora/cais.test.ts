import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { readCais } from './cais.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cais-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function files(tags: string, intents: string): Promise<[string, string]> {
  const n = Math.random().toString(36).slice(2);
  const t = join(dir, `${n}.train`);
  const i = join(dir, `${n}.intent`);
  await writeFile(t, tags);
  await writeFile(i, intents);
  return [t, i];
}

async function failure(tags: string, intents: string): Promise<AppError> {
  const [t, i] = await files(tags, intents);
  try {
    await readCais(t, i);
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected readCais to fail');
}

describe('readCais', () => {
  it('reads characters as tokens and BIOES tags as BIO, one intent per utterance', async () => {
    const [t, i] = await files('我 O\n要 O\n听 O\n吴 B-singer_name\n雨 I-singer_name\n霏 E-singer_name\n\n播 O\n放 O\n晴 S-song_name\n', 'PlayMusic\nPlayMusic\n');
    const corpus = await readCais(t, i);
    expect(corpus.tokens).toEqual([['我', '要', '听', '吴', '雨', '霏'], ['播', '放', '晴']]);
    expect(corpus.tags).toEqual([['O', 'O', 'O', 'B-singer_name', 'I-singer_name', 'I-singer_name'], ['O', 'O', 'B-song_name']]);
    expect(corpus.intents).toEqual(['PlayMusic', 'PlayMusic']);
  });

  it('keeps a space character as a token, lower-cases Latin letters, accepts CRLF, a BOM and repeated blank lines', async () => {
    const [t, i] = await files('\uFEFFA B-x\r\n  I-x\r\nb E-x\r\n\r\n\r\n好 O\r\n\r\n', 'Chat\r\nChat\r\n');
    const corpus = await readCais(t, i);
    expect(corpus.tokens).toEqual([['a', ' ', 'b'], ['好']]);
    expect(corpus.tags[0]).toEqual(['B-x', 'I-x', 'I-x']);
    const [t2, i2] = await files('A O\n', 'Chat\n');
    expect((await readCais(t2, i2, { lowercase: false })).tokens).toEqual([['A']]);
  });

  it('names the file and line of a line without a tag', async () => {
    const error = await failure('我 O\n要\n', 'Chat\n');
    expect(error).toBeInstanceOf(AppError);
    expect(error.kind).toBe('invalid');
    expect(error.detail.index).toBe(2);
    expect(String(error.detail.field)).toMatch(/\.train$/);
    expect(error.message).toMatch(/line 2/);
  });

  it('names the file and line of a tag that is not BIOES', async () => {
    const error = await failure('我 O\n\n要 X-thing\n', 'Chat\nChat\n');
    expect(error.detail.index).toBe(3);
    expect(error.message).toMatch(/X-thing/);
  });

  it('reports an intent count that differs from the utterance count, and empty intents', async () => {
    const fewer = await failure('我 O\n\n要 O\n', 'Chat\n');
    expect(String(fewer.detail.field)).toMatch(/\.intent$/);
    expect(fewer.message).toMatch(/utterance 2 .*line 3/);
    const more = await failure('我 O\n', 'Chat\nChat\n');
    expect(more.message).toMatch(/line 2 has no utterance/);
    const empty = await failure('我 O\n\n要 O\n', 'Chat\n \n');
    expect(empty.detail.index).toBe(2);
    expect(empty.message).toMatch(/no intent/);
  });

  it('is not_found for a missing file and invalid for an empty one', async () => {
    await expect(readCais(join(dir, 'nope'), join(dir, 'nope.intent'))).rejects.toMatchObject({ kind: 'not_found' });
    const empty = await failure('', '');
    expect(empty.message).toMatch(/no utterances/);
  });
});
