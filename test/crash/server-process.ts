import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The real CLI entry; the server is started exactly as an operator would start it. */
export const SHOPWISE_BIN = join(REPO, 'bin', 'shopwise.js');
export const RUN_TS_BIN = join(REPO, 'bin', 'run-ts.js');

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<number | string>;
  /** SIGKILL (no shutdown hook runs) and wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not stopped within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  /** Arguments after the node binary, e.g. [SHOPWISE_BIN, '--port', '0', 'start']. */
  args: string[];
  /** Options for node itself, before the script (e.g. ['--cpu-prof']; NODE_OPTIONS refuses that one). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Printed by the child when it listens; group 1 is the URL. */
  readyLine: RegExp;
  /** A path polled until it answers 2xx (the storage is open); none: the ready line is enough. */
  readyPath?: string;
  timeoutMs?: number;
}

// Every child we start, so a failing test or a Ctrl-C never leaves a server behind.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Spawns a server child process and resolves once it prints its URL (and `readyPath` answers).
 *
 * @example const hello = await spawnServer({ args: [RUN_TS_BIN, 'bench/ingest.ts', '--serve-hello'], readyLine: /listening at (\S+)/ });
 */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...options.args], { cwd: REPO, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(signal ?? code ?? 'unknown');
    });
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    // Keep only the tail: enough to explain a failed start, bounded for long runs.
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    const url = await waitForLine(child, options.readyLine, () => output, exited, options.timeoutMs ?? 60_000);
    if (options.readyPath) await waitForReady(url + options.readyPath, exited, options.timeoutMs ?? 60_000);
    return {
      url, pid: child.pid!, child, exited, kill,
      async stop(graceMs = 5000) {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      },
    };
  } catch (error) {
    await kill();
    throw new Error(`${(error as Error).message}\n--- child output ---\n${output}`);
  }
}

export interface ShopwiseOptions {
  dataDir: string;
  adminKey: string;
  /** sqlite:FILE or postgres://…; default: the SQLite file in dataDir. */
  storage?: string;
  /** Default 0: any free port (read back from the ready line). */
  port?: number;
  env?: Record<string, string>;
  nodeArgs?: string[];
}

/** Starts `shopwise start` as a child process and waits until /health/ready answers. */
export function startShopwise(options: ShopwiseOptions): Promise<ServerProcess> {
  const args = [SHOPWISE_BIN, '--data-dir', options.dataDir, '--port', String(options.port ?? 0), '--host', '127.0.0.1', '--log-level', 'silent'];
  if (options.storage) args.push('--storage', options.storage);
  args.push('start');
  return spawnServer({
    args,
    nodeArgs: options.nodeArgs,
    env: { SHOPWISE_ADMIN_KEY: options.adminKey, ...options.env },
    readyLine: /Shopwise is running at (http:\/\/\S+)/,
    readyPath: '/health/ready',
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp, output: () => string, exited: Promise<unknown>, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`server did not print its URL within ${timeoutMs} ms`)), timeoutMs);
    const onData = () => {
      const match = pattern.exec(output());
      if (match) done(undefined, match[1]);
    };
    const done = (error?: Error, url?: string) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      if (error) reject(error);
      else resolve(url!);
    };
    child.stdout!.on('data', onData);
    void exited.then((how) => done(new Error(`server exited (${how}) before it was ready`)));
  });
}

async function waitForReady(url: string, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not accepting connections yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(gone ? 'server exited before it was ready' : `${url} did not answer 2xx within ${timeoutMs} ms`);
}
