import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { EMOTIONS, type Emotion, type EntitySpan } from '../nlu.js';

/** Templates per intent. */
export type IntentTemplates = Readonly<Record<string, readonly string[]>>;

/** What a placeholder becomes: the text written and, for entity placeholders, the slot it stands for. */
export interface Filler {
  text: string;
  entity?: { type: string; value: string };
}

export interface Rendered {
  text: string;
  entities: EntitySpan[];
  emotion?: Emotion;
}

const EMOTION_SUFFIX = /!(positive|neutral|negative|angry)$/u;

/**
 * Picks one alternative of every `[a|b|]` group (groups do not nest).
 *
 * @example expandAlternatives('[hi|hello] there', rng) // 'hello there'
 */
export function expandAlternatives(template: string, rng: SeededRandom): string {
  return template.replace(/\[([^[\]]*)\]/gu, (_, body: string) => rng.pick(body.split('|')));
}

/**
 * Renders one template: alternatives chosen with `rng`, placeholders `{name}` filled by `fill(name)`,
 * entity spans at their character offsets, spaces tidied, the `!emotion` suffix read off.
 *
 * @example renderTemplate('[show me|find] {color} {cat}', rng, (n) => n === 'color' ? { text: 'blue', entity: { type: 'color', value: 'blue' } } : { text: 'shoes', entity: { type: 'category', value: '鞋靴' } })
 */
export function renderTemplate(template: string, rng: SeededRandom, fill: (name: string) => Filler | undefined): Rendered | undefined {
  let body = template;
  let emotion: Emotion | undefined;
  const suffix = EMOTION_SUFFIX.exec(body);
  if (suffix) {
    emotion = suffix[1] as Emotion;
    if (!EMOTIONS.includes(emotion)) throw AppError.invalid(`unknown emotion ${suffix[1]} in template "${template}"`, { field: 'template' });
    body = body.slice(0, suffix.index);
  }
  const expanded = expandAlternatives(body, rng);
  let text = '';
  const entities: EntitySpan[] = [];
  let last = 0;
  for (const m of expanded.matchAll(/\{(\w+)\}/gu)) {
    text += expanded.slice(last, m.index);
    const filler = fill(m[1]!);
    if (!filler) return undefined;
    if (filler.entity) entities.push({ ...filler.entity, start: text.length, end: text.length + filler.text.length });
    text += filler.text;
    last = m.index + m[0].length;
  }
  text += expanded.slice(last);
  return tidy({ text, entities, emotion });
}

/** Collapses runs of spaces and trims, moving the entity offsets with the text. */
function tidy(r: Rendered): Rendered {
  let out = '';
  const map: number[] = [];
  for (let i = 0; i < r.text.length; i++) {
    const ch = r.text[i]!;
    map.push(out.length);
    if (ch === ' ' && (out.length === 0 || out.endsWith(' '))) continue;
    out += ch;
  }
  map.push(out.length);
  const trimmedEnd = out.trimEnd().length;
  const entities = r.entities.map((e) => ({ ...e, start: map[e.start]!, end: Math.min(map[e.end]!, trimmedEnd) }));
  return { ...r, text: out.slice(0, trimmedEnd), entities };
}
