import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/load.js';
import type { ConfigKey } from '../../src/config/schema.js';
import { buildApp } from '../../src/http/app.js';

export interface TestServer {
  url: string;
  adminKey: string;
  services: Services;
  /** fetch against the server with the admin key (or `key`), JSON in and out. */
  call(method: string, path: string, body?: unknown, key?: string | null, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export const TEST_ADMIN_KEY = 'sw_test_admin_key_0123456789abcdef';

/**
 * Starts the real server in-process on a random loopback port over a fresh SQLite file (or the storage
 * URL given), with a known admin key for workspace `demo`.
 */
export async function startTestServer(flags: Partial<Record<ConfigKey, unknown>> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'shopwise-test-'));
  const config = loadConfig({ env: {}, file: undefined, flags: { dataDir: dir, port: 0, host: '127.0.0.1', logLevel: 'silent', adminKey: TEST_ADMIN_KEY, ...flags } });
  const services = await createServices(config);
  await services.keys.bootstrap(config.defaultWorkspace, config.adminKey);
  const app = await buildApp(services);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    adminKey: TEST_ADMIN_KEY,
    services,
    async call(method, path, body, key = TEST_ADMIN_KEY, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (key !== null) (init.headers as Record<string, string>).authorization = `Bearer ${key}`;
      if (body !== undefined) {
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
      const response = await fetch(url + path, init);
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (metrics, docs): keep the text
      }
      return { status: response.status, body: parsed };
    },
    async close() {
      await app.close();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
