import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { Assistant } from '../../dialog/assistant.js';
import type { PhotoSearch } from '../../dialog/photo-search.js';
import { ErrorSchema } from './shared.js';

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 128, description: `${description}; letters, digits and _.:@-+/=#~` });
/** Base64 of at most ~4 MB of image bytes. */
const MAX_IMAGE_BASE64 = 5_600_000;

const Slot = Type.Object({
  type: Type.String(), value: Type.String(), start: Type.Integer(), end: Type.Integer(), raw: Type.String(),
  source: Type.String({ description: 'model | gazetteer | rule' }), confidence: Type.Number(),
});
const Product = Type.Object({
  id: Type.String(), title: Type.String({ description: 'in the reply language when the shop gave a translation' }),
  price: Type.Union([Type.Number(), Type.Null()]), currency: Type.Union([Type.String(), Type.Null()]), brand: Type.Union([Type.String(), Type.Null()]),
  categoryPath: Type.Array(Type.String()), color: Type.Union([Type.String(), Type.Null()]), imageUrl: Type.Union([Type.String(), Type.Null()]),
  sponsored: Type.Boolean({ description: 'paid placement; show it as sponsored' }),
});
const SearchSlots = Type.Object({
  category: Type.Optional(Type.String()), brand: Type.Optional(Type.String()), color: Type.Optional(Type.String()), size: Type.Optional(Type.String()),
  priceMin: Type.Optional(Type.Number()), priceMax: Type.Optional(Type.Number()), excludedBrands: Type.Array(Type.String()),
  sort: Type.Optional(Type.String()),
}, { description: 'what the session is looking for, carried across turns' });
const Scored = Type.Object({ name: Type.String(), confidence: Type.Number() });
const ChatResponse = Type.Object({
  turnId: Type.String({ description: 'name it in POST /v1/chat/feedback' }),
  reply: Type.String(), intent: Scored, slots: SearchSlots, entities: Type.Array(Slot, { description: 'what the NLU found in this turn’s text' }),
  emotion: Type.Object({ label: Type.String({ description: 'positive | neutral | negative | angry' }), confidence: Type.Number() }),
  products: Type.Array(Product), handoff: Type.Boolean({ description: 'true: hand the conversation over to a person' }),
  language: Type.Union([Type.Literal('zh'), Type.Literal('en')]),
  action: Type.String({ description: 'what the assistant did: show_products, no_results, ask_slot, ask_which, answer_attribute, compare, confirm_add, order_status, return_refund, complaint, handoff, greet, thank, goodbye, redirect' }),
  cartItemId: Type.Optional(Type.String({ description: 'the item the shopper asked to add to the cart' })),
});

const NluStatus = Type.Object({
  state: Type.Union(['idle', 'loading', 'training', 'ready', 'failed'].map((s) => Type.Literal(s)), { description: 'ready: chat answers at once; loading / training: a chat waits for it; failed: the next chat tries again' }),
  source: Type.Optional(Type.Union([Type.Literal('trained'), Type.Literal('loaded')], { description: 'trained by this server, or loaded from <dataDir>/models/nlu/' })),
  trainedAt: Type.Optional(Type.String({ description: 'when the serving models were trained (ISO 8601)' })),
  retraining: Type.Boolean({ description: 'the serving models were trained on another catalog vocabulary or other options; new ones are due or training' }),
  slotTagger: Type.Boolean({ description: 'a BiGRU-CRF slot tagger fills what the catalog gazetteer and rules miss (e.g. misspelt brands)' }),
  report: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'the training report: examples, intents, seconds, held-out accuracy of the intent and emotion classifiers, the slot tagger’s held-out span F1' })),
  error: Type.Optional(Type.String({ description: 'why the last loading or training failed' })),
});

/**
 * The shopping assistant: POST /v1/chat, POST /v1/chat/feedback and GET /v1/chat/status.
 *
 * @example registerChatRoutes(app, services.chat, () => services.photoSearch);
 */
export function registerChatRoutes(app: FastifyInstance, assistant: Assistant | undefined, photoSearch: () => PhotoSearch | undefined = () => undefined): void {
  const require = (): Assistant => {
    if (!assistant) throw AppError.unavailable('the shopping assistant is not set up on this server');
    return assistant;
  };

  app.post('/v1/chat', {
    config: { scope: 'ingest' },
    schema: {
      tags: ['chat'], summary: 'One turn of the shopping assistant (text or a photo)',
      description: 'Understands the text (intent, slots, emotion; Chinese, English or mixed), keeps the session’s state (slots carry over; "cheaper", "in blue", "the second one", "不要这个牌子"), answers with products from the catalog ordered for the shopper, and hands over to a person when the shopper is frustrated. The server loads the workspace’s saved NLU models, or trains them in the background, when it starts; a turn that comes before they are ready waits for them (training takes about half a minute; GET /v1/chat/status says where it is). With `image` (base64 PNG or JPEG) it searches the catalog by the photo (503 when photo search is not set up). Each turn is logged as events.',
      body: Type.Object({
        sessionId: Id('the conversation'), userId: Type.Optional(Id('the shopper, when known (orders products by their profile)')),
        text: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
        image: Type.Optional(Type.String({ minLength: 8, maxLength: MAX_IMAGE_BASE64, description: 'base64 PNG or JPEG' })),
      }, { additionalProperties: false }),
      response: { 200: ChatResponse, 400: ErrorSchema, 503: ErrorSchema },
    },
  }, async (request) => {
    const body = request.body as { sessionId: string; userId?: string; text?: string; image?: string };
    if (body.text === undefined && body.image === undefined) throw AppError.invalid('send text or an image', { field: 'body/text' });
    let image: Uint8Array | undefined;
    if (body.image !== undefined) {
      const cleaned = body.image.replace(/^data:image\/[a-z+]+;base64,/iu, '');
      if (!/^[A-Za-z0-9+/=\s]+$/u.test(cleaned)) throw AppError.invalid('image must be base64 (PNG or JPEG bytes)', { field: 'body/image' });
      image = Buffer.from(cleaned, 'base64');
      if (image.length === 0) throw AppError.invalid('image decodes to no bytes', { field: 'body/image' });
    }
    const photos = image ? photoSearch() : undefined;
    if (image && !photos) throw AppError.unavailable('photo search is not available on this server (no image model is set up); send text instead');
    return require().turn(request.principal.workspaceId, { sessionId: body.sessionId, userId: body.userId, text: body.text, image }, { photoSearch: photos });
  });

  app.get('/v1/chat/status', {
    config: { scope: 'read' },
    schema: {
      tags: ['chat'], summary: 'Whether the assistant’s NLU is loaded or trained, and how well',
      description: 'The models are saved under <dataDir>/models/nlu/<workspace>/, keyed by the catalog’s vocabulary (brands, categories, colours, sizes) and the training options, and loaded at the next start when both match.',
      response: { 200: NluStatus },
    },
  }, async (request) => require().nluStatus(request.principal.workspaceId));

  app.post('/v1/chat/feedback', {
    config: { scope: 'ingest' },
    schema: {
      tags: ['chat'], summary: '"Was this helpful?" for one assistant turn',
      description: 'Logged as a `Chat Feedback` event. 404 when the turn is not one of the session’s (sessions are forgotten 30 minutes after their last turn).',
      body: Type.Object({ sessionId: Id('the conversation'), turnId: Type.String({ minLength: 1, maxLength: 200 }), helpful: Type.Boolean(), userId: Type.Optional(Id('the shopper')) }, { additionalProperties: false }),
      response: { 200: Type.Object({ turnId: Type.String(), recorded: Type.Boolean() }), 400: ErrorSchema, 404: ErrorSchema },
    },
  }, async (request) => {
    const body = request.body as { sessionId: string; turnId: string; helpful: boolean; userId?: string };
    return require().feedback(request.principal.workspaceId, body);
  });
}
