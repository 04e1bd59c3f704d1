import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'shopwise-config-'));
const file = (content: unknown) => {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('loadConfig', () => {
  it('layers defaults < file < environment < flags', () => {
    const path = file({ port: 7000, host: '0.0.0.0', dataDir: '/data' });
    const config = loadConfig({ file: path, env: { SHOPWISE_PORT: '7100', SHOPWISE_HOST: '::1' }, flags: { port: '7200' } });
    expect(config.port).toBe(7200);
    expect(config.host).toBe('::1');
    expect(config.dataDir).toBe('/data');
    expect(config.maxBatchEvents).toBe(10_000);
    expect(config.storageUrl).toBe('sqlite:/data/shopwise.db');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the key and the source of a bad value', () => {
    expect(() => loadConfig({ env: { SHOPWISE_PORT: 'eighty' } })).toThrow(/config port from environment variable SHOPWISE_PORT: expected an integer/);
    expect(() => loadConfig({ env: {}, flags: { storageUrl: 'mysql://x' } })).toThrow(/storageUrl from command-line flag/);
    expect(() => loadConfig({ env: {}, file: file({ sqliteSynchronous: 'OFF' }) })).toThrow(/sqliteSynchronous from config file .*expected one of FULL, NORMAL/);
    expect(() => loadConfig({ env: {}, file: file({ prot: 1 }) })).toThrow(/unknown keys prot/);
    expect(() => loadConfig({ env: {}, file: file('{ not json') })).toThrow(/cannot be read as JSON/);
  });

  it('masks secrets when described', () => {
    const config = loadConfig({ env: { SHOPWISE_ADMIN_KEY: 'sw_supersecretvalue123', SHOPWISE_STORAGE_URL: 'postgres://bob:pw@db.local/shop' } });
    const shown = Object.fromEntries(describeConfig(config).map((row) => [row.key, row.value]));
    expect(shown.adminKey).toBe('sw_sup***');
    expect(shown.storageUrl).toBe('postgres://***@db.local/shop');
    expect(JSON.stringify(shown)).not.toContain('pw@');
    expect(describeConfig(config).every((row) => row.doc.length > 10 && row.env.startsWith('SHOPWISE_'))).toBe(true);
  });
});
