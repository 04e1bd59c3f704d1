import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../math/random.js';
import { readLabelledCsv, splitRows } from './csv.js';

const dir = mkdtempSync(join(tmpdir(), 'shopwise-csv-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('readLabelledCsv', () => {
  it('reads the text and label columns by name, with quotes, a BOM, CRLF and multi-line fields', async () => {
    const path = file('a.csv', '\uFEFFid,text,label\r\n1,"hello, world",greet\r\n2,"two\nlines",other\r\n\r\n3,"say ""hi""",greet\r\n');
    const { rows, skipped } = await readLabelledCsv(path);
    expect(rows.map((r) => [r.text, r.label])).toEqual([['hello, world', 'greet'], ['two\nlines', 'other'], ['say "hi"', 'greet']]);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 6]);
    expect(skipped).toEqual([]);
  });

  it('reads TSV by extension with chosen columns and alternatives; skips empty rows', async () => {
    const path = file('b.tsv', 'label\tcontent\n1\tit is "great"\n0\t\n0\tbad\n');
    const { rows, skipped, textColumn } = await readLabelledCsv(path, { textCol: 'sentence,content' });
    expect(textColumn).toBe('content');
    expect(rows.map((r) => [r.text, r.label])).toEqual([['it is "great"', '1'], ['bad', '0']]);
    expect(skipped).toEqual([3]);
  });

  it('errors name the file, line and column', async () => {
    await expect(readLabelledCsv(join(dir, 'missing.csv'))).rejects.toMatchObject({ kind: 'not_found' });
    const noColumn = file('c.csv', 'review,cat\nnice,x\n');
    await expect(readLabelledCsv(noColumn, { labelCol: 'label' })).rejects.toMatchObject({ kind: 'invalid', detail: { field: noColumn, index: 1 } });
    await expect(readLabelledCsv(noColumn, { textCol: 'review', labelCol: 'label' })).rejects.toThrow(/line 1: no label column "label".*review, cat/);
    const ragged = file('d.csv', 'text,label\nok,a\nno label here\n');
    await expect(readLabelledCsv(ragged)).rejects.toMatchObject({ kind: 'invalid', detail: { field: ragged, index: 3, column: 'label' } });
    const quote = file('e.csv', 'text,label\n"never closed,a\n');
    await expect(readLabelledCsv(quote)).rejects.toMatchObject({ kind: 'invalid', detail: { field: quote } });
    await expect(readLabelledCsv(file('f.csv', ''))).rejects.toThrow(/header row/);
  });

  it('splits rows reproducibly by seed', () => {
    const rows = Array.from({ length: 100 }, (_, i) => i);
    const a = splitRows(rows, 0.9, (x) => new SeededRandom('s').shuffle(x));
    const b = splitRows(rows, 0.9, (x) => new SeededRandom('s').shuffle(x));
    expect(a.train.length).toBe(90);
    expect(a.test).toEqual(b.test);
    expect(new Set([...a.train, ...a.test]).size).toBe(100);
    expect(() => splitRows(rows, 1.5, (x) => x)).toThrow(/between 0 and 1/);
  });
});
