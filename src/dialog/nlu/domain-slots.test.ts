import { describe, expect, it } from 'vitest';
import { slotTokens, TaggerSlotSource, taggedUtterances } from './domain-slots.js';
import type { SlotTagger } from './slot-tagger.js';

describe('slotTokens', () => {
  it('splits Chinese by character and other scripts by word, lower-cased, with offsets into the text', () => {
    const text = '要 Nike 的$300以内 SW123456';
    const tokens = slotTokens(text);
    expect(tokens.map((t) => t.token)).toEqual(['要', 'nike', '的', '$', '300', '以', '内', 'sw123456']);
    for (const t of tokens) expect(text.slice(t.start, t.end).toLowerCase()).toBe(t.token);
  });
});

describe('taggedUtterances', () => {
  it('turns character-offset entities into BIO tags over the tokens they touch', () => {
    const [u] = taggedUtterances([{
      text: '有没有300元以内的蓝色Yunzhi运动鞋', intent: 'search_product',
      entities: [
        { type: 'price_max', value: '300', start: 3, end: 9 }, { type: 'color', value: 'blue', start: 10, end: 12 },
        { type: 'brand', value: 'Yunzhi', start: 12, end: 18 }, { type: 'category', value: '运动鞋', start: 18, end: 21 },
      ],
    }]);
    expect(u!.tokens).toEqual(['有', '没', '有', '300', '元', '以', '内', '的', '蓝', '色', 'yunzhi', '运', '动', '鞋']);
    expect(u!.tags).toEqual(['O', 'O', 'O', 'B-price_max', 'I-price_max', 'I-price_max', 'I-price_max', 'O', 'B-color', 'I-color', 'B-brand', 'B-category', 'I-category', 'I-category']);
    expect(u!.intent).toBe('search_product');
  });

  it('leaves out an entity that overlaps an earlier one, so the tags stay valid BIO', () => {
    const [u] = taggedUtterances([{ text: 'blue sneakers', intent: 'refine', entities: [{ type: 'category', value: '运动鞋', start: 5, end: 13 }, { type: 'color', value: 'blue', start: 0, end: 9 }] }]);
    expect(u!.tags).toEqual(['B-color', 'I-color']);
  });
});

const KNOWN = new Set(['under', 'shoes', 'cheaper']);

/** A tagger that answers fixed tags and records what it read (it knows the words of KNOWN). */
function fixedTagger(tags: string[]): SlotTagger & { seen: string[][] } {
  const seen: string[][] = [];
  return {
    tagNames: [...new Set(tags)], seen, save: () => new Uint8Array(), knows: (token) => KNOWN.has(token),
    predict: async (tokens) => (seen.push(tokens), { tags }),
    predictMany: async (sequences) => sequences.map(() => tags),
  };
}

describe('TaggerSlotSource', () => {
  it('maps the tagger\'s spans back to characters of the text, catalog slot types only, value = the text', async () => {
    const tagger = fixedTagger(['O', 'B-brand', 'O', 'B-price_max', 'I-price_max', 'I-price_max', 'B-category', 'I-category', 'I-category']);
    const text = '要Yunzih的300以内运动鞋';
    const slots = await new TaggerSlotSource(tagger).slots(text);
    expect(tagger.seen[0]).toEqual(['要', 'yunzih', '的', '300', '以', '内', '运', '动', '鞋']);
    expect(slots.map((s) => [s.type, s.value, s.raw, text.slice(s.start, s.end), s.source])).toEqual([
      ['brand', 'Yunzih', 'Yunzih', 'Yunzih', 'model'], ['category', '运动鞋', '运动鞋', '运动鞋', 'model'],
    ]);
  });

  it('finds nothing in an empty text without asking the tagger', async () => {
    const tagger = fixedTagger([]);
    expect(await new TaggerSlotSource(tagger).slots('  ')).toEqual([]);
    expect(tagger.seen).toHaveLength(0);
  });

  it('asks the tagger only when a gap holds an unseen Latin word of 4+ letters (a name it could resolve)', async () => {
    const tagger = fixedTagger(['O', 'O', 'O']);
    const source = new TaggerSlotSource(tagger);
    await source.slots('要蓝色的运动鞋'); // Chinese only: the gazetteer has every form
    await source.slots('cheaper shoes under 300'); // words seen in training, a number
    await source.slots('要 abc 的'); // too short to resolve
    const yunzhi = { type: 'brand', value: 'Yunzhi', start: 1, end: 7, raw: 'Yunzih', source: 'gazetteer' as const, confidence: 1 };
    await source.slots('要Yunzih的', [yunzhi]); // the unseen word is already a slot
    expect(tagger.seen).toHaveLength(0);
    await source.slots('cheaper Yunzih shoes');
    expect(tagger.seen).toEqual([['cheaper', 'yunzih', 'shoes']]);
  });
});
