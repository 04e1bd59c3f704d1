import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config, ConfigKey } from '../config/schema.js';

/** Flags every command accepts; each maps to a config key (flags win over env and file). */
const FLAG_KEYS: [flag: string, key: ConfigKey, description: string][] = [
  ['--data-dir <dir>', 'dataDir', 'data directory'],
  ['--storage <url>', 'storageUrl', 'storage URL: sqlite:<file> or postgres://…'],
  ['--host <host>', 'host', 'HTTP bind address'],
  ['--port <port>', 'port', 'HTTP port (0 = any free port)'],
  ['--workspace <id>', 'defaultWorkspace', 'default workspace (shop) id'],
  ['--datasets <dir>', 'datasetsDir', 'public data sets directory'],
  ['--log-level <level>', 'logLevel', 'log level'],
];

export function addGlobalOptions(program: Command): Command {
  program.option('-c, --config <file>', 'JSON config file (default: $SHOPWISE_CONFIG or ./shopwise.config.json)');
  for (const [flag, , description] of FLAG_KEYS) program.option(flag, description);
  return program;
}

/** Effective config of a command: its program's global flags over env, file and defaults. */
export function configFrom(command: Command): Config {
  const options = command.optsWithGlobals() as Record<string, string | undefined>;
  const flags: Partial<Record<ConfigKey, unknown>> = {};
  for (const [flag, key] of FLAG_KEYS) {
    const name = flag.slice(2).split(' ')[0]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (options[name] !== undefined) flags[key] = options[name];
  }
  return loadConfig({ file: options.config, flags });
}
