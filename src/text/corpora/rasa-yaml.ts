import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { AppError } from '../../core/errors.js';

// The same shapes as TrainingSet / TrainingExample / EntitySpan of src/dialog/nlu.ts (text sits below
// dialog, so they are restated here; the dialog types accept these values as they are).

/** An annotated entity: slot type, canonical value, character offsets into the example's text. */
export interface NluEntity {
  type: string;
  value: string;
  start: number;
  end: number;
}

export interface NluExample {
  text: string;
  intent: string;
  entities: NluEntity[];
  /** From a block's or an example's `metadata: { emotion: … }`. */
  emotion?: 'positive' | 'neutral' | 'negative' | 'angry';
}

export interface NluTrainingData {
  examples: NluExample[];
  /** Surface form (lower-cased) → canonical value. */
  synonyms: Record<string, string>;
  /** Lookup table name → values. */
  lookups: Record<string, string[]>;
}

const EMOTIONS = new Set(['positive', 'neutral', 'negative', 'angry']);
/** `[text](entity)`, `[text](entity:value)` or `[text]{"entity": "e", "value": "v"}`. */
const ANNOTATION = /\[([^\]]+)\](?:\(([^)]+)\)|(\{[^}]*\}))/g;

/**
 * Reads Shopwise's training data format, Rasa NLU style, from YAML or (by the `.json` extension) JSON
 * of the same structure:
 * ```yaml
 * nlu:
 * - intent: search_product
 *   metadata: { emotion: neutral }        # optional, for the emotion classifier
 *   examples: |
 *     - show me [red](color) [running shoes]{"entity": "category", "value": "shoes"}
 *     - 我想买[耐克](brand)的鞋
 * - synonym: shoes
 *   examples: |
 *     - sneakers
 * - lookup: brand
 *   examples: |
 *     - nike
 * ```
 * `examples` is a block of `- ` lines or a list of strings or `{ text, metadata }` objects. Entity
 * offsets are into the text without the markup; an annotation's `value` is also a synonym, and values
 * written as they appear are replaced by their synonym's canonical value. Errors are
 * `AppError('invalid')` naming the file, the 1-based line (`detail.index`) and the key (`detail.column`).
 *
 * @example
 * const data = await readNluTrainingData('data/nlu.yml');
 * data.examples[0]; // { text: 'show me red running shoes', intent: 'search_product', entities: [{ type: 'color', value: 'red', start: 8, end: 11 }, …] }
 */
export async function readNluTrainingData(path: string): Promise<NluTrainingData> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw AppError.notFound(`${path} does not exist`, { field: path });
    throw AppError.unavailable(`${path} cannot be read: ${(error as Error).message}`, error);
  }
  return parseNluTrainingData(content, path);
}

/** `readNluTrainingData` on a string; `source` names it in errors. */
export function parseNluTrainingData(content: string, source = 'training data'): NluTrainingData {
  const lines = new LineCounter();
  const doc = parseDocument(content.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false });
  const lineOf = (node: YamlNode | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  const fail = (message: string, node: YamlNode | null | undefined, column?: string, line = lineOf(node)): never => {
    throw AppError.invalid(`${source} line ${line}: ${message}`, { field: source, index: line, ...(column ? { column } : {}) });
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    fail(e.message.split('\n')[0]!, null, undefined, e.linePos?.[0]?.line ?? 1);
  }
  const nlu = doc.get('nlu', true) as YamlNode | undefined;
  if (!isSeq(nlu)) return fail('the document needs an `nlu:` list', doc.contents as YamlNode, 'nlu');
  const data: NluTrainingData = { examples: [], synonyms: {}, lookups: {} };
  const pendingValues: NluEntity[] = [];
  nlu.items.forEach((item) => {
    const block = item as YamlNode;
    if (!isMap(block)) return fail('each `nlu:` entry is a mapping with intent, synonym or lookup', block);
    const value = block.toJSON() as Record<string, unknown>;
    const kind = (['intent', 'synonym', 'lookup'] as const).find((k) => k in value);
    if (!kind) return fail(`an entry needs one of intent, synonym, lookup (it has ${Object.keys(value).join(', ') || 'nothing'})`, block);
    const name = value[kind];
    if (typeof name !== 'string' || name.trim() === '') return fail(`${kind} must be a non-empty string`, block.get(kind, true) as YamlNode, kind);
    const examplesNode = block.get('examples', true) as YamlNode | undefined;
    const examples = exampleLines(value.examples, examplesNode, lineOf, fail);
    if (kind === 'synonym') {
      for (const e of examples) data.synonyms[e.text.toLowerCase()] = name;
    } else if (kind === 'lookup') {
      data.lookups[name] = [...(data.lookups[name] ?? []), ...examples.map((e) => e.text)];
    } else {
      const blockEmotion = emotionOf(value.metadata, () => fail('metadata.emotion must be positive, neutral, negative or angry', block.get('metadata', true) as YamlNode, 'metadata'));
      for (const e of examples) {
        const parsed = parseAnnotated(e.text, (why) => fail(`${why} in "${e.text}"`, examplesNode, 'examples', e.line));
        for (const entity of parsed.entities) {
          if (entity.value !== entity.raw) data.synonyms[entity.raw.toLowerCase()] = entity.value;
          else pendingValues.push(entity);
        }
        const emotion = emotionOf(e.metadata, () => fail('metadata.emotion must be positive, neutral, negative or angry', examplesNode, 'metadata', e.line)) ?? blockEmotion;
        data.examples.push({ text: parsed.text, intent: name, entities: parsed.entities.map(({ type, value: v, start, end }) => ({ type, value: v, start, end })), ...(emotion ? { emotion } : {}) });
      }
    }
  });
  // Values written as they appear take their synonym's canonical value (synonyms may be declared after use).
  for (const example of data.examples) {
    for (const entity of example.entities) {
      const canonical = data.synonyms[entity.value.toLowerCase()];
      if (canonical !== undefined && example.text.slice(entity.start, entity.end) === entity.value) entity.value = canonical;
    }
  }
  return data;
}

interface ExampleLine {
  text: string;
  line: number;
  metadata?: unknown;
}

function exampleLines(value: unknown, node: YamlNode | undefined, lineOf: (n: YamlNode | undefined) => number, fail: (m: string, n: YamlNode | undefined, c?: string, l?: number) => never): ExampleLine[] {
  if (typeof value === 'string') {
    const first = lineOf(node) + 1; // a block scalar's text starts on the line after `examples: |`
    const out: ExampleLine[] = [];
    value.split('\n').forEach((raw, k) => {
      const line = raw.trim();
      if (line === '') return;
      if (!line.startsWith('- ')) fail(`an example line starts with "- ", got "${line}"`, node, 'examples', first + k);
      const text = line.slice(2).trim();
      if (text) out.push({ text, line: first + k });
    });
    return out;
  }
  if (Array.isArray(value) && isSeq(node)) {
    return value.map((v, k) => {
      const item = node.items[k] as YamlNode | undefined;
      if (typeof v === 'string') return { text: v.trim(), line: lineOf(item) };
      if (v && typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string') return { text: (v as { text: string }).text.trim(), line: lineOf(item), metadata: (v as { metadata?: unknown }).metadata };
      return fail('an example is a string or { text, metadata }', item, 'examples');
    });
  }
  return fail('examples must be a `|` block of "- " lines or a list', node, 'examples');
}

function emotionOf(metadata: unknown, fail: () => never): NluExample['emotion'] {
  if (metadata === undefined || metadata === null) return undefined;
  const emotion = (metadata as { emotion?: unknown }).emotion;
  if (emotion === undefined) return undefined;
  if (typeof emotion !== 'string' || !EMOTIONS.has(emotion)) return fail();
  return emotion as NluExample['emotion'];
}

/**
 * The plain text of an annotated example and its entities (offsets into the plain text, in code units).
 *
 * @example parseAnnotated('red [nike](brand) shoes').entities // [{ type: 'brand', value: 'nike', raw: 'nike', start: 4, end: 8 }]
 */
export function parseAnnotated(annotated: string, fail: (why: string) => never = (why) => { throw AppError.invalid(why); }): { text: string; entities: Array<NluEntity & { raw: string }> } {
  let text = '';
  let last = 0;
  const entities: Array<NluEntity & { raw: string }> = [];
  for (const m of annotated.matchAll(ANNOTATION)) {
    text += annotated.slice(last, m.index);
    const raw = m[1]!;
    let type: string;
    let value = raw;
    if (m[2] !== undefined) {
      const [t, v] = m[2].split(':', 2) as [string, string | undefined];
      type = t.trim();
      if (v !== undefined && v.trim() !== '') value = v.trim();
    } else {
      let spec: { entity?: unknown; value?: unknown };
      try {
        spec = JSON.parse(m[3]!) as typeof spec;
      } catch {
        return fail(`the annotation ${m[3]} is not JSON`);
      }
      if (typeof spec.entity !== 'string') return fail(`the annotation ${m[3]} has no "entity"`);
      type = spec.entity;
      if (spec.value !== undefined) value = String(spec.value);
    }
    if (type === '') fail(`the annotation [${raw}] has no entity type`);
    entities.push({ type, value, raw, start: text.length, end: text.length + raw.length });
    text += raw;
    last = m.index + m[0].length;
  }
  text += annotated.slice(last);
  if (/\[[^\]]*\]\(|\]\{/.test(text)) fail('an annotation is not closed');
  return { text, entities };
}
