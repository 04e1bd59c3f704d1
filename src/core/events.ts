import { Type, type Static } from '@sinclair/typebox';

/**
 * Events follow the Segment spec: `track` (a named action), `identify` (who the user is, with traits),
 * `page` / `screen` (a view in web or app), `alias` (two ids are one person).
 */
export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Where the event came from; `search` means arriving from a search engine, `social` from a social network. */
export const CHANNELS = ['web', 'app', 'mini-program', 'social', 'search', 'store', 'email', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

// The character rule of ids (core/ids.ts isValidId) is checked by validateEvent: TypeBox's compiler builds
// patterns without the `u` flag, so \p{L} cannot be expressed here.
const Id = Type.String({ minLength: 1, maxLength: 128, description: 'letters, digits and _.:@-+/=#~' });
const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const EventContextSchema = Type.Object(
  {
    channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
    platform: Type.Optional(Type.String({ maxLength: 64 })),
    device: Type.Optional(JsonObject),
    locale: Type.Optional(Type.String({ maxLength: 35 })),
    ip: Type.Optional(Type.String({ maxLength: 64 })),
    userAgent: Type.Optional(Type.String({ maxLength: 1024 })),
    campaign: Type.Optional(JsonObject),
    page: Type.Optional(JsonObject),
    sessionId: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: true, description: 'Where and how the event happened.' },
);

/** One incoming event as a client sends it (Segment-style). */
export const EventInputSchema = Type.Object(
  {
    type: Type.Union(EVENT_TYPES.map((t) => Type.Literal(t)), { description: 'track | identify | page | screen | alias' }),
    event: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Event name for `track`, e.g. "Product Viewed".' })),
    name: Type.Optional(Type.String({ maxLength: 200, description: 'Page or screen name for `page` / `screen`.' })),
    userId: Type.Optional(Id),
    anonymousId: Type.Optional(Id),
    previousId: Type.Optional(Type.Union([Id], { description: 'For `alias`: the id being merged into `userId`.' })),
    properties: Type.Optional(JsonObject),
    traits: Type.Optional(JsonObject),
    timestamp: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Number()], { description: 'ISO 8601 or epoch ms; defaults to receive time.' })),
    context: Type.Optional(EventContextSchema),
    messageId: Type.Optional(Type.Union([Id], { description: 'Client-unique id; a repeated messageId is stored once.' })),
  },
  { additionalProperties: false },
);
export type EventInput = Static<typeof EventInputSchema>;

/** An event after validation and normalisation, ready for the event log. */
export interface NormalizedEvent {
  workspaceId: string;
  messageId: string;
  type: EventType;
  /** Event name: the `event` of a track, the `name` of a page/screen, or the type for identify/alias. */
  event: string;
  userId: string | null;
  anonymousId: string | null;
  /** For alias: the id merged into userId. */
  previousId: string | null;
  timestamp: number;
  receivedAt: number;
  channel: Channel | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  /**
   * The three objects above already serialised, when validation has done it (it must, to check the
   * event's size): the write path stores these strings instead of serialising again.
   */
  encoded?: EncodedEventJson;
}

export interface EncodedEventJson {
  properties: string;
  traits: string;
  context: string;
}

/** The event's JSON columns: the strings validation made, or made now for events built in code. */
export function encodedJson(e: NormalizedEvent): EncodedEventJson {
  return e.encoded ?? { properties: JSON.stringify(e.properties), traits: JSON.stringify(e.traits), context: JSON.stringify(e.context) };
}

/** An event as stored: the normalised event plus its position in the log. */
export interface StoredEvent extends NormalizedEvent {
  seq: number;
}

export type AppendStatus = 'stored' | 'duplicate';

/**
 * The standard e-commerce events Shopwise understands (names and properties follow Segment's
 * e-commerce spec). Other names are stored as given.
 */
export const STANDARD_EVENTS = {
  'Product Viewed': 'properties: productId, price?, category?, position?',
  'Product Clicked': 'properties: productId, position?, list?',
  'Product Added': 'properties: productId, quantity?, price? (added to cart)',
  'Product Removed': 'properties: productId, quantity?',
  'Order Completed': 'properties: orderId, revenue, currency?, products: [{ productId, quantity, price }]',
  'Products Searched': 'properties: query',
  'Review Submitted': 'properties: productId, rating (1–5), text?, title?',
  'Product Shared': 'properties: productId, shareVia?',
  'Product Liked': 'properties: productId',
  'Promotion Viewed': 'properties: promotionId, creative?, position?',
  'Promotion Clicked': 'properties: promotionId, creative?, position?',
  'Recommendation Shown': 'properties: requestId?, productIds: string[], placement?',
  'Recommendation Clicked': 'properties: requestId?, productId, position?',
} as const;
export type StandardEventName = keyof typeof STANDARD_EVENTS;
