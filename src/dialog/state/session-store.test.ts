import { describe, expect, it } from 'vitest';
import { SessionStore } from './session-store.js';

describe('SessionStore', () => {
  it('keeps a state per workspace and session, forgets it after the TTL', () => {
    let now = 0;
    const store = new SessionStore({ ttlMs: 1000, clock: () => now });
    const a = store.open('w1', 's');
    a.turn = 3;
    expect(store.open('w1', 's').turn).toBe(3);
    expect(store.open('w2', 's').turn).toBe(0);
    now = 1500;
    expect(store.get('w1', 's')).toBeUndefined();
    expect(store.open('w1', 's').turn).toBe(0);
  });

  it('evicts the least recently used session beyond its bound', () => {
    let now = 0;
    const store = new SessionStore({ maxSessions: 2, clock: () => now++ });
    store.open('w', 'a');
    store.open('w', 'b');
    store.open('w', 'a');
    store.open('w', 'c');
    expect(store.size).toBe(2);
    expect(store.get('w', 'b')).toBeUndefined();
    expect(store.get('w', 'a')).toBeDefined();
    expect(() => new SessionStore({ maxSessions: 0 })).toThrow(/maxSessions/);
  });
});
