// The body of a training worker (started by TrainingJobs through training-worker-thread.mjs): it
// trains the model of its workerData and posts progress, then the served-model blob (transferred)
// or the error that stopped it. Cancelling terminates the thread.
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../core/errors.js';
import { trainModel } from './train-model.js';
import type { TrainingMessage, TrainingRequest } from './training-protocol.js';

const port = parentPort!;
const post = (message: TrainingMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const done = await trainModel(workerData as TrainingRequest, (progress) => post({ type: 'progress', progress }));
  post(done, [done.blob.buffer as ArrayBuffer]);
} catch (error) {
  post({ type: 'error', error: isAppError(error) ? { message: error.message, kind: error.kind } : { message: error instanceof Error ? error.message : String(error) } });
}
