import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/services.js';
import { type Item, type ItemInput, ItemInputSchema } from '../../core/catalog.js';
import { registerResourceRoutes } from './catalog-routes.js';

/** The catalog: /v1/items. */
export function registerItemRoutes(app: FastifyInstance, services: Services): void {
  registerResourceRoutes<ItemInput, Item>(app, {
    name: 'items', noun: 'item', inputSchema: ItemInputSchema, store: services.storage.items,
    maxBatch: services.config.maxBatchEvents, maxPageSize: services.config.maxPageSize,
    listFilters: {
      schema: Type.Object({ category: Type.Optional(Type.String({ description: 'category path prefix, segments joined by " > ", e.g. "Music > Guitars"' })) }),
      toQuery: (q) => (typeof q.category === 'string' && q.category !== '' ? { categoryPrefix: q.category.split(' > ') } : {}),
    },
    merge: (current, patch) => ({ ...toInput(current), ...patch }),
  });
}

function toInput(item: Item): ItemInput {
  const input: ItemInput = {
    id: item.id, title: item.title, translations: item.translations, categoryPath: item.categoryPath, tags: item.tags,
    attributes: item.attributes, sponsored: item.sponsored, createdAt: item.createdAt,
  };
  if (item.description !== null) input.description = item.description;
  if (item.brand !== null) input.brand = item.brand;
  if (item.price !== null) input.price = item.price;
  if (item.currency !== null) input.currency = item.currency;
  if (item.imageUrl !== null) input.imageUrl = item.imageUrl;
  if (item.stock !== null) input.stock = item.stock;
  return input;
}
