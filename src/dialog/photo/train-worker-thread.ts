// The body of a photo-search training worker (started by `trainInWorker` through train-worker-thread.mjs):
// trains an ImageCnn on the examples of its workerData and posts the saved model (transferred) and the
// report, or the error that stopped it. Training off the main thread keeps the server answering:
// onnxruntime runs a session synchronously, and a training step takes tens of milliseconds.
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { modelBackend } from '../../nn/models/model-backend.js';
import type { WorkerDone, WorkerRequest } from './train-in-worker.js';
import { trainImageCnn } from './train-image-cnn.js';

const port = parentPort!;
const request = workerData as WorkerRequest;
let backend: ReturnType<typeof modelBackend> | undefined;
try {
  const size = request.options.config.size!;
  const pixels = size * size * 3;
  const examples = Array.from(request.categories, (category, i) => ({
    pixels: request.pixels.subarray(i * pixels, (i + 1) * pixels), category, colour: request.colours[i]!,
  }));
  backend = modelBackend(request.backend);
  const { cnn, report } = await trainImageCnn(examples, new SeededRandom(request.seed), {
    ...request.options, executor: backend.executor, inferenceExecutor: backend.inferenceExecutor, cancelled: () => Atomics.load(request.stop, 0) === 1,
  });
  const model = cnn.save();
  port.postMessage({ type: 'done', model, report } satisfies WorkerDone, [model.buffer as ArrayBuffer]);
} catch (error) {
  port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), kind: isAppError(error) ? error.kind : undefined });
} finally {
  // Sessions released before the thread ends (also after a cancel), so its teardown has nothing native left to free.
  await backend?.releaseTraining();
}
