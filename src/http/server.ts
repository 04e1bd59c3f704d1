import type { Services } from '../app/services.js';
import { buildApp } from './app.js';

/**
 * Starts the HTTP API on the configured host and port. `close()` stops accepting requests, lets the
 * running ones finish (their events commit), then returns; storage is closed by the caller.
 */
export async function startHttpServer(services: Services): Promise<{ url: string; close(): Promise<void> }> {
  const app = await buildApp(services);
  const address = await app.listen({ host: services.config.host, port: services.config.port });
  return { url: address.replace('[::1]', 'localhost'), close: () => app.close() };
}
