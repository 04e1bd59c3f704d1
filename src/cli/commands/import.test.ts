import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { isAppError } from '../../core/errors.js';
import { addGlobalOptions } from '../global-options.js';
import { registerImport } from './import.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shopwise-import-cli-'));
  file = join(dir, 'behavior.csv');
  writeFileSync(file, '1,10,100,pv,1511544070\n1,11,100,buy,1511544080\n1,12,100,share,1511544090\n');
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const program = addGlobalOptions(new Command('shopwise')).enablePositionalOptions(false);
  registerImport(program);
  await program.parseAsync(['node', 'shopwise', '--storage', 'sqlite::memory:', ...args]);
  return { out: out.join('\n'), err: err.join('\n') };
}

describe('shopwise import', () => {
  it('--json prints the summary on stdout and the generated admin key on stderr', async () => {
    const { out, err } = await run('import', '--format', 'taobao', file, '--json', '--workspace', 'shop1');
    expect(JSON.parse(out)).toMatchObject({
      format: 'taobao', workspace: 'shop1', rowsRead: 3, imported: 2, duplicates: 0, rejected: 1, itemsCreated: 2,
      firstRejections: [{ line: 3, reason: 'line 3: behavior: unknown value "share" (expected pv, cart, fav or buy)' }],
    });
    // A key is generated (and printed once) only when none is configured.
    if (loadConfig().adminKey === '') expect(err).toMatch(/Created workspace "shop1"\. Its admin key \(shown once; only its hash is stored\): sw_/);
  });

  it('prints the counts and the first rejection reasons as text', async () => {
    const { out } = await run('import', '-f', 'taobao', file, '--limit', '2');
    expect(out).toMatch(/rows read\s+2\n/);
    expect(out).toMatch(/imported\s+2\n/);
    expect(out).toMatch(/rows\/s\)/);
    const all = await run('import', '-f', 'taobao', file);
    expect(all.out).toMatch(/Rejections:\n {2}line 3: behavior: unknown value "share"/);
  });

  it('refuses invalid usage with AppError(invalid) before opening storage', async () => {
    for (const args of [['import', file], ['import', '--format', 'xml', file], ['import', '--format', 'csv', '--map', 'user=a', file], ['import', '--format', 'taobao', join(dir, 'nope.csv')], ['import', '--format', 'taobao', '--limit', '-3', file]]) {
      const error = await run(...args).catch((e: unknown) => e);
      expect(isAppError(error) && error.kind, args.join(' ')).toBe('invalid');
    }
  });

  it('exits 2 on a commander usage error such as an unknown option', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(run('import', '--format', 'taobao', '--bogus', file)).rejects.toThrow('exit 2');
    expect(exit).toHaveBeenCalledWith(2);
  });
});
