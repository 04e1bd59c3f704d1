import { describe, expect, it } from 'vitest';
import { Assistant } from './assistant.js';
import { CatalogCache } from './catalog-cache.js';
import { fixtureCatalog } from './dialog-fixtures.js';
import type { NluParser, NluResult } from './nlu.js';
import { ruleSlots } from './nlu/nlu-pipeline.js';
import { SessionStore } from './state/session-store.js';

const items = fixtureCatalog();

/** An NLU whose intent is given per text; slots come from the real gazetteer and rules. */
function fakeNlu(catalogs: CatalogCache, intents: Record<string, string>): { parser(ws: string): Promise<NluParser> } {
  return {
    async parser(ws) {
      const { gazetteer } = await catalogs.get(ws);
      return {
        async parse(text): Promise<NluResult> {
          const name = intents[text] ?? 'out_of_scope';
          return { text, language: 'zh', intent: { name, confidence: 0.9 }, outOfScope: name === 'out_of_scope', intentRanking: [], slots: ruleSlots(gazetteer, text), emotion: { label: 'neutral', confidence: 0.9 } };
        },
      };
    },
  };
}

function setup(intents: Record<string, string>) {
  const catalogs = new CatalogCache({ list: async () => ({ items }) });
  const logged: Array<{ ws: string; events: any[] }> = [];
  const assistant = new Assistant({
    catalogs, nlu: fakeNlu(catalogs, intents), sessions: new SessionStore(),
    popular: async () => items.filter((i) => i.brand === 'Sujin').map((i, k) => ({ itemId: i.id, score: 100 - k })),
    ingest: async (ws, events) => logged.push({ ws, events }),
    photoSearch: { search: async () => [{ itemId: items[5]!.id, score: 0.9 }, { itemId: 'gone', score: 0.8 }, { itemId: items[2]!.id, score: 0.7 }], classify: async () => ({ categoryPath: [], confidence: 0 }) },
  });
  return { assistant, logged };
}

describe('Assistant', () => {
  it('shows products ordered by popularity, flags sponsored ones, and logs the turn', async () => {
    const { assistant, logged } = setup({ 有没有运动鞋: 'search_product' });
    const turn = await assistant.turn('w', { sessionId: 's1', userId: 'u1', text: '有没有运动鞋' });
    expect(turn.action).toBe('show_products');
    expect(turn.products.every((p) => p.categoryPath.includes('运动鞋'))).toBe(true);
    expect(turn.products[0]!.brand).toBe('Sujin');
    for (const p of turn.products) expect(p.sponsored).toBe(items.find((i) => i.id === p.id)!.sponsored);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const names = logged.flatMap((l) => l.events.map((e) => e.event));
    expect(names).toEqual(['Products Searched', 'Chat Message']);
    expect(logged[0]!.events[0]).toMatchObject({ userId: 'u1', properties: { query: '有没有运动鞋', category: '运动鞋', results: turn.products.length } });
    expect(logged[0]!.events[1].properties).toMatchObject({ turnId: turn.turnId, intent: 'search_product', productIds: turn.products.map((p) => p.id) });
  });

  it('answers a photo with the matching items the catalog still has, and "the second one" then points at them', async () => {
    const { assistant } = setup({ 第二个多少钱: 'ask_attribute' });
    const photo = await assistant.turn('w', { sessionId: 's2', image: new Uint8Array([1, 2, 3]) });
    expect(photo.products.map((p) => p.id)).toEqual([items[5]!.id, items[2]!.id]);
    expect(photo.reply).toMatch(/照片/u);
    const price = await assistant.turn('w', { sessionId: 's2', text: '第二个多少钱' });
    expect(price.reply).toContain(String(items[2]!.price));
  });

  it('refuses bad input and unknown turns, and says when photo search is missing', async () => {
    const { assistant } = setup({});
    await expect(assistant.turn('w', { sessionId: 'bad id', text: 'hi' })).rejects.toThrow(/sessionId/);
    await expect(assistant.turn('w', { sessionId: 's', text: '  ' })).rejects.toThrow(/text or an image/);
    await expect(assistant.feedback('w', { sessionId: 's', turnId: 'nope', helpful: true })).rejects.toMatchObject({ kind: 'not_found' });
    const bare = new Assistant({ catalogs: new CatalogCache({ list: async () => ({ items }) }), nlu: { parser: async () => ({ parse: async () => { throw new Error('unused'); } }) }, sessions: new SessionStore() });
    await expect(bare.turn('w', { sessionId: 's', image: new Uint8Array([1]) })).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('logs feedback for a turn of the session', async () => {
    const { assistant, logged } = setup({ 你好: 'greeting' });
    const turn = await assistant.turn('w', { sessionId: 's3', text: '你好' });
    expect(turn.action).toBe('greet');
    expect(await assistant.feedback('w', { sessionId: 's3', turnId: turn.turnId, helpful: false })).toEqual({ turnId: turn.turnId, recorded: true });
    expect(logged.at(-1)!.events[0]).toMatchObject({ event: 'Chat Feedback', anonymousId: 's3', properties: { helpful: false, turnId: turn.turnId } });
  });
});
