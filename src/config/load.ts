import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../core/errors.js';
import { configSpec, type Config, type ConfigKey, type ConfigKeySpec } from './schema.js';

export interface ConfigSources {
  /** Path of a JSON config file; `SHOPWISE_CONFIG` or `./shopwise.config.json` when absent. */
  file?: string;
  /** Environment; defaults to `process.env` (this is the only module that reads it). */
  env?: Record<string, string | undefined>;
  /** Command-line overrides, highest precedence. */
  flags?: Partial<Record<ConfigKey, unknown>>;
}

/**
 * Reads the configuration once: defaults < file < environment < flags, each value validated.
 * Throws `AppError('invalid')` naming the key and the source of a bad value.
 *
 * @example const config = loadConfig({ flags: { port: 0 } });
 */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const filePath = sources.file ?? env.SHOPWISE_CONFIG ?? (existsSync('shopwise.config.json') ? 'shopwise.config.json' : undefined);
  const fromFile = filePath ? readConfigFile(filePath) : {};
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(configSpec) as ConfigKey[]) {
    const spec = configSpec[key] as ConfigKeySpec<unknown>;
    values[key] = spec.default;
    const layers: [string, unknown][] = [
      [`config file ${filePath}`, fromFile[key]],
      [`environment variable ${spec.env}`, env[spec.env]],
      ['command-line flag', sources.flags?.[key]],
    ];
    for (const [source, raw] of layers) {
      if (raw === undefined) continue;
      try {
        values[key] = spec.parse(raw);
      } catch (error) {
        throw AppError.invalid(`config ${key} from ${source}: ${(error as Error).message}`, { field: key });
      }
    }
  }
  const unknownKeys = Object.keys(fromFile).filter((k) => !(k in configSpec));
  if (unknownKeys.length > 0) throw AppError.invalid(`config file ${filePath}: unknown keys ${unknownKeys.join(', ')}`, { field: unknownKeys[0] });
  if (values.storageUrl === '') values.storageUrl = `sqlite:${join(resolve(String(values.dataDir)), 'shopwise.db')}`;
  return Object.freeze(values) as Config;
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw AppError.invalid(`config file ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw AppError.invalid(`config file ${path} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

/** The effective configuration with secrets masked, with each key's doc and env var, for `shopwise config`. */
export function describeConfig(config: Config): { key: string; value: unknown; env: string; doc: string }[] {
  return (Object.keys(configSpec) as ConfigKey[]).map((key) => {
    const spec = configSpec[key] as ConfigKeySpec<unknown>;
    return { key, value: spec.secret ? maskSecret(config[key]) : config[key], env: spec.env, doc: spec.doc };
  });
}

function maskSecret(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return value;
  // Storage URLs keep their scheme and host so the operator sees where data goes, not the password.
  const url = /^(postgres(?:ql)?:\/\/)([^@]*@)?(.*)$/.exec(value);
  if (url) return `${url[1]}${url[2] ? '***@' : ''}${url[3]}`;
  if (value.startsWith('sqlite:')) return value;
  return value.slice(0, 6) + '***';
}
