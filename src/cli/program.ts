import { Command } from 'commander';
import { registerConfig } from './commands/config.js';
import { registerEval } from './commands/eval.js';
import { registerImport } from './commands/import.js';
import { registerNlu } from './commands/nlu.js';
import { registerProfile } from './commands/profile.js';
import { registerSegments } from './commands/segments.js';
import { registerSimulate } from './commands/simulate.js';
import { registerStart } from './commands/start.js';
import { registerTrain } from './commands/train.js';
import { addGlobalOptions } from './global-options.js';

import type { CliRuntime } from './runtime.js';

/** The `shopwise` command line. */
export function buildProgram(runtime: CliRuntime): Command {
  const program = addGlobalOptions(new Command('shopwise'))
    .description('Shopwise: self-hosted intelligent marketing engine for e-commerce')
    .showHelpAfterError()
    .enablePositionalOptions(false);
  registerStart(program, runtime);
  registerSimulate(program);
  registerImport(program);
  registerTrain(program);
  registerEval(program);
  registerProfile(program);
  registerSegments(program);
  registerConfig(program);
  registerNlu(program);
  return program;
}
