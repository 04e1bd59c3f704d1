import type { Item } from '../core/catalog.js';
import type { StoredEvent } from '../core/events.js';
import { AppError } from '../core/errors.js';
import type { SeededRandom } from '../math/random.js';
import { type Keyword, KeywordIndex, keywordTerms } from '../text/keywords.js';
import { type Neighbour, SubwordEmbedding, type SubwordEmbeddingOptions } from '../text/subword-embedding.js';
import { forEachProduct } from './apply-event.js';
import { FLAG } from './profile-layout.js';
import type { ProfileSource } from './segments/profile-source.js';
import { type TermTrendOptions, TermTrends, type TrendingTerm, type TrendQuery } from './term-trends.js';
import { type UserKeywordBagOptions, UserKeywordBags } from './user-keywords.js';

/** The text of a catalog item the tracker reads. */
export type ItemText = Pick<Item, 'id' | 'title'> & Partial<Pick<Item, 'description' | 'tags' | 'brand' | 'translations'>>;

/**
 * How much an event adds to its user's keywords, per term: a search or a review is the user's own
 * words (1); an item engaged with adds its title and tags, more the more committed the action.
 */
export const KEYWORD_EVENT_WEIGHTS: Readonly<Record<string, number>> = {
  'Products Searched': 1, 'Review Submitted': 1,
  'Product Viewed': 0.25, 'Product Clicked': 0.25, 'Product Added': 0.5, 'Product Liked': 0.5, 'Product Shared': 0.5, 'Order Completed': 1,
};

export interface VocabularyTrackerOptions {
  /** Seeds each workspace's subword model (forked per workspace). */
  rng: SeededRandom;
  trends?: TermTrendOptions;
  embedding?: Omit<SubwordEmbeddingOptions, 'rng'>;
  users?: UserKeywordBagOptions;
  /** Training budget per text observed, in tokens (default 64): the hot path's cost stays bounded. */
  trainTokensPerText?: number;
  /** Terms kept of one text (default 64 for searches and reviews, 4× for item descriptions). */
  maxTermsPerText?: number;
  /** Item texts remembered, to credit users for the items they engage with (default 100 000 per workspace). */
  maxItems?: number;
  /** Neighbours given per trending term (default 5), among words seen at least `neighbourMinCount` times (default 3). */
  neighbours?: number;
  neighbourMinCount?: number;
  /** The query that promotes a term to a tag (checked each time event time enters a new bucket). */
  promotion?: TrendQuery;
  weights?: Readonly<Record<string, number>>;
}

/** A trending term with its nearest known terms in the subword model. */
export interface TrendingTag extends TrendingTerm {
  neighbours: Neighbour[];
}

/** A term that trended once and became a tag of the shop's vocabulary. */
export interface PromotedTag {
  term: string;
  /** Event time it was first found trending, and its count in the window then. */
  since: number;
  count: number;
  neighbours: Neighbour[];
}

/** Promoted tags kept per workspace. */
const MAX_PROMOTED = 10_000;

interface WorkspaceVocabulary {
  keywords: KeywordIndex;
  trends: TermTrends;
  model: SubwordEmbedding;
  users: UserKeywordBags;
  /** Title and tag terms of items, newest last (bounded). */
  items: Map<string, string[]>;
  promoted: Map<string, { since: number; count: number }>;
  checkedBucket: number;
}

/**
 * Watches a shop's text stream — searches (`Products Searched` query), reviews (`Review Submitted`
 * title and text), item titles, descriptions and tags from the catalog — and learns from it:
 *
 * - the shop's background document frequencies (KeywordIndex), against which each user's keywords
 *   are scored (`userKeywords`): those are the user's keyword tags;
 * - a fastText-style subword model trained continuously on the same text (SubwordEmbedding), so a
 *   term never seen before has a vector at once and neighbours soon after;
 * - term counts in 5-minute buckets against a decayed background (TermTrends): `trending` lists the
 *   terms well above their background rate — new words included — each with its nearest known terms.
 *   A term found trending when event time enters a new bucket is promoted to a tag (`tags`).
 *
 * Searches and reviews count towards trends; item text trains the model and the background but not
 * the trends (a catalog import would otherwise flood them). Users who declined personalization are
 * counted in the shop's aggregates but get no keyword bag (`personal: false`).
 *
 * Feeding it: `follow(processor)` subscribes to the profile processor's per-event hook
 * (`onEventApplied`), which calls `observe(event, { personal })` for every event applied to a profile
 * — users who declined analytics are never counted — with `personal` false for restricted profiles.
 * The catalog path calls `observeItem` for each item written (or a catalog scan at start-up). The
 * state lives in memory: after a restart it rebuilds from the events replayed and the items seen.
 *
 * @example
 * const vocabulary = new VocabularyTracker({ rng: new SeededRandom(1).fork('vocabulary') });
 * vocabulary.follow(processor);
 * vocabulary.trending('shop', { limit: 10 }); // [{ term, count, ratio, firstSeen, neighbours }]
 */
export class VocabularyTracker {
  private readonly workspaces = new Map<string, WorkspaceVocabulary>();
  private readonly weights: Readonly<Record<string, number>>;
  private readonly trainBudget: number;
  private readonly maxTerms: number;

  constructor(private readonly options: VocabularyTrackerOptions) {
    this.weights = options.weights ?? KEYWORD_EVENT_WEIGHTS;
    this.trainBudget = options.trainTokensPerText ?? 64;
    this.maxTerms = options.maxTermsPerText ?? 64;
    if (!(this.trainBudget >= 0)) throw AppError.invalid(`trainTokensPerText must be ≥ 0, got ${this.trainBudget}`, { field: 'trainTokensPerText' });
    if (!(Number.isInteger(this.maxTerms) && this.maxTerms >= 1)) throw AppError.invalid(`maxTermsPerText must be an integer ≥ 1, got ${this.maxTerms}`, { field: 'maxTermsPerText' });
  }

  /**
   * Observes every event the processor applies to a profile (its `onEventApplied` hook), personal
   * unless the profile is restricted. Returns the unsubscribe function.
   *
   * @example const stop = vocabulary.follow(processor);
   */
  follow(source: Pick<ProfileSource, 'onEventApplied'>): () => void {
    return source.onEventApplied((e, profile) => this.observe(e, { personal: (profile.table.flags(profile.slot) & FLAG.restricted) === 0 }));
  }

  /**
   * Learns from one event: searches and reviews are counted and trained on; product events credit the
   * user with the keywords of the items (when their text was observed); identify and alias move an
   * anonymous visitor's keywords to the user. `personal: false` keeps the event out of user bags.
   */
  observe(e: StoredEvent, options: { personal?: boolean } = {}): void {
    const ws = this.workspace(e.workspaceId);
    const personal = options.personal ?? true;
    if (e.type === 'identify' && e.userId !== null && e.anonymousId !== null) ws.users.merge(e.anonymousId, e.userId);
    else if (e.type === 'alias' && e.userId !== null && e.previousId !== null) ws.users.merge(e.previousId, e.userId);
    if (e.type !== 'track') return;
    const user = e.userId ?? e.anonymousId;
    const weight = this.weights[e.event] ?? 0;
    const props = e.properties;
    let text: string | undefined;
    if (e.event === 'Products Searched' && typeof props.query === 'string') text = props.query;
    else if (e.event === 'Review Submitted') text = [props.title, props.text].filter((s) => typeof s === 'string' && s !== '').join('\n');
    if (text) {
      const terms = keywordTerms(text).slice(0, this.maxTerms);
      if (terms.length === 0) return;
      ws.keywords.addDocument(terms);
      ws.trends.add(terms, e.timestamp);
      ws.model.add(terms);
      ws.model.train(this.trainBudget);
      if (personal && user !== null) ws.users.add(user, terms, weight, e.timestamp);
      this.promote(ws);
      return;
    }
    if (!personal || user === null || !(weight > 0)) return;
    forEachProduct(props, (id) => {
      const terms = ws.items.get(id);
      if (terms) ws.users.add(user, terms, weight, e.timestamp);
    });
  }

  /**
   * Learns from a catalog item's text: title, tags, brand, description and their translations train
   * the model; the first time an item is seen it is also counted as a document of the background.
   */
  observeItem(workspaceId: string, item: ItemText): void {
    const ws = this.workspace(workspaceId);
    const translations = Object.values(item.translations ?? {});
    const head = keywordTerms([item.title, ...(item.tags ?? []), item.brand ?? '', ...translations.map((t) => t.title ?? '')].join('\n')).slice(0, this.maxTerms);
    const body = keywordTerms([item.description ?? '', ...translations.map((t) => t.description ?? '')].join('\n')).slice(0, this.maxTerms * 4);
    if (!ws.items.has(item.id)) ws.keywords.addDocument([...head, ...body]);
    ws.items.delete(item.id);
    ws.items.set(item.id, [...new Set(head)]);
    const max = this.options.maxItems ?? 100_000;
    if (ws.items.size > max) ws.items.delete(ws.items.keys().next().value!);
    ws.model.add(head);
    ws.model.add(body);
    ws.model.train(this.trainBudget * 4);
  }

  /**
   * The terms trending now (see TermTrends.trending for the query), each with its nearest known
   * terms by the subword model.
   *
   * @example tracker.trending('shop', { limit: 10, windowMs: 3_600_000 })
   */
  trending(workspaceId: string, query: TrendQuery = {}): TrendingTag[] {
    const ws = this.workspaces.get(workspaceId);
    if (!ws) return [];
    return ws.trends.trending(query).map((t) => ({ ...t, neighbours: this.neighbours(ws, t.term) }));
  }

  /** The terms promoted to tags since tracking began, newest first, with their neighbours now. */
  tags(workspaceId: string, options: { limit?: number } = {}): PromotedTag[] {
    const ws = this.workspaces.get(workspaceId);
    if (!ws) return [];
    return [...ws.promoted].sort((a, b) => b[1].since - a[1].since || (a[0] < b[0] ? -1 : 1)).slice(0, options.limit ?? 100)
      .map(([term, { since, count }]) => ({ term, since, count, neighbours: this.neighbours(ws, term) }));
  }

  /**
   * A user's keyword tags: the terms of their searches, reviews and items, decayed, scored against
   * the shop's background (BM25-style, KeywordIndex.topKeywords), best first. Terms weighing less
   * than `minCount` (default 0.5: half a search after decay, or two item views) are left out.
   *
   * @example tracker.userKeywords('shop', 'u-1', { limit: 5 }) // [{ term: '降噪', count: 3.2, score: 4.1 }, …]
   */
  userKeywords(workspaceId: string, userId: string, options: { limit?: number; minCount?: number; at?: number } = {}): Keyword[] {
    const ws = this.workspaces.get(workspaceId);
    if (!ws) return [];
    const at = options.at ?? (Number.isFinite(ws.trends.watermark) ? ws.trends.watermark : Date.now());
    return ws.keywords.topKeywords(ws.users.bag(userId, at), { limit: options.limit ?? 10, minCount: options.minCount ?? 0.5 });
  }

  /** The subword model of a workspace (created on first use). */
  embedding(workspaceId: string): SubwordEmbedding {
    return this.workspace(workspaceId).model;
  }

  stats(workspaceId: string): { documents: number; terms: number; trendTerms: number; users: number; items: number; promoted: number; model: ReturnType<SubwordEmbedding['stats']> } | undefined {
    const ws = this.workspaces.get(workspaceId);
    if (!ws) return undefined;
    return {
      documents: ws.keywords.documents, terms: ws.keywords.terms, trendTerms: ws.trends.size, users: ws.users.size, items: ws.items.size,
      promoted: ws.promoted.size, model: ws.model.stats(),
    };
  }

  private neighbours(ws: WorkspaceVocabulary, term: string): Neighbour[] {
    return ws.model.nearest(term, this.options.neighbours ?? 5, { minCount: this.options.neighbourMinCount ?? 3 });
  }

  /** Promotes the terms trending when event time enters a new bucket. */
  private promote(ws: WorkspaceVocabulary): void {
    const bucketMs = this.options.trends?.bucketMs ?? 300_000;
    const bucket = Math.floor(ws.trends.watermark / bucketMs);
    if (bucket <= ws.checkedBucket) return;
    ws.checkedBucket = bucket;
    for (const t of ws.trends.trending({ limit: 50, ...this.options.promotion })) if (!ws.promoted.has(t.term)) ws.promoted.set(t.term, { since: ws.trends.watermark, count: t.count });
    // Bounded: the oldest promotions go first (Map keeps insertion order).
    while (ws.promoted.size > MAX_PROMOTED) ws.promoted.delete(ws.promoted.keys().next().value!);
  }

  private workspace(id: string): WorkspaceVocabulary {
    let ws = this.workspaces.get(id);
    if (!ws) {
      ws = {
        keywords: new KeywordIndex(), trends: new TermTrends(this.options.trends),
        model: new SubwordEmbedding({ ...this.options.embedding, rng: this.options.rng.fork(`subwords:${id}`) }),
        users: new UserKeywordBags(this.options.users), items: new Map(), promoted: new Map(), checkedBucket: -Infinity,
      };
      this.workspaces.set(id, ws);
    }
    return ws;
  }
}
