/**
 * The one configuration schema. Every key has a doc, a default, an environment variable and a parser
 * that validates. Precedence: defaults < config file < environment < command-line flags.
 */
export interface ConfigKeySpec<T> {
  doc: string;
  env: string;
  default: T;
  /** Parses a raw value (string from env/flags, any JSON from the file); throws a message when invalid. */
  parse: (raw: unknown) => T;
  /** Secrets are masked by `shopwise config`. */
  secret?: boolean;
}

const str = (raw: unknown): string => {
  if (typeof raw !== 'string') throw new Error(`expected a string, got ${JSON.stringify(raw)}`);
  return raw;
};
const int = (min: number, max: number) => (raw: unknown): number => {
  const n = typeof raw === 'number' ? raw : Number(str(raw).trim());
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`expected an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
  return n;
};
const oneOf = <T extends string>(...values: T[]) => (raw: unknown): T => {
  const s = str(raw);
  if (!values.includes(s as T)) throw new Error(`expected one of ${values.join(', ')}, got ${JSON.stringify(s)}`);
  return s as T;
};
const storageUrl = (raw: unknown): string => {
  const s = str(raw);
  if (s !== '' && !/^(sqlite:|postgres(ql)?:\/\/)/.test(s)) throw new Error(`expected sqlite:<file>, sqlite::memory: or postgres://…, got ${JSON.stringify(s)}`);
  return s;
};

export const configSpec = {
  dataDir: { doc: 'Directory for the embedded database, models and generated demo data.', env: 'SHOPWISE_DATA_DIR', default: '.shopwise', parse: str },
  host: { doc: 'Address the HTTP server binds to.', env: 'SHOPWISE_HOST', default: '127.0.0.1', parse: str },
  port: { doc: 'HTTP port (0 picks a free one).', env: 'SHOPWISE_PORT', default: 8080, parse: int(0, 65535) },
  storageUrl: {
    doc: 'Storage: sqlite:<file> (embedded, default <dataDir>/shopwise.db), sqlite::memory:, or postgres://user@host/db.',
    env: 'SHOPWISE_STORAGE_URL', default: '', parse: storageUrl, secret: true,
  },
  sqliteSynchronous: {
    doc: 'SQLite fsync policy: FULL survives power loss, NORMAL survives process crashes only.',
    env: 'SHOPWISE_SQLITE_SYNCHRONOUS', default: 'FULL' as 'FULL' | 'NORMAL', parse: oneOf('FULL', 'NORMAL'),
  },
  adminKey: {
    doc: 'Admin API key of the default workspace. When empty, one is generated on first start and printed once.',
    env: 'SHOPWISE_ADMIN_KEY', default: '', parse: str, secret: true,
  },
  defaultWorkspace: { doc: 'Id of the workspace (shop) created on first start; its admin may create more.', env: 'SHOPWISE_WORKSPACE', default: 'demo', parse: str },
  datasetsDir: { doc: 'Where the public data sets are read from (never copied into the repository).', env: 'SHOPWISE_DATASETS_DIR', default: '../shared/datasets', parse: str },
  logLevel: { doc: 'Log level: fatal, error, warn, info, debug, trace or silent.', env: 'SHOPWISE_LOG_LEVEL', default: 'info' as string, parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') },
  maxBodyBytes: { doc: 'Largest accepted request body; larger ones get 413.', env: 'SHOPWISE_MAX_BODY_BYTES', default: 32 * 1024 * 1024, parse: int(1024, 1024 ** 3) },
  maxBatchEvents: { doc: 'Most events in one POST /v1/events/batch.', env: 'SHOPWISE_MAX_BATCH_EVENTS', default: 10_000, parse: int(1, 100_000) },
  maxEventBytes: { doc: 'Largest properties + traits + context of one event, in characters of JSON.', env: 'SHOPWISE_MAX_EVENT_BYTES', default: 64 * 1024, parse: int(256, 16 * 1024 * 1024) },
  maxPageSize: { doc: 'Most rows one list request returns.', env: 'SHOPWISE_MAX_PAGE_SIZE', default: 1000, parse: int(1, 100_000) },
  commitMaxEvents: { doc: 'Group commit: most events written in one transaction.', env: 'SHOPWISE_COMMIT_MAX_EVENTS', default: 50_000, parse: int(1, 1_000_000) },
  demoSeed: { doc: 'Seed of the demo shop simulator (same seed, same shop).', env: 'SHOPWISE_DEMO_SEED', default: 42, parse: int(0, 2 ** 31 - 1) },
  demoUsers: { doc: 'Users in the demo shop.', env: 'SHOPWISE_DEMO_USERS', default: 2000, parse: int(1, 10_000_000) },
  demoItems: { doc: 'Items in the demo shop catalog.', env: 'SHOPWISE_DEMO_ITEMS', default: 3000, parse: int(10, 10_000_000) },
  demoDays: { doc: 'Days of history the demo shop simulates.', env: 'SHOPWISE_DEMO_DAYS', default: 30, parse: int(1, 3650) },
  recommendModel: {
    doc: 'Recommender the demo trains and `shopwise train` uses by default (a name of GET /v1/models/algorithms; checked when training). content had the best recall@20 of the simulator’s liked items (see README).',
    env: 'SHOPWISE_RECOMMEND_MODEL', default: 'content' as string, parse: (raw: unknown) => {
      const s = str(raw).trim();
      if (!/^[a-z0-9-]{1,64}$/.test(s)) throw new Error(`expected a model name such as ease or als, got ${JSON.stringify(raw)}`);
      return s;
    },
  },
} satisfies Record<string, ConfigKeySpec<unknown>>;

export type ConfigSpec = typeof configSpec;
export type ConfigKey = keyof ConfigSpec;
export type Config = { readonly [K in ConfigKey]: ConfigSpec[K]['default'] };
