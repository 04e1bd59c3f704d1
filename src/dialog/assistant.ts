import { randomUUID } from 'node:crypto';
import type { Item } from '../core/catalog.js';
import { AppError } from '../core/errors.js';
import { isValidId } from '../core/ids.js';
import type { UserProfile } from '../profiles/profile.js';
import type { CatalogCache, CatalogSnapshot } from './catalog-cache.js';
import { itemColor, itemTitle } from './domain/catalog-vocabulary.js';
import type { Emotion, NluParser, NluResult, Slot } from './nlu.js';
import { mainLanguage } from './nlu/nlu-pipeline.js';
import type { WorkspaceNluStatus } from './nlu/workspace-nlu.js';
import type { PhotoSearch } from './photo-search.js';
import { type Action, decide, isFailure, type PolicyOptions } from './policy/policy.js';
import { type ScoredId, searchProducts } from './product-search.js';
import { composeReply } from './responses/replies.js';
import { type DialogState, type SearchSlots, updateState } from './state/dialog-state.js';
import type { SessionStore } from './state/session-store.js';

/** A product in a chat answer. */
export interface ChatProduct {
  id: string;
  title: string;
  price: number | null;
  currency: string | null;
  brand: string | null;
  categoryPath: string[];
  color: string | null;
  imageUrl: string | null;
  /** Paid placement: always shown as sponsored. */
  sponsored: boolean;
}

export interface ChatTurnInput {
  sessionId: string;
  userId?: string;
  text?: string;
  /** PNG or JPEG bytes of a photo to search the catalog by. */
  image?: Uint8Array;
}

export interface ChatTurnResult {
  turnId: string;
  reply: string;
  intent: { name: string; confidence: number };
  /** The search slots carried in the session after this turn. */
  slots: SearchSlots;
  /** What the NLU found in this turn's text. */
  entities: Slot[];
  emotion: { label: Emotion; confidence: number };
  products: ChatProduct[];
  handoff: boolean;
  language: 'zh' | 'en';
  action: Action['type'];
  /** What the storefront should do, when anything (add the item to the cart). */
  cartItemId?: string;
}

/** The services the assistant works with, narrowed to what it calls. */
export interface AssistantDeps {
  catalogs: CatalogCache;
  nlu: { parser(workspaceId: string): Promise<NluParser>; status?(workspaceId: string): WorkspaceNluStatus };
  sessions: SessionStore;
  profiles?: { getProfile(workspaceId: string, userId: string): Promise<UserProfile | undefined> };
  /** The recommender's items for a user, best first (throws when no model is trained: ignored). */
  recommend?: (workspaceId: string, userId: string, n: number) => Promise<ScoredId[]>;
  popular?: (workspaceId: string, n: number) => Promise<ScoredId[]>;
  /** Writes events to the log (e.g. IngestService.ingest). */
  ingest?: (workspaceId: string, events: unknown[]) => Promise<unknown>;
  photoSearch?: PhotoSearch;
  policy?: PolicyOptions;
  /** Products per answer (default 5). */
  productsPerTurn?: number;
  onError?: (error: unknown) => void;
}

/**
 * The shopping assistant's turn: parse the text → update the session's state → choose the action →
 * products from the catalog filtered by the slots and ordered by the shopper's profile, the recommender
 * and popularity → the reply in the shopper's language. Each turn is logged as events (`Products
 * Searched` with the query when products were searched, and `Chat Message` with the products shown) so the
 * profile follows the conversation; `feedback` logs `Chat Feedback`.
 *
 * @example
 * const assistant = new Assistant({ catalogs, nlu, sessions, ingest: (ws, e) => ingest.ingest(ws, e) });
 * const turn = await assistant.turn('demo', { sessionId: 's1', text: '有没有300元以内的蓝色运动鞋' });
 * turn.products.every((p) => (p.price ?? 0) <= 300); // true
 */
export class Assistant {
  private readonly popularCache = new Map<string, { at: number; items: Promise<ScoredId[] | undefined>; refreshing: boolean }>();

  constructor(private readonly deps: AssistantDeps) {}

  /** The workspace's NLU parser (trained on first use), e.g. to score it apart from the dialog. */
  parser(workspaceId: string): Promise<NluParser> {
    return this.deps.nlu.parser(workspaceId);
  }

  /** Where the workspace's NLU is (loading, training, ready) and how its training went. */
  nluStatus(workspaceId: string): WorkspaceNluStatus {
    return this.deps.nlu.status?.(workspaceId) ?? { state: 'idle', retraining: false, slotTagger: false };
  }

  /** One turn; `photoSearch` (else the one given to the constructor) answers a turn with an image. */
  async turn(workspaceId: string, input: ChatTurnInput, options: { photoSearch?: PhotoSearch } = {}): Promise<ChatTurnResult> {
    if (!isValidId(input.sessionId)) throw AppError.invalid('sessionId must be 1–128 letters, digits or _.:@-+/=#~', { field: 'sessionId' });
    if (input.userId !== undefined && !isValidId(input.userId)) throw AppError.invalid('userId must be 1–128 letters, digits or _.:@-+/=#~', { field: 'userId' });
    const text = input.text?.trim() ?? '';
    if (text === '' && !input.image) throw AppError.invalid('a chat turn needs text or an image', { field: 'text' });
    if (text.length > 2000) throw AppError.invalid(`text is ${text.length} characters; a chat turn takes at most 2000`, { field: 'text' });
    const catalog = await this.deps.catalogs.get(workspaceId);
    const state = this.deps.sessions.open(workspaceId, input.sessionId);
    if (input.userId) state.userId = input.userId;
    if (text !== '') state.language = mainLanguage(text);
    state.turn++;
    // Short whatever the session id is, so the event ids made from it stay valid (≤ 128 characters).
    const turnId = `t${state.turn}-${randomUUID()}`;
    state.turnIds = [...state.turnIds.slice(-49), turnId];
    const photoSearch = options.photoSearch ?? this.deps.photoSearch;
    if (input.image && !photoSearch) throw AppError.unavailable('photo search is not available on this server (no image model is set up); send text instead');
    const result = input.image ? await this.photoTurn(workspaceId, state, catalog, input.image, turnId, photoSearch!) : await this.textTurn(workspaceId, state, catalog, text, turnId);
    this.log(workspaceId, state, text, result);
    return result;
  }

  /** Logs whether a turn helped (`Chat Feedback`); the turn must be one of the session's. */
  async feedback(workspaceId: string, input: { sessionId: string; turnId: string; helpful: boolean; userId?: string }): Promise<{ turnId: string; recorded: boolean }> {
    const state = this.deps.sessions.get(workspaceId, input.sessionId);
    if (!state || !state.turnIds.includes(input.turnId)) {
      throw AppError.notFound(`turn ${input.turnId} is not a turn of session ${input.sessionId} (sessions are forgotten 30 minutes after their last turn)`, { field: 'turnId' });
    }
    await this.deps.ingest?.(workspaceId, [{
      type: 'track', event: 'Chat Feedback', ...this.who(state, input.userId), messageId: `${input.turnId}:feedback`,
      properties: { sessionId: input.sessionId, turnId: input.turnId, helpful: input.helpful }, context: { sessionId: input.sessionId },
    }]);
    return { turnId: input.turnId, recorded: this.deps.ingest !== undefined };
  }

  private async textTurn(workspaceId: string, state: DialogState, catalog: CatalogSnapshot, text: string, turnId: string): Promise<ChatTurnResult> {
    const nlu = await (await this.deps.nlu.parser(workspaceId)).parse(text);
    const before: SearchSlots = { ...state.slots, excludedBrands: [...state.slots.excludedBrands] };
    const update = updateState(state, nlu, catalog);
    let action = decide(state, update, nlu, this.deps.policy);
    let products: Item[] = [];
    let attempted: SearchSlots | undefined;
    if (action.type === 'search') {
      products = await this.search(workspaceId, state, catalog, state.slots);
      action = products.length > 0 ? { type: 'show_products', count: products.length } : { type: 'no_results', relaxed: false };
      if (products.length === 0) {
        // Say what was not found, but keep what worked, so the next refinement starts from it; show the
        // nearest products (one slot dropped) unless the shopper asked for cheaper or dearer.
        attempted = state.slots;
        state.slots = before;
        if (!update.changed.includes('cheaper') && !update.changed.includes('pricier')) {
          for (const relaxed of relaxations(attempted)) {
            products = await this.search(workspaceId, state, catalog, relaxed);
            if (products.length === 0) continue;
            // The shopper now looks at these: later refinements start from what found them.
            state.slots = relaxed;
            action = { type: 'no_results', relaxed: true };
            break;
          }
        }
      }
    }
    state.failures = isFailure(action) ? state.failures + 1 : 0;
    if (isFailure(action) && state.failures >= (this.deps.policy?.stuckAfter ?? 3)) action = { type: 'handoff', reason: 'stuck' };
    if (action.type === 'handoff') state.handedOff = true;
    if (action.type === 'order_status' || action.type === 'return_refund') state.awaiting = action.orderId ? undefined : action.type;
    else state.awaiting = undefined;
    if (products.length > 0) {
      state.lastShown = products.map((p) => ({ id: p.id, price: p.price, brand: p.brand }));
      state.focus = products.length === 1 ? products[0]!.id : undefined;
    }
    return this.answer(state, catalog, nlu, update.changed, action, products, turnId, attempted);
  }

  private async photoTurn(workspaceId: string, state: DialogState, catalog: CatalogSnapshot, image: Uint8Array, turnId: string, photoSearch: PhotoSearch): Promise<ChatTurnResult> {
    const n = this.deps.productsPerTurn ?? 5;
    const matches = await photoSearch.search(workspaceId, image, n * 2);
    const products = matches.map((m) => catalog.byId.get(m.itemId)).filter((i): i is Item => i !== undefined).slice(0, n);
    const action: Action = products.length > 0 ? { type: 'show_products', count: products.length } : { type: 'no_results', relaxed: false };
    if (products.length > 0) state.lastShown = products.map((p) => ({ id: p.id, price: p.price, brand: p.brand }));
    state.failures = products.length > 0 ? 0 : state.failures + 1;
    const nlu: NluResult = {
      text: '', language: state.language, intent: { name: 'search_product', confidence: 1 }, outOfScope: false, intentRanking: [], slots: [], emotion: { label: 'neutral', confidence: 1 },
    };
    const result = this.answer(state, catalog, nlu, [], action, products, turnId);
    const zh = state.language === 'zh';
    if (products.length === 0) return { ...result, reply: zh ? '抱歉，没有找到和照片相似的商品。' : 'Sorry, nothing in the shop looks like that photo.' };
    return { ...result, reply: [zh ? '这些商品和您的照片很像：' : 'These look like your photo:', ...result.reply.split('\n').slice(1)].join('\n') };
  }

  private async search(workspaceId: string, state: DialogState, catalog: CatalogSnapshot, slots: SearchSlots): Promise<Item[]> {
    const userId = state.userId;
    const quiet = <T>(p: Promise<T> | undefined): Promise<T | undefined> => (p ? p.catch(() => undefined) : Promise.resolve(undefined));
    const [profile, recommended, popular] = await Promise.all([
      quiet(userId ? this.deps.profiles?.getProfile(workspaceId, userId) : undefined),
      quiet(userId ? this.deps.recommend?.(workspaceId, userId, 200) : undefined),
      this.popularItems(workspaceId),
    ]);
    return searchProducts(catalog.items, slots, { profile, recommended, popular }, this.deps.productsPerTurn ?? 5);
  }

  /** The shop's popular items: fetched once, then refreshed in the background every minute (a turn never waits for a refit). */
  private popularItems(workspaceId: string): Promise<ScoredId[] | undefined> {
    const popular = this.deps.popular;
    if (!popular) return Promise.resolve(undefined);
    const fetch = () => popular(workspaceId, 200).catch(() => undefined);
    const cached = this.popularCache.get(workspaceId);
    if (!cached) {
      const entry = { at: Date.now(), items: fetch(), refreshing: false };
      this.popularCache.set(workspaceId, entry);
      return entry.items;
    }
    if (Date.now() - cached.at > 60_000 && !cached.refreshing) {
      cached.refreshing = true;
      const next = fetch();
      void next.then((items) => {
        Object.assign(cached, { at: Date.now(), items: Promise.resolve(items), refreshing: false });
      });
    }
    return cached.items;
  }

  private answer(state: DialogState, catalog: CatalogSnapshot, nlu: NluResult, changed: string[], action: Action, products: Item[], turnId: string, replySlots?: SearchSlots): ChatTurnResult {
    const language = state.language;
    const categoryEn = new Map(catalog.vocabulary.categories.map((c) => [c.value, c.en[0] ?? c.value]));
    const reply = composeReply(action, {
      language, emotion: nlu.emotion.label, seed: `${state.sessionId}:${state.turn}`, slots: replySlots ?? state.slots, changed,
      products: products.map((p) => ({ id: p.id, title: itemTitle(p, language), price: p.price, currency: p.currency, sponsored: p.sponsored })),
      categoryName: (v) => (language === 'en' ? categoryEn.get(v) ?? v : v),
      item: (id) => catalog.byId.get(id), itemTitle: (item) => itemTitle(item, language),
    });
    return {
      turnId, reply, intent: nlu.intent, slots: { ...state.slots, excludedBrands: [...state.slots.excludedBrands] }, entities: nlu.slots, emotion: nlu.emotion,
      products: products.map((p) => productOf(p, language)), handoff: action.type === 'handoff', language, action: action.type,
      ...(action.type === 'confirm_add' ? { cartItemId: action.itemId } : {}),
    };
  }

  private who(state: DialogState, userId?: string): { userId: string } | { anonymousId: string } {
    const id = userId ?? state.userId;
    return id ? { userId: id } : { anonymousId: state.sessionId };
  }

  /** Events of a turn, written in the background (a chat answer does not wait for the log). */
  private log(workspaceId: string, state: DialogState, text: string, r: ChatTurnResult): void {
    if (!this.deps.ingest) return;
    const who = this.who(state);
    const context = { sessionId: state.sessionId, locale: r.language };
    const productIds = r.products.map((p) => p.id);
    const events: unknown[] = [];
    if (r.action === 'show_products' || r.action === 'no_results') {
      const { excludedBrands, ...slots } = r.slots;
      events.push({ type: 'track', event: 'Products Searched', ...who, messageId: `${r.turnId}:search`, context, properties: { query: text || '(photo)', ...slots, excludedBrands, results: productIds.length, source: 'chat' } });
    }
    events.push({
      type: 'track', event: 'Chat Message', ...who, messageId: `${r.turnId}:message`, context,
      properties: { sessionId: state.sessionId, turnId: r.turnId, text: text.slice(0, 2000), intent: r.intent.name, confidence: r.intent.confidence, emotion: r.emotion.label, language: r.language, action: r.action, handoff: r.handoff, productIds, ...(r.cartItemId ? { cartItemId: r.cartItemId } : {}) },
    });
    void this.deps.ingest(workspaceId, events).catch((error) => this.deps.onError?.(error));
  }
}

/** The slots with one constraint dropped, least important first: colour, size, brand, price, exclusions. */
function relaxations(slots: SearchSlots): SearchSlots[] {
  const out: SearchSlots[] = [];
  const without = (patch: Partial<SearchSlots>) => out.push({ ...slots, ...patch });
  if (slots.color) without({ color: undefined });
  if (slots.size) without({ size: undefined });
  if (slots.brand) without({ brand: undefined });
  if (slots.priceMin !== undefined || slots.priceMax !== undefined) without({ priceMin: undefined, priceMax: undefined });
  if (slots.excludedBrands.length > 0) without({ excludedBrands: [] });
  return out;
}

function productOf(item: Item, language: 'zh' | 'en'): ChatProduct {
  return {
    id: item.id, title: itemTitle(item, language), price: item.price, currency: item.currency, brand: item.brand, categoryPath: item.categoryPath,
    color: itemColor(item), imageUrl: item.imageUrl, sponsored: item.sponsored,
  };
}
