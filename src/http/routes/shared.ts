import { Type } from '@sinclair/typebox';

export const ErrorSchema = Type.Object({
  error: Type.String({ description: 'invalid | unauthorized | forbidden | not_found | conflict | too_large | unavailable | internal' }),
  message: Type.String(), field: Type.Optional(Type.String()), index: Type.Optional(Type.Integer()),
}, { additionalProperties: true });

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, description: 'page size (default 100, capped by config maxPageSize)' })),
  cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page' })),
});

export function pageLimit(limit: number | undefined, max: number): number {
  return Math.min(limit ?? 100, max);
}

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
