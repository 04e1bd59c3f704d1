import { Type, type Static } from '@sinclair/typebox';

const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\p{L}\\p{N}_.:@\\-+/=#~]+$' });
const Text = (maxLength: number, description?: string) => Type.String({ maxLength, description });

/** Title and description of an item in one more language, keyed by locale (`zh`, `en`, `zh-CN`). */
export const ItemTranslationSchema = Type.Object(
  { title: Type.Optional(Text(500)), description: Type.Optional(Text(20_000)) },
  { additionalProperties: false },
);

/** An item of the catalog as a client writes it. */
export const ItemInputSchema = Type.Object(
  {
    id: Id,
    title: Text(500, 'Title in the shop’s main language (any language).'),
    description: Type.Optional(Text(20_000)),
    translations: Type.Optional(Type.Record(Type.String({ maxLength: 35 }), ItemTranslationSchema)),
    categoryPath: Type.Optional(Type.Array(Text(200), { maxItems: 16, description: 'From root to leaf, e.g. ["Music", "Guitars", "Strings"].' })),
    brand: Type.Optional(Text(200)),
    price: Type.Optional(Type.Number({ minimum: 0 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. CNY, USD.' })),
    tags: Type.Optional(Type.Array(Text(100), { maxItems: 200 })),
    imageUrl: Type.Optional(Text(2048)),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    stock: Type.Optional(Type.Integer({ minimum: 0 })),
    sponsored: Type.Optional(Type.Boolean({ description: 'Paid placement; always shown as sponsored.' })),
    createdAt: Type.Optional(Type.Union([Type.String(), Type.Number()])),
  },
  { additionalProperties: false },
);
export type ItemInput = Static<typeof ItemInputSchema>;

export interface Item {
  workspaceId: string;
  id: string;
  title: string;
  description: string | null;
  translations: Record<string, { title?: string; description?: string }>;
  categoryPath: string[];
  brand: string | null;
  price: number | null;
  currency: string | null;
  tags: string[];
  imageUrl: string | null;
  attributes: Record<string, unknown>;
  stock: number | null;
  sponsored: boolean;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/** Purposes a user can consent to; each is asked and stored separately. */
export const CONSENT_PURPOSES = ['analytics', 'personalization', 'marketing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export type Consent = Partial<Record<ConsentPurpose, boolean>>;

export const ConsentSchema = Type.Object(
  { analytics: Type.Optional(Type.Boolean()), personalization: Type.Optional(Type.Boolean()), marketing: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, description: 'Consent per purpose; absent means not asked.' },
);

/** A user as a client writes it. */
export const UserInputSchema = Type.Object(
  {
    id: Id,
    traits: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    consent: Type.Optional(ConsentSchema),
  },
  { additionalProperties: false },
);
export type UserInput = Static<typeof UserInputSchema>;

export interface User {
  workspaceId: string;
  id: string;
  traits: Record<string, unknown>;
  consent: Consent;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/** A page of a list, with an opaque cursor for the next one (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
