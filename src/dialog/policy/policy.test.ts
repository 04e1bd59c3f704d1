import { describe, expect, it } from 'vitest';
import type { NluResult } from '../nlu.js';
import { type DialogState, newDialogState, type TurnUpdate } from '../state/dialog-state.js';
import { decide, isFailure } from './policy.js';

const nlu = (emotion: NluResult['emotion'] = { label: 'neutral', confidence: 0.9 }): NluResult => ({
  text: '', language: 'zh', intent: { name: 'x', confidence: 1 }, outOfScope: false, intentRanking: [], slots: [], emotion,
});
const update = (intent: string, extra: Partial<TurnUpdate> = {}): TurnUpdate => ({ intent, changed: [], reset: [], referenced: [], unresolvedReference: false, ...extra });
const state = (patch: Partial<DialogState> = {}): DialogState => ({ ...newDialogState('w', 's', 0), ...patch });

describe('decide', () => {
  it('hands over when asked, when angry, or when stuck', () => {
    expect(decide(state(), update('human_agent'), nlu())).toEqual({ type: 'handoff', reason: 'asked' });
    expect(decide(state(), update('human_agent'), { ...nlu(), intent: { name: 'human_agent', confidence: 0.5 } }).type).toBe('redirect');
    expect(decide(state(), update('refine'), nlu({ label: 'angry', confidence: 0.9 }))).toEqual({ type: 'handoff', reason: 'angry' });
    expect(decide(state(), update('refine'), nlu({ label: 'angry', confidence: 0.3 })).type).not.toBe('handoff');
    expect(decide(state({ repeats: 3 }), update('search_product'), nlu())).toEqual({ type: 'handoff', reason: 'stuck' });
    expect(decide(state({ failures: 2 }), update('out_of_scope'), nlu())).toEqual({ type: 'handoff', reason: 'stuck' });
  });

  it('asks for the category when a search says nothing to look for, else searches', () => {
    expect(decide(state(), update('search_product'), nlu())).toEqual({ type: 'ask_slot', slot: 'category' });
    expect(decide(state({ slots: { category: '耳机', excludedBrands: [] } }), update('refine'), nlu())).toEqual({ type: 'search' });
  });

  it('acts on the item an ordinal or the focus points at, asking which one when unclear', () => {
    expect(decide(state(), update('add_to_cart'), nlu())).toEqual({ type: 'ask_which', purpose: 'add_to_cart' });
    expect(decide(state(), update('add_to_cart', { referenced: ['i1'] }), nlu())).toEqual({ type: 'confirm_add', itemId: 'i1' });
    expect(decide(state({ focus: 'i2' }), update('ask_attribute', { attribute: 'price' }), nlu())).toEqual({ type: 'answer_attribute', itemId: 'i2', attribute: 'price' });
    const shown = [{ id: 'a', price: 1, brand: null }, { id: 'b', price: 2, brand: null }];
    expect(decide(state({ lastShown: shown }), update('compare'), nlu())).toEqual({ type: 'compare', itemIds: ['a', 'b'] });
  });

  it('needs an order number for order questions; failures are the unresolved actions', () => {
    expect(decide(state(), update('order_status'), nlu())).toEqual({ type: 'order_status' });
    expect(decide(state(), update('return_refund', { orderId: 'SW1' }), nlu())).toEqual({ type: 'return_refund', orderId: 'SW1' });
    expect(isFailure({ type: 'no_results', relaxed: false })).toBe(true);
    expect(isFailure({ type: 'show_products', count: 3 })).toBe(false);
  });
});
