// Wiring only: the CLI gets the HTTP server through the runtime, so nothing below imports http.
import { isAppError } from './core/errors.js';
import { buildProgram } from './cli/program.js';
import { startHttpServer } from './http/server.js';

const program = buildProgram({ startServer: startHttpServer });
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (isAppError(error)) {
    console.error(`shopwise: ${error.message}`);
    process.exit(error.kind === 'invalid' ? 2 : 1);
  }
  throw error;
}
