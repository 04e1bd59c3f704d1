import type { NluResult } from '../nlu.js';
import type { DialogState, TurnUpdate } from '../state/dialog-state.js';

/** Why the assistant hands the shopper over to a person. */
export type HandoffReason = 'asked' | 'angry' | 'stuck';

/** The next thing the assistant does. `search` is resolved by the assistant into `show_products` or `no_results`. */
export type Action =
  | { type: 'greet' }
  | { type: 'thank' }
  | { type: 'goodbye' }
  | { type: 'redirect' }
  | { type: 'handoff'; reason: HandoffReason }
  | { type: 'ask_slot'; slot: 'category' }
  | { type: 'search' }
  | { type: 'show_products'; count: number }
  | { type: 'no_results'; relaxed: boolean }
  | { type: 'ask_which'; purpose: 'add_to_cart' | 'ask_attribute' | 'compare' }
  | { type: 'confirm_add'; itemId: string }
  | { type: 'answer_attribute'; itemId: string; attribute: string }
  | { type: 'compare'; itemIds: [string, string] }
  | { type: 'order_status'; orderId?: string }
  | { type: 'return_refund'; orderId?: string }
  | { type: 'complaint' };

export interface PolicyOptions {
  /** An angry emotion at least this confident hands over to a person (default 0.6). */
  angryConfidence?: number;
  /** Failed or repeated turns in a row before handing over (default 3). */
  stuckAfter?: number;
  /** A `human_agent` intent at least this confident hands over (default 0.6). */
  handoffConfidence?: number;
}

/**
 * Chooses the next action from the turn's understanding and the state:
 * 1. a person when the shopper asks for one, is angry, or is stuck (the same request, or a failure, three
 *    turns in a row);
 * 2. searches when the shopper looks for or refines products, asking for the one slot that matters (the
 *    category) when nothing says what to look for;
 * 3. item questions, add-to-cart and comparisons on the items the ordinals point at (or the focused item),
 *    asking which one when that is unclear;
 * 4. order status and returns need an order number; social turns and out-of-scope ones get their reply.
 *
 * @example const action = decide(state, update, nlu); // { type: 'search' }
 */
export function decide(state: DialogState, update: TurnUpdate, nlu: NluResult, options: PolicyOptions = {}): Action {
  const stuckAfter = options.stuckAfter ?? 3;
  // Handing over is costly: an unsure guess at "human_agent" ("i need something") does not trigger it.
  if (update.intent === 'human_agent' && nlu.intent.confidence >= (options.handoffConfidence ?? 0.6)) return { type: 'handoff', reason: 'asked' };
  if (nlu.emotion.label === 'angry' && nlu.emotion.confidence >= (options.angryConfidence ?? 0.6)) return { type: 'handoff', reason: 'angry' };
  if (state.repeats >= stuckAfter || (state.failures + 1 >= stuckAfter && wouldFail(state, update))) return { type: 'handoff', reason: 'stuck' };
  const focusOr = (): string | undefined => update.referenced[update.referenced.length - 1] ?? state.focus;
  switch (update.intent) {
    case 'greeting':
      return { type: 'greet' };
    case 'thanks':
      return { type: 'thank' };
    case 'goodbye':
      return { type: 'goodbye' };
    case 'out_of_scope':
      return { type: 'redirect' };
    case 'complaint':
      return { type: 'complaint' };
    case 'order_status':
      return update.orderId ? { type: 'order_status', orderId: update.orderId } : { type: 'order_status' };
    case 'return_refund':
      return update.orderId ? { type: 'return_refund', orderId: update.orderId } : { type: 'return_refund' };
    case 'search_product':
    case 'refine': {
      if (update.unresolvedReference) return { type: 'ask_which', purpose: 'ask_attribute' };
      const { category, brand } = state.slots;
      if (!category && !brand) return { type: 'ask_slot', slot: 'category' };
      return { type: 'search' };
    }
    case 'add_to_cart': {
      const item = focusOr();
      if (!item || update.unresolvedReference) return { type: 'ask_which', purpose: 'add_to_cart' };
      return { type: 'confirm_add', itemId: item };
    }
    case 'ask_attribute': {
      const item = focusOr();
      if (!item || update.unresolvedReference) return { type: 'ask_which', purpose: 'ask_attribute' };
      return { type: 'answer_attribute', itemId: item, attribute: update.attribute ?? 'details' };
    }
    case 'compare': {
      const ids = update.referenced.length >= 2 ? update.referenced.slice(-2) : state.lastShown.slice(0, 2).map((i) => i.id);
      if (ids.length < 2 || update.unresolvedReference) return { type: 'ask_which', purpose: 'compare' };
      return { type: 'compare', itemIds: [ids[0]!, ids[1]!] };
    }
    default:
      return { type: 'redirect' };
  }
}

/** Whether a turn is going to fail before searching: it cannot resolve what it points at. */
function wouldFail(state: DialogState, update: TurnUpdate): boolean {
  if (update.unresolvedReference) return true;
  if (update.intent === 'out_of_scope') return true;
  if ((update.intent === 'search_product' || update.intent === 'refine') && !state.slots.category && !state.slots.brand) return true;
  return false;
}

/**
 * Whether an action leaves the shopper's request unresolved (it counts towards being stuck).
 *
 * @example isFailure({ type: 'no_results', relaxed: false }) // true
 */
export function isFailure(action: Action): boolean {
  return action.type === 'no_results' || action.type === 'ask_which' || action.type === 'redirect' || action.type === 'ask_slot';
}
