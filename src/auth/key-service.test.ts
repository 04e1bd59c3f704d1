import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../storage/storage.js';
import { openStorage } from '../storage/open-storage.js';
import { KeyService } from './key-service.js';

let storage: Storage;
beforeAll(async () => {
  storage = await openStorage('sqlite::memory:');
});
afterAll(async () => storage.close());

describe('KeyService', () => {
  it('creates the workspace and one admin key on first start only, and never stores the key', async () => {
    const keys = new KeyService(storage.workspaces);
    const first = await keys.bootstrap('shop', '');
    expect(first.generatedKey).toMatch(/^sw_[A-Za-z0-9_-]{32}$/);
    expect(await keys.bootstrap('shop', '')).toEqual({});
    const stored = await storage.workspaces.listKeys('shop');
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(first.generatedKey!.slice(3));
    expect(await keys.authenticate(first.generatedKey, 'ingest')).toMatchObject({ workspaceId: 'shop', scopes: ['admin'] });
  });

  it('takes the admin key from config and refuses short ones', async () => {
    const keys = new KeyService(storage.workspaces);
    await keys.bootstrap('configured', 'sw_from_config_0123456789');
    expect((await keys.authenticate('sw_from_config_0123456789', 'admin')).workspaceId).toBe('configured');
    await expect(keys.bootstrap('other', 'short')).rejects.toThrow(/at least 20/);
  });

  it('enforces scopes and forgets a revoked key at once', async () => {
    const keys = new KeyService(storage.workspaces);
    const { key, record } = await keys.create('shop', 'reader', ['read']);
    expect((await keys.authenticate(key, 'read')).keyId).toBe(record.id);
    await expect(keys.authenticate(key, 'ingest')).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(keys.authenticate(undefined, 'read')).rejects.toMatchObject({ kind: 'unauthorized' });
    await keys.revoke('shop', record.id);
    await expect(keys.authenticate(key, 'read')).rejects.toMatchObject({ kind: 'unauthorized' });
    await expect(keys.revoke('shop', record.id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(keys.create('shop', 'x', [])).rejects.toMatchObject({ kind: 'invalid' });
  });
});
