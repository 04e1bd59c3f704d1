// The body of a worker-pool thread: it imports each task module once and runs the ranges it is sent,
// one at a time, replying when a range is done (or with the error that stopped it).
import { parentPort } from 'node:worker_threads';
import { AppError, isAppError } from '../core/errors.js';
import type { PoolReply, PoolRequest, RemoteError } from './worker-pool.js';

const port = parentPort!;
const modules = new Map<string, Promise<Record<string, unknown>>>();

function load(module: string): Promise<Record<string, unknown>> {
  let loaded = modules.get(module);
  if (!loaded) {
    loaded = import(module) as Promise<Record<string, unknown>>;
    modules.set(module, loaded);
  }
  return loaded;
}

function describe(error: unknown): RemoteError {
  if (isAppError(error)) {
    let detail: Record<string, unknown> | undefined;
    try {
      detail = structuredClone(error.detail);
    } catch {
      detail = undefined; // a detail that cannot cross threads is dropped, the message stays
    }
    return { message: error.message, name: error.name, kind: error.kind, detail };
  }
  if (error instanceof Error) return { message: error.message, name: error.name };
  return { message: String(error), name: 'Error' };
}

async function handle(request: PoolRequest): Promise<PoolReply> {
  const chunk = request.type === 'run' ? request.chunk : -1;
  try {
    if (request.type === 'warm') {
      await Promise.all(request.modules.map(load));
    } else {
      const fn = (await load(request.module))[request.name];
      if (typeof fn !== 'function') throw AppError.invalid(`task ${request.name} is not a function exported by ${request.module}`, { field: 'task' });
      await fn(request.start, request.end, request.args, request.chunk);
    }
    return { type: 'done', job: request.job, chunk };
  } catch (error) {
    return { type: 'done', job: request.job, chunk, error: describe(error) };
  }
}

port.on('message', (request: PoolRequest) => {
  void handle(request).then((reply) => port.postMessage(reply));
});
