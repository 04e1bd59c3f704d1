import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../auth/key-service.js';
import { EventMaker, testProcessor } from '../../profiles/profile-fixtures.js';
import { registerErrorHandling } from '../errors.js';
import { registerValidation } from '../validation.js';
import { registerProfileRoutes } from './profiles.js';

// The route alone on a bare app (it is not registered in app.ts yet); the principal stands in for auth.
describe('GET /v1/users/:id/profile', () => {
  const app = Fastify();
  const processor = testProcessor({ identities: new Map([['anon-1', 'u1']]) });

  beforeAll(async () => {
    const m = new EventMaker();
    await processor.process([
      m.track({ anonymousId: 'anon-1' }, 'Product Viewed', { productId: 'p1' }),
      m.identify('u1', 'anon-1'),
      m.track({ userId: 'u1' }, 'Order Completed', { revenue: 10, products: [{ productId: 'p1', quantity: 1, price: 10 }] }, { channel: 'web' }),
      m.track({ userId: 'u1' }, 'Products Searched', { query: '吉他' }),
    ]);
    registerValidation(app);
    registerErrorHandling(app);
    app.decorateRequest('principal', null as unknown as Principal);
    app.addHook('onRequest', async (request) => {
      request.principal = { keyId: 'k', workspaceId: 'shop', scopes: ['read'] };
    });
    registerProfileRoutes(app, processor);
    await app.ready();
  });
  afterAll(() => app.close());

  it('returns the whole profile with the log position it includes', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/users/u1/profile' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ workspaceId: 'shop', userId: 'u1', anonymous: false, consent: 'full', events: 4, logPosition: 4 });
    expect(body.interests.brands).toEqual([{ name: 'Yamaha', weight: expect.any(Number) }]);
    expect(body.rfm).toMatchObject({ orders: 1, revenue: 10 });
    expect(body.recentSearches).toEqual([{ query: '吉他', at: expect.any(Number) }]);
    expect(body.activeHours).toHaveLength(24);
    expect(body.channels).toEqual({ web: 1 });
  });

  it('finds the user by an identified anonymous id, decays to asOf, and 404s an unknown user', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/users/anon-1/profile' })).json().userId).toBe('u1');
    const later = (await app.inject({ method: 'GET', url: `/v1/users/u1/profile?asOf=${Date.UTC(2030, 0, 1)}` })).json();
    expect(later.interests.asOf).toBe(Date.UTC(2030, 0, 1));
    const missing = await app.inject({ method: 'GET', url: '/v1/users/nobody/profile' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found', field: 'id' });
    expect((await app.inject({ method: 'GET', url: '/v1/users/u1/profile?asOf=soon' })).statusCode).toBe(400);
  });
});
