import { describe, expect, it } from 'vitest';
import type { AppendStatus, NormalizedEvent } from '../core/events.js';
import type { EventStore } from '../storage/event-store.js';
import { GroupCommitWriter } from './group-commit.js';

/**
 * A hand-controlled event store (a test double: the real stores are covered by the storage contract);
 * each append waits until the test commits or fails it, so the grouping can be observed.
 */
function controlledStore() {
  const calls: { ids: string[]; commit: () => void; fail: (e: Error) => void }[] = [];
  const store = {
    append(events: readonly NormalizedEvent[]) {
      return new Promise<AppendStatus[]>((resolve, reject) => {
        calls.push({
          ids: events.map((e) => e.messageId),
          commit: () => resolve(events.map((e) => (e.messageId.startsWith('dup') ? 'duplicate' : 'stored'))),
          fail: reject,
        });
      });
    },
  } as unknown as EventStore;
  return { store, calls };
}
const events = (...ids: string[]) => ids.map((messageId) => ({ messageId }) as NormalizedEvent);
const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommitWriter', () => {
  it('commits concurrent writes as one group and gives each caller its own statuses', async () => {
    const { store, calls } = controlledStore();
    const writer = new GroupCommitWriter(store, 100);
    const a = writer.write(events('a1', 'dup-a2'));
    const b = writer.write(events('b1'));
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([['a1', 'dup-a2', 'b1']]);
    calls[0]!.commit();
    expect(await a).toEqual(['stored', 'duplicate']);
    expect(await b).toEqual(['stored']);
    expect(writer.stats()).toEqual({ groups: 1, events: 3, queued: 0 });
  });

  it('does not resolve before the commit, and queues the next group meanwhile', async () => {
    const { store, calls } = controlledStore();
    const writer = new GroupCommitWriter(store, 100);
    let done = false;
    void writer.write(events('x')).then(() => (done = true));
    await tick();
    void writer.write(events('y'));
    void writer.write(events('z'));
    await tick();
    expect(done).toBe(false);
    expect(calls).toHaveLength(1);
    calls[0]!.commit();
    await tick();
    await tick();
    expect(done).toBe(true);
    expect(calls.map((c) => c.ids)).toEqual([['x'], ['y', 'z']]);
  });

  it('hands over up to maxInFlight groups when the store pipelines', async () => {
    const { store, calls } = controlledStore();
    const writer = new GroupCommitWriter(store, 100, 2);
    void writer.write(events('1'));
    await tick();
    void writer.write(events('2'));
    await tick();
    void writer.write(events('3'));
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([['1'], ['2']]);
    calls[0]!.commit();
    await tick();
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([['1'], ['2'], ['3']]);
  });

  it('splits groups at the size limit without splitting a request', async () => {
    const { store, calls } = controlledStore();
    const writer = new GroupCommitWriter(store, 3);
    void writer.write(events('a', 'b'));
    void writer.write(events('c', 'd'));
    void writer.write(events('e', 'f', 'g', 'h'));
    await tick();
    calls[0]!.commit();
    await tick();
    await tick();
    calls[1]!.commit();
    await tick();
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f', 'g', 'h']]);
  });

  it('fails every caller of a failed group, then goes on with the next', async () => {
    const { store, calls } = controlledStore();
    const writer = new GroupCommitWriter(store, 100);
    const a = writer.write(events('a'));
    const b = writer.write(events('b'));
    await tick();
    calls[0]!.fail(new Error('disk full'));
    await expect(a).rejects.toThrow('disk full');
    await expect(b).rejects.toThrow('disk full');
    const c = writer.write(events('c'));
    await tick();
    calls[1]!.commit();
    expect(await c).toEqual(['stored']);
  });
});
