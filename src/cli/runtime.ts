import type { Services } from '../app/services.js';

/** What the CLI needs from the layers it may not import (http): injected by main.ts. */
export interface CliRuntime {
  startServer(services: Services): Promise<{ url: string; close(): Promise<void> }>;
}
