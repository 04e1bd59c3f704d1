import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOMAIN_NLU_VERSION, domainNluKey } from './domain-nlu.js';
import { readDomainNluManifest, saveDomainNlu } from './domain-nlu-files.js';

const root = mkdtempSync(join(tmpdir(), 'shopwise-nlu-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('domain NLU files', () => {
  it('says what is wrong with a manifest: missing, not JSON, another format or version', async () => {
    await expect(readDomainNluManifest(join(root, 'none'))).rejects.toMatchObject({ kind: 'not_found' });
    const dir = join(root, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'nlu.json'), '{ nope');
    await expect(readDomainNluManifest(dir)).rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/not JSON/) });
    writeFileSync(join(dir, 'nlu.json'), JSON.stringify({ format: 'something-else' }));
    await expect(readDomainNluManifest(dir)).rejects.toThrow(/not a shopwise-domain-nlu manifest/);
    writeFileSync(join(dir, 'nlu.json'), JSON.stringify({ format: 'shopwise-domain-nlu', version: DOMAIN_NLU_VERSION + 1 }));
    await expect(readDomainNluManifest(dir)).rejects.toThrow(new RegExp(`version ${DOMAIN_NLU_VERSION + 1}; this Shopwise trains version ${DOMAIN_NLU_VERSION}`));
  });

  it('refuses to save classifiers it could not load again (an injected trainer\'s), leaving no manifest', async () => {
    const stub = { labels: ['a'], architecture: 'cnn' as const, rank: async () => [{ name: 'a', confidence: 1 }] };
    const dir = join(root, 'stub');
    const saving = saveDomainNlu(dir, { key: domainNluKey('v', {}, []), trainedAt: new Date().toISOString(), report: { examples: 1, intents: 1, trainSeconds: 0 }, models: { intent: stub, emotion: stub, exact: new Map() } });
    await expect(saving).rejects.toMatchObject({ kind: 'invalid' });
    expect(existsSync(join(dir, 'nlu.json'))).toBe(false);
  });
});
