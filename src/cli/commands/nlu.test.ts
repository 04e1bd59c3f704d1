import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { addGlobalOptions } from '../global-options.js';
import { registerNlu } from './nlu.js';

const dir = mkdtempSync(join(tmpdir(), 'shopwise-cli-nlu-'));

/** A tiny SNIPS-style split: intent from the verb, one slot type (the thing). */
function snipsSplit(name: string, n: number, seed: string): string {
  const rng = new SeededRandom(seed);
  const things = ['jazz', 'rock', 'blues', 'pop', 'metal', 'folk'];
  const intents: Array<[string, string[]]> = [['PlayMusic', ['play', 'some']], ['AddToPlaylist', ['add', 'to', 'my', 'list']], ['RateBook', ['rate', 'this', 'book', 'about']]];
  const ins: string[] = [], outs: string[] = [], labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const [intent, words] = intents[rng.int(intents.length)]!;
    const thing = things[rng.int(things.length)]!;
    ins.push([...words, thing].join(' '));
    outs.push([...words.map(() => 'O'), 'B-thing'].join(' '));
    labels.push(intent);
  }
  const split = join(dir, 'snips', name);
  mkdirSync(split, { recursive: true });
  writeFileSync(join(split, 'seq.in'), ins.join('\n') + '\n');
  writeFileSync(join(split, 'seq.out'), outs.join('\n') + '\n');
  writeFileSync(join(split, 'label'), labels.join('\n') + '\n');
  return split;
}

async function run(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const program = addGlobalOptions(new Command('shopwise')).exitOverride();
  registerNlu(program);
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
  try {
    await program.parseAsync(['node', 'shopwise', '--datasets', dir, 'nlu', ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return { stdout: out.join(''), stderr: err.join('') };
}

describe('shopwise nlu', () => {
  it('eval on a tiny SNIPS fixture prints one JSON document and writes the predictions file', async () => {
    snipsSplit('train', 150, 'train');
    snipsSplit('valid', 30, 'valid');
    const predictions = join(dir, 'pred.jsonl');
    const { stdout, stderr } = await run('eval', '--format', 'snips', '--train', 'snips/train', '--test', 'snips/valid', '--json', '--predictions', predictions, '--budget', '10', '--architecture', 'cnn');
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['task', 'intent_accuracy', 'slot_f1', 'macro_f1', 'train_seconds', 'per_label']));
    expect(result.task).toBe('intent');
    expect(result.intent_accuracy).toBeGreaterThan(0.8);
    expect(typeof result.slot_f1).toBe('number');
    expect(result.per_label.PlayMusic).toEqual({ precision: expect.any(Number), recall: expect.any(Number), f1: expect.any(Number), support: expect.any(Number) });
    expect(result.train_seconds).toBeGreaterThan(0);
    expect(stderr).toMatch(/epoch 1/);
    const lines = readFileSync(predictions, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(30);
    expect(Object.keys(lines[0])).toEqual(['text', 'gold_intent', 'pred_intent', 'gold_tags', 'pred_tags']);
    expect(lines[0].gold_tags).toHaveLength(lines[0].text.split(' ').length);
    expect(lines[0].pred_tags).toHaveLength(lines[0].gold_tags.length);
  }, 120_000);

  it('train saves the slot tagger of a tagged corpus beside the classifier; test loads it and scores slots', async () => {
    const train = snipsSplit('train-slots', 120, 'train-slots');
    const valid = snipsSplit('valid-slots', 20, 'valid-slots');
    const model = join(dir, 'snips-model');
    const trained = await run('train', '--format', 'snips', '--train', train, '--out', model, '--budget', '6', '--architecture', 'cnn');
    expect(trained.stderr).toMatch(/saved the classifier and the slot tagger \(slots\.bin\)/);
    expect(existsSync(join(model, 'slots.bin'))).toBe(true);
    const predictions = join(dir, 'slot-pred.jsonl');
    const tested = await run('test', '--format', 'snips', '--model', model, '--test', valid, '--json', '--predictions', predictions);
    expect(tested.stderr).toMatch(/loaded the slot tagger/);
    const result = JSON.parse(tested.stdout);
    // One slot type after a fixed verb phrase: the tagger learns it in a few epochs.
    expect(result.slot_f1).toBeGreaterThan(0.8);
    const lines = readFileSync(predictions, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.every((l) => Array.isArray(l.pred_tags) && l.pred_tags.length === l.gold_tags.length)).toBe(true);
    // Without the tagger's file the classifier still scores, and slot_f1 says there is none.
    rmSync(join(model, 'slots.bin'));
    const bare = await run('test', '--format', 'snips', '--model', model, '--test', valid, '--json');
    expect(JSON.parse(bare.stdout).slot_f1).toBeNull();
    expect(bare.stderr).toMatch(/has no slot tagger/);
  }, 120_000);

  it('train saves, test loads; a CSV with --split; human output has the confusion matrix', async () => {
    const rng = new SeededRandom('csv');
    const rows = ['review,label'];
    for (let i = 0; i < 200; i++) {
      const good = rng.next() < 0.5;
      rows.push(`"${good ? '很好 great 喜欢' : '太差 awful 失望'} ${['质量', 'price', '物流', 'size'][rng.int(4)]}",${good ? 1 : 0}`);
    }
    writeFileSync(join(dir, 'reviews.csv'), rows.join('\n') + '\n');
    const model = join(dir, 'model');
    const trained = await run('train', '--task', 'sentiment', '--format', 'csv', '--train', 'reviews.csv', '--text-col', 'review', '--split', '0.8', '--seed', '7', '--out', model, '--budget', '8', '--architecture', 'cnn');
    expect(trained.stderr).toMatch(/160 train \/ 40 test/);
    expect(trained.stdout).toMatch(/accuracy \d+\.\d+% \(40 test examples\)/);
    expect(trained.stdout).toMatch(/gold \\ predicted/);
    writeFileSync(join(dir, 'test.csv'), 'review,label\n很好 great,1\n太差 awful,0\n');
    const tested = await run('test', '--task', 'sentiment', '--format', 'csv', '--model', model, '--test', 'test.csv', '--text-col', 'review', '--json');
    const result = JSON.parse(tested.stdout);
    expect(result).toMatchObject({ task: 'sentiment', intent_accuracy: 1, slot_f1: null, train_seconds: null });
  }, 120_000);

  it('bad flags are AppErrors that say what is wrong', async () => {
    await expect(run('eval', '--format', 'xml', '--train', 'a')).rejects.toThrow(/--format must be one of/);
    await expect(run('eval', '--format', 'snips', '--train', 'nowhere', '--test', 'x')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(run('eval', '--task', 'sentiment', '--format', 'snips', '--train', 'snips/train', '--test', 'snips/valid')).rejects.toThrow(/csv or yaml/);
    await expect(run('eval', '--format', 'csv', '--train', 'reviews.csv', '--text-col', 'review')).rejects.toThrow(/--test PATH or --split/);
  });
});
