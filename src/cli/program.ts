import { Command } from 'commander';
import type { Services } from '../app/services.js';
import { registerConfig } from './commands/config.js';
import { registerImport } from './commands/import.js';
import { registerSimulate } from './commands/simulate.js';
import { registerStart } from './commands/start.js';
import { addGlobalOptions } from './global-options.js';

/** What the CLI needs from the layers it may not import (http): injected by main.ts. */
export interface CliRuntime {
  startServer(services: Services): Promise<{ url: string; close(): Promise<void> }>;
}

/** The `shopwise` command line. */
export function buildProgram(runtime: CliRuntime): Command {
  const program = addGlobalOptions(new Command('shopwise'))
    .description('Shopwise: self-hosted intelligent marketing engine for e-commerce')
    .showHelpAfterError()
    .enablePositionalOptions(false);
  registerStart(program, runtime);
  registerSimulate(program);
  registerImport(program);
  registerConfig(program);
  return program;
}
