import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainingSet } from '../../dialog/nlu.js';
import { parseAnnotated, parseNluTrainingData, readNluTrainingData } from './rasa-yaml.js';

const dir = mkdtempSync(join(tmpdir(), 'shopwise-rasa-'));
const YAML = `version: "3.1"
nlu:
- intent: search_product
  examples: |
    - show me [red](color) [running shoes]{"entity": "category", "value": "shoes"}
    - 我想买[耐克](brand)的鞋
    - any [sneakers](category)?
- intent: complaint
  metadata:
    emotion: angry
  examples: |
    - this is the third time my order is late
- synonym: shoes
  examples: |
    - sneakers
- lookup: brand
  examples: |
    - nike
    - adidas
`;

describe('readNluTrainingData', () => {
  it('reads intents, entity offsets, synonyms, lookups and emotions from YAML', async () => {
    const path = join(dir, 'nlu.yml');
    writeFileSync(path, YAML);
    const data: TrainingSet = await readNluTrainingData(path); // assignable to the dialog's TrainingSet
    expect(data.examples).toHaveLength(4);
    const [first, zh, sneakers, complaint] = data.examples;
    expect(first!.text).toBe('show me red running shoes');
    expect(first!.entities).toEqual([{ type: 'color', value: 'red', start: 8, end: 11 }, { type: 'category', value: 'shoes', start: 12, end: 25 }]);
    expect(zh!.text).toBe('我想买耐克的鞋');
    expect(zh!.text.slice(zh!.entities[0]!.start, zh!.entities[0]!.end)).toBe('耐克');
    expect(sneakers!.entities[0]!.value).toBe('shoes'); // through the synonym
    expect(complaint).toMatchObject({ intent: 'complaint', emotion: 'angry' });
    expect(data.synonyms).toMatchObject({ sneakers: 'shoes', 'running shoes': 'shoes' });
    expect(data.lookups).toEqual({ brand: ['nike', 'adidas'] });
  });

  it('reads the same structure as JSON, with examples as a list', async () => {
    const path = join(dir, 'nlu.json');
    writeFileSync(path, JSON.stringify({ nlu: [{ intent: 'greet', examples: ['hi', { text: 'hello [bob](name)', metadata: { emotion: 'positive' } }] }] }));
    const data = await readNluTrainingData(path);
    expect(data.examples).toEqual([
      { text: 'hi', intent: 'greet', entities: [] },
      { text: 'hello bob', intent: 'greet', entities: [{ type: 'name', value: 'bob', start: 6, end: 9 }], emotion: 'positive' },
    ]);
  });

  it('errors name the source and line', () => {
    expect(() => parseNluTrainingData('foo: 1', 'x.yml')).toThrow(/x.yml line 1: the document needs an `nlu:` list/);
    const badLine = 'nlu:\n- intent: a\n  examples: |\n    - fine\n    not a list item\n';
    expect(() => parseNluTrainingData(badLine, 'x.yml')).toThrow(/x.yml line 5: an example line starts with "- "/);
    const badJson = 'nlu:\n- intent: a\n  examples: |\n    - ok\n    - [x]{"type": 1}\n';
    try {
      parseNluTrainingData(badJson, 'x.yml');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ kind: 'invalid', detail: { field: 'x.yml', index: 5, column: 'examples' } });
    }
    expect(() => parseNluTrainingData('nlu:\n- intent: a\n  metadata: {emotion: sleepy}\n  examples: |\n    - x\n', 'x.yml')).toThrow(/line 3: metadata.emotion/);
    expect(() => parseNluTrainingData('nlu:\n- nothing: a\n', 'x.yml')).toThrow(/line 2: an entry needs one of intent/);
    expect(() => parseNluTrainingData('nlu: [unclosed', 'x.yml')).toThrow(/x.yml line 1/);
  });

  it('parses annotations including entity:value shorthand', () => {
    expect(parseAnnotated('in [blue](color:navy) please')).toEqual({ text: 'in blue please', entities: [{ type: 'color', value: 'navy', raw: 'blue', start: 3, end: 7 }] });
  });
});
