import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writeMovielensFixture } from '../src/recommend/fixtures.js';
import { MODELS } from '../src/recommend/registry.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopwise-eval-'));
const file = join(dir, 'u.data');
writeMovielensFixture(file, { users: 150, items: 120, perUser: 15, seed: 5 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real CLI (`bin/shopwise.js`) as a user would. */
async function shopwise(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/shopwise.js', '--data-dir', dir, ...args], { maxBuffer: 1 << 24 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

interface EvalJson {
  protocol: string;
  dataset: string;
  results: { model: string; params: Record<string, unknown>; fit_seconds: number; metrics: Record<string, number>; skipped?: string }[];
}

describe('shopwise eval on a MovieLens-format file', () => {
  it('surprise-5fold runs every model that predicts ratings and reports RMSE, MAE and fit seconds', async () => {
    const { stdout, code, stderr } = await shopwise('eval', '--data', file, '--format', 'movielens', '--protocol', 'surprise-5fold', '--json');
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as EvalJson;
    expect(result.protocol).toBe('surprise-5fold');
    expect(result.dataset).toBe('u.data');
    const ratingModels = MODELS.filter((m) => m.create().capabilities.ratings).map((m) => m.name);
    const ran = result.results.filter((r) => !r.skipped);
    expect(ran.map((r) => r.model).sort()).toEqual(ratingModels.sort());
    for (const r of ran) {
      expect(r.metrics.rmse).toBeGreaterThan(0);
      expect(r.metrics.mae).toBeGreaterThan(0);
      expect(r.fit_seconds).toBeGreaterThanOrEqual(0);
    }
    if (ran.length > 0) expect(Math.min(...ran.map((r) => r.metrics.rmse!))).toBeLessThan(1.0);
  }, 240_000);

  it('ms-recommenders runs every model; the best beats popularity on NDCG@10', async () => {
    const { stdout, code, stderr } = await shopwise('eval', '--data', file, '--format', 'movielens', '--protocol', 'ms-recommenders', '--json');
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as EvalJson;
    expect(result.results.map((r) => r.model)).toEqual(MODELS.map((m) => m.name));
    for (const r of result.results) {
      expect(r.skipped).toBeUndefined();
      for (const name of ['ndcg@10', 'precision@10', 'recall@10', 'map@10', 'auc', 'coverage', 'novelty', 'diversity', 'gini']) expect(r.metrics[name], `${r.model} ${name}`).toBeTypeOf('number');
    }
    const ndcg = (m: string) => result.results.find((r) => r.model === m)!.metrics['ndcg@10']!;
    const best = Math.max(...result.results.map((r) => r.metrics['ndcg@10']!));
    if (MODELS.length > 1) expect(best).toBeGreaterThan(ndcg('popularity') * 1.1);
  }, 300_000);

  it('prints a human table by default and tunes within a budget', async () => {
    const { stdout, code, stderr } = await shopwise('eval', '--data', file, '--format', 'movielens', '--protocol', 'loo', '--models', 'popularity', '--params', 'popularity.mode=category', '--tune', '2');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/protocol loo · u\.data/);
    expect(stdout).toMatch(/^popularity\s+\d\.\d{4}/m);
    expect(stdout).toMatch(/sampled_hit@10/);
    expect(stdout).toMatch(/tuned popularity: \d+ tpe trials/);
  }, 60_000);

  it('refuses bad input with a clear reason and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--protocol', 'holdout'], /unknown protocol "holdout"/],
      [['--models', 'magic'], /unknown model "magic"/],
      [['--params', 'popularity.mode=loud', '--models', 'popularity'], /popularity: parameter mode must be one of/],
      [['--k', '0'], /--k must be a whole number/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await shopwise('eval', '--data', file, '--format', 'movielens', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
    }
    const missing = await shopwise('eval', '--data', join(dir, 'nope.data'), '--format', 'movielens');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/not found/);
    writeFileSync(join(dir, 'bad.data'), 'this is not\na ratings file\n');
    const bad = await shopwise('eval', '--data', join(dir, 'bad.data'), '--format', 'movielens');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no interactions could be read/);
  }, 60_000);
});
