import { describe, expect, it } from 'vitest';
import { catalogVocabulary } from '../domain/catalog-vocabulary.js';
import { fixtureCatalog } from '../dialog-fixtures.js';
import type { NluResult, Slot } from '../nlu.js';
import { matchesSlots } from './search-slots.js';
import { newDialogState, updateState } from './dialog-state.js';

const items = fixtureCatalog();
const catalog = { items, byId: new Map(items.map((i) => [i.id, i])), vocabulary: catalogVocabulary(items) };

function nlu(intent: string, slots: Array<Partial<Slot> & { type: string; value: string }>, confidence = 0.9): NluResult {
  return {
    text: '', language: 'zh', intent: { name: intent, confidence }, outOfScope: intent === 'out_of_scope' || confidence < 0.4, intentRanking: [],
    slots: slots.map((s) => ({ start: 0, end: 0, raw: s.value, source: 'rule', confidence: 1, ...s })), emotion: { label: 'neutral', confidence: 1 },
  };
}
const show = (state: ReturnType<typeof newDialogState>) => {
  state.lastShown = items.filter((i) => matchesSlots(i, state.slots)).slice(0, 3).map((i) => ({ id: i.id, price: i.price, brand: i.brand }));
};

describe('updateState', () => {
  it('carries slots over and replaces a colour', () => {
    const state = newDialogState('w', 's', 0);
    updateState(state, nlu('search_product', [{ type: 'category', value: '运动鞋' }, { type: 'color', value: 'blue' }]), catalog);
    updateState(state, nlu('refine', [{ type: 'color', value: 'red' }]), catalog);
    expect(state.slots).toMatchObject({ category: '运动鞋', color: 'red' });
  });

  it('"cheaper" puts the price cap under the cheapest product shown', () => {
    const state = newDialogState('w', 's', 0);
    updateState(state, nlu('search_product', [{ type: 'category', value: '运动鞋' }]), catalog);
    state.lastShown = items.filter((i) => i.categoryPath.includes('运动鞋')).sort((a, b) => b.price! - a.price!).slice(0, 3).map((i) => ({ id: i.id, price: i.price, brand: i.brand }));
    const update = updateState(state, nlu('refine', [{ type: 'price_relative', value: 'lower' }]), catalog);
    expect(update.changed).toContain('cheaper');
    expect(state.slots.priceMax).toBeLessThan(Math.min(...state.lastShown.map((i) => i.price!)));
    expect(items.some((i) => matchesSlots(i, state.slots))).toBe(true);
  });

  it('"not this brand" excludes the brand of the products shown; "the second one" focuses the 2nd', () => {
    const state = newDialogState('w', 's', 0);
    updateState(state, nlu('search_product', [{ type: 'category', value: '连衣裙' }]), catalog);
    show(state);
    const first = state.lastShown[0]!.brand!;
    updateState(state, nlu('refine', [{ type: 'exclude_brand', value: 'this' }]), catalog);
    expect(state.slots.excludedBrands).toEqual([first]);
    show(state);
    expect(state.lastShown.every((i) => i.brand !== first)).toBe(true);
    const update = updateState(state, nlu('ask_attribute', [{ type: 'ordinal', value: '2' }]), catalog);
    expect(update.referenced).toEqual([state.lastShown[1]!.id]);
    expect(state.focus).toBe(state.lastShown[1]!.id);
    expect(updateState(state, nlu('ask_attribute', [{ type: 'ordinal', value: '9' }]), catalog).unresolvedReference).toBe(true);
  });

  it('a new category resets the slots it makes incompatible', () => {
    const state = newDialogState('w', 's', 0);
    updateState(state, nlu('search_product', [{ type: 'category', value: '连衣裙' }, { type: 'brand', value: 'Mihe' }, { type: 'color', value: 'blue' }, { type: 'size', value: 'M' }, { type: 'price_max', value: '300' }]), catalog);
    expect(state.slots).toMatchObject({ brand: 'Mihe', size: 'M', priceMax: 300 });
    const update = updateState(state, nlu('search_product', [{ type: 'category', value: '运动鞋' }]), catalog);
    expect(update.reset.sort()).toEqual(['brand', 'price', 'size']);
    expect(state.slots).toEqual({ category: '运动鞋', color: 'blue', excludedBrands: [] });
  });

  it('takes an unsure turn that names products as a search, and counts repeated requests', () => {
    const state = newDialogState('w', 's', 0);
    expect(updateState(state, nlu('greeting', [{ type: 'category', value: '耳机' }], 0.2), catalog).intent).toBe('search_product');
    expect(updateState(state, nlu('out_of_scope', [{ type: 'category', value: '耳机' }], 0.9), catalog).intent).toBe('out_of_scope');
    const again = newDialogState('w', 't', 0);
    for (let k = 0; k < 3; k++) updateState(again, nlu('search_product', []), catalog);
    expect(again.repeats).toBe(3);
  });
});
