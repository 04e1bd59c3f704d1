import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../nlu.js';
import { fixtureCatalog } from '../dialog-fixtures.js';
import { DOMAIN_INTENTS, generateDomainTrainingSet } from './domain-generator.js';

const HAN = /\p{Script=Han}/u;

describe('generateDomainTrainingSet', () => {
  const set = generateDomainTrainingSet(fixtureCatalog(), { seed: 't', perIntent: 60 });

  it('covers every intent in both languages, with emotions', () => {
    for (const intent of DOMAIN_INTENTS) {
      const examples = set.examples.filter((e) => e.intent === intent);
      expect(examples.some((e) => HAN.test(e.text)), intent).toBe(true);
      expect(examples.some((e) => !HAN.test(e.text)), intent).toBe(true);
    }
    expect(set.examples.every((e) => e.emotion && EMOTIONS.includes(e.emotion))).toBe(true);
    expect(set.examples.filter((e) => e.intent === 'complaint').every((e) => e.emotion === 'angry' || e.emotion === 'negative')).toBe(true);
    expect(set.examples.filter((e) => e.intent === 'thanks').every((e) => e.emotion === 'positive')).toBe(true);
    expect(new Set(set.examples.map((e) => e.emotion))).toEqual(new Set(EMOTIONS));
  });

  it('annotates entities at their offsets with canonical values from the catalog', () => {
    const kinds = new Set<string>();
    for (const e of set.examples) {
      for (const span of e.entities) {
        kinds.add(span.type);
        expect(span.start).toBeGreaterThanOrEqual(0);
        expect(span.end).toBeLessThanOrEqual(e.text.length);
        expect(span.end).toBeGreaterThan(span.start);
      }
    }
    expect([...kinds].sort()).toEqual(['brand', 'category', 'color', 'order_id', 'ordinal', 'price_max', 'price_min', 'size']);
    const categories = new Set(fixtureCatalog().flatMap((i) => i.categoryPath));
    for (const e of set.examples) for (const s of e.entities.filter((x) => x.type === 'category')) expect(categories.has(s.value)).toBe(true);
    const sample = set.examples.find((e) => e.entities.some((s) => s.type === 'color') && !HAN.test(e.text))!;
    const color = sample.entities.find((s) => s.type === 'color')!;
    expect(['blue', 'red', 'black']).toContain(color.value);
    expect(sample.text.slice(color.start, color.end).toLowerCase()).toBe(color.value);
  });

  it('carries the synonyms and lookup tables, and is reproducible under its seed', () => {
    expect(set.synonyms['sneakers']).toBe('运动鞋');
    expect(set.synonyms['蓝色']).toBe('blue');
    expect(set.synonyms['云织']).toBe('Yunzhi');
    expect(set.lookups.brand).toContain('Yunzhi');
    expect(generateDomainTrainingSet(fixtureCatalog(), { seed: 't', perIntent: 60 }).examples.slice(0, 20)).toEqual(set.examples.slice(0, 20));
    expect(generateDomainTrainingSet(fixtureCatalog(), { seed: 'u', perIntent: 60 }).examples.slice(0, 20)).not.toEqual(set.examples.slice(0, 20));
  });

  it('refuses a catalog without categories', () => {
    expect(() => generateDomainTrainingSet([])).toThrow(/categoryPath/);
  });
});
