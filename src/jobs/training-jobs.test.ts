import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../app/services.js';
import { loadConfig } from '../config/load.js';
import { isAppError } from '../core/errors.js';
import { fillShop } from '../simulate/fill.js';
import { generateShop } from '../simulate/shop.js';
import { RecommendationService } from './recommendation-service.js';
import { ServedModels } from './served-models.js';
import { TrainingJobs } from './training-jobs.js';

let services: Services;
let dir: string;
const ws = 'demo';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shopwise-jobs-'));
  services = await createServices(loadConfig({ env: {}, file: undefined, flags: { dataDir: dir, storageUrl: 'sqlite::memory:', logLevel: 'silent' } }));
  const shop = generateShop({ seed: 5, users: 120, items: 150, days: 7 });
  await fillShop({ items: services.storage.items, users: services.storage.users, ingest: services.ingest }, ws, shop);
});
afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('TrainingJobs', () => {
  it('trains in a worker with progress, saves a version, and serves it', async () => {
    const job = services.training.start({ workspaceId: ws, model: 'popularity', params: { mode: 'category' } });
    expect(job).toMatchObject({ status: 'queued', name: 'default', model: 'popularity', version: null, progress: { phase: 'queued' } });
    const phases = new Set<string>();
    services.training.subscribe(job.id, (j) => phases.add(j.progress.phase));
    const done = await services.training.wait(job.id);
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', version: 1 });
    expect(done.finishedAt!).toBeGreaterThanOrEqual(done.startedAt!);
    expect([...phases]).toEqual(expect.arrayContaining(['loading', 'holdout', 'fitting', 'done']));
    expect(done.metrics).toMatchObject({ fit: { seconds: expect.any(Number) }, holdout: { protocol: 'leave-last-out', k: 20 }, data: { users: expect.any(Number) } });
    const info = (await services.storage.models.list(ws, 'default'))[0]!;
    expect(info).toMatchObject({ version: 1, model: 'popularity', params: { mode: 'category', halfLifeDays: 7 } });
    const answer = await services.recommendations.recommend(ws, 'stranger', 5);
    expect(answer).toMatchObject({ source: 'popular', model: { name: 'default', version: 1, model: 'popularity' } });
    expect(answer.items).toHaveLength(5);
    expect(services.training.list(ws)[0]!.id).toBe(job.id);
  });

  it('serves the stored version after a restart, loaded on the first request', async () => {
    const fresh = new ServedModels(services.storage.models);
    const restarted = new RecommendationService(services.storage, fresh);
    const before = await services.recommendations.popular(ws, 5);
    const after = await restarted.popular(ws, 5);
    expect(after.model?.version).toBe(before.model?.version);
    expect(after.items).toEqual(before.items);
  });

  it('picks up a version another process saved, at its next refresh', async () => {
    const watching = new ServedModels(services.storage.models, { refreshMs: 1 });
    const before = (await watching.get(ws, 'default'))!.info.version;
    // Another process: its own jobs and served models over the same storage.
    const other = new TrainingJobs(services.storage, new ServedModels(services.storage.models), { holdout: false });
    const done = await other.wait(other.start({ workspaceId: ws, model: 'popularity', params: { mode: 'trending' } }).id);
    expect(done.version).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const after = (await watching.get(ws, 'default'))!;
    expect(after.info).toMatchObject({ version: before + 1, params: { mode: 'trending' } });
    expect(await new ServedModels(services.storage.models).get(ws, 'no-such-slot')).toBeUndefined();
  });

  it('refuses a second job for the same slot, unknown models and bad params', async () => {
    const first = services.training.start({ workspaceId: ws, model: 'popularity', name: 'busy' });
    const conflict = errorOf(() => services.training.start({ workspaceId: ws, model: 'popularity', name: 'busy' }));
    expect(isAppError(conflict) && conflict.kind).toBe('conflict');
    expect(String(conflict)).toContain(first.id);
    expect((await services.training.wait(first.id)).status).toBe('succeeded');
    const unknown = errorOf(() => services.training.start({ workspaceId: ws, model: 'no-such-model' }));
    expect(isAppError(unknown) && unknown.kind).toBe('invalid');
    expect(String(unknown)).toContain('popularity');
    expect(isAppError(errorOf(() => services.training.start({ workspaceId: ws, model: 'popularity', params: { mode: 'loudest' } })))).toBe(true);
    expect(isAppError(errorOf(() => services.training.start({ workspaceId: ws, model: 'popularity', name: 'has spaces' })))).toBe(true);
  });

  it('cancels a job, and a finished job can no longer be cancelled', async () => {
    const job = services.training.start({ workspaceId: ws, model: 'popularity', name: 'cancel-me' });
    const cancelled = await services.training.cancel(job.id, ws);
    expect(cancelled.status).toBe('cancelled');
    expect(await services.storage.models.list(ws, 'cancel-me')).toEqual([]);
    await expect(services.training.cancel(job.id)).rejects.toMatchObject({ kind: 'conflict' });
    expect(() => services.training.get(job.id, 'other-shop')).toThrow(/no training job/);
  });

  it('terminates the worker of a running fit', async () => {
    const jobs = new TrainingJobs(services.storage, new ServedModels(services.storage.models), { holdout: false });
    // A slow fit: the worker is running once the first progress message of the fitting phase arrives.
    const job = jobs.start({ workspaceId: ws, model: SLOW.model, params: SLOW.params, name: 'slow' });
    await new Promise<void>((resolve) => jobs.subscribe(job.id, (j) => j.progress.phase === 'fitting' && resolve()));
    expect(jobs.get(job.id)).toMatchObject({ status: 'running', progress: { phase: 'fitting', steps: 1000, unit: expect.any(String) } });
    const cancelled = await jobs.cancel(job.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', version: null });
    expect(await services.storage.models.list(ws, 'slow')).toEqual([]);
  });

  it('fails clearly for a workspace without events', async () => {
    const done = await services.training.wait(services.training.start({ workspaceId: 'empty-shop', model: 'popularity' }).id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ kind: 'invalid', message: expect.stringContaining('no events') });
    await expect(services.recommendations.recommend('empty-shop', 'u', 5)).rejects.toMatchObject({ kind: 'unavailable' });
    expect((await services.recommendations.popular('empty-shop', 5)).items).toEqual([]);
  });
});

/** A model whose fit takes many seconds on this shop (it is cancelled after its first epoch). */
const SLOW = { model: 'bpr', params: { factors: 256, epochs: 1000 } as Record<string, unknown> };
