import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { ProfileProcessor } from '../../profiles/profile-processor.js';
import { ErrorSchema, IdParams } from './shared.js';

const Counts = (description: string) => Type.Record(Type.String(), Type.Integer(), { description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, description?: string) => Type.Union([schema, Type.Null()], { description });
const Interests = Type.Array(Type.Object({ name: Type.String(), weight: Type.Number() }));

/** The response of GET /v1/users/:id/profile: UserProfile (src/profiles/profile.ts) and the log position it includes. */
export const UserProfileSchema = Type.Object({
  workspaceId: Type.String(),
  userId: Type.String({ description: 'the user id, or the anonymous id of a visitor not identified yet' }),
  anonymous: Type.Boolean(),
  consent: Type.Union([Type.Literal('full'), Type.Literal('restricted')], { description: 'restricted: personalization declined, counts only' }),
  firstSeen: Type.Number({ description: 'event time (epoch ms) of the first event counted' }),
  lastSeen: Type.Number(),
  events: Type.Integer(),
  eventCounts: Counts('events per track name, or per type for page / screen / identify / alias'),
  interests: Type.Optional(Type.Object({
    asOf: Type.Number({ description: 'the weights are decayed to this time (epoch ms)' }),
    halfLifeDays: Type.Number(),
    categories: Interests, brands: Interests, tags: Interests,
  }, { description: 'exponentially decayed interest weights, strongest first; categories are paths joined by " > "' })),
  rfm: Type.Optional(Type.Object({
    orders: Type.Integer(), revenue: Type.Number(), averageOrderValue: Nullable(Type.Number()),
    firstOrderAt: Nullable(Type.Number()), lastOrderAt: Nullable(Type.Number()), daysSinceLastOrder: Nullable(Type.Number()), discountedOrders: Type.Integer(),
  })),
  price: Type.Optional(Type.Object({
    band: Nullable(Type.Integer({ minimum: 1, maximum: 5 }), '1 = cheapest fifth of the shop … 5 = dearest fifth'),
    quantile: Nullable(Type.Number()), typicalPrice: Nullable(Type.Number()), spread: Nullable(Type.Number()), typicalPaid: Nullable(Type.Number()),
    sensitivity: Nullable(Type.Number(), '0 (indifferent) … 1 (very price sensitive); null before a first order'),
    scale: Type.Union([Type.Literal('catalog'), Type.Literal('engaged'), Type.Literal('none')]),
  })),
  activeHours: Type.Optional(Type.Array(Type.Integer(), { minItems: 24, maxItems: 24, description: 'events per local hour of day' })),
  activeWeekdays: Type.Optional(Type.Array(Type.Integer(), { minItems: 7, maxItems: 7, description: 'events per weekday, Sunday first' })),
  channels: Type.Optional(Counts('events per channel')),
  platforms: Type.Optional(Counts('events per context.platform')),
  devices: Type.Optional(Counts('events per context.device type / model')),
  operatingSystems: Type.Optional(Counts('events per context.os.name')),
  recentItems: Type.Optional(Type.Array(Type.Object({ itemId: Type.String(), at: Type.Number() }), { description: 'newest first' })),
  recentSearches: Type.Optional(Type.Array(Type.Object({ query: Type.String(), at: Type.Number() }), { description: 'newest first' })),
  cart: Type.Optional(Type.Array(Type.Object({ itemId: Type.String(), quantity: Type.Number() }))),
  reviews: Type.Optional(Type.Object({ withText: Type.Integer(), sentiment: Nullable(Type.Number()), rated: Type.Integer(), meanRating: Nullable(Type.Number()) })),
  logPosition: Type.Integer({ description: 'the event log seq the profiles include: every event up to it is counted' }),
});

/**
 * GET /v1/users/:id/profile (scope read): the user's real-time profile from the profile processor.
 * `:id` may also be an anonymous id (the visitor's profile, or the user it was identified as).
 *
 * Wiring (in http/app.ts, once app/services.ts has `profiles: ProfileProcessor`):
 * `registerProfileRoutes(app, services.profiles);`
 *
 * @example registerProfileRoutes(app, processor); // GET /v1/users/u-1/profile → { userId: 'u-1', interests: {…}, … }
 */
export function registerProfileRoutes(app: FastifyInstance, processor: ProfileProcessor): void {
  app.get('/v1/users/:id/profile', {
    config: { scope: 'read' },
    schema: {
      tags: ['profiles'], summary: 'A user’s real-time profile',
      description: 'Interests with time decay, RFM, price band and sensitivity, active hours, channels and devices, recent items and searches, cart, review sentiment, event counts. A user who declined personalization has counts only (`consent: restricted`); one who declined analytics has no profile (404). Updated on every event within milliseconds of its commit.',
      params: IdParams,
      querystring: Type.Object({ asOf: Type.Optional(Type.Integer({ description: 'decay interests to this time, epoch ms (default now)' })) }, { additionalProperties: false }),
      response: { 200: UserProfileSchema, 404: ErrorSchema },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const { asOf } = request.query as { asOf?: number };
    const profile = await processor.getProfile(request.principal.workspaceId, id, asOf === undefined ? {} : { at: asOf });
    if (!profile) throw AppError.notFound(`no profile for user ${id} in this workspace: no events of theirs were processed, or they declined analytics`, { field: 'id' });
    return { ...profile, logPosition: processor.logPosition };
  });
}
