import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUT_OF_SCOPE, readClinc } from './clinc.js';

const dir = mkdtempSync(join(tmpdir(), 'shopwise-clinc-'));

describe('readClinc', () => {
  it('reads the splits and maps oos_* to out_of_scope', async () => {
    const path = join(dir, 'data_full.json');
    writeFileSync(path, JSON.stringify({
      train: [['what is my balance', 'balance'], ['transfer $5', 'transfer']], val: [['balance please', 'balance']],
      test: [['send money', 'transfer']], oos_train: [['how tall is everest', 'oos']], oos_test: [['sing a song', 'oos']],
    }));
    const s = await readClinc(path);
    expect(s.train).toEqual([{ text: 'what is my balance', label: 'balance' }, { text: 'transfer $5', label: 'transfer' }, { text: 'how tall is everest', label: OUT_OF_SCOPE }]);
    expect(s.val).toHaveLength(1);
    expect(s.test.map((r) => r.label)).toEqual(['transfer', OUT_OF_SCOPE]);
  });

  it('rejects what is not CLINC150, naming the file and the row', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ train: [['ok', 'a'], ['missing intent']] }));
    await expect(readClinc(bad)).rejects.toMatchObject({ kind: 'invalid', detail: { field: bad, column: 'train', index: 1 } });
    writeFileSync(bad, '{"nothing": 1}');
    await expect(readClinc(bad)).rejects.toThrow(/none of the CLINC150 splits/);
    writeFileSync(bad, '[1,');
    await expect(readClinc(bad)).rejects.toThrow(/is not JSON/);
    await expect(readClinc(join(dir, 'nope.json'))).rejects.toMatchObject({ kind: 'not_found' });
  });
});
