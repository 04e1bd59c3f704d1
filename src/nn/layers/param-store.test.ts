import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { SeededRandom } from '../../math/random.js';
import { fans, heNormal, xavierUniform } from './init.js';
import { decodeParams, PARAM_FILE_VERSION } from './param-file.js';
import { ParamStore } from './param-store.js';

function filled(): ParamStore {
  const store = new ParamStore();
  const rng = new SeededRandom('store');
  store.ensure('dense/w', [64, 32], xavierUniform(), rng);
  store.ensure('dense/b', [32], heNormal(), rng);
  store.set('odd', [3], Float32Array.from([Number.MIN_VALUE, -0, 3.4028234663852886e38]));
  return store;
}

function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}

describe('ParamStore', () => {
  it('initialises reproducibly per name, with the Xavier / He scales', () => {
    const a = filled();
    const b = new ParamStore();
    const rng = new SeededRandom('store');
    b.ensure('dense/b', [32], heNormal(), rng); // another order: the same values
    b.ensure('dense/w', [64, 32], xavierUniform(), rng);
    expect([...a.get('dense/w')]).toEqual([...b.get('dense/w')]);
    expect([...a.get('dense/b')]).toEqual([...b.get('dense/b')]);
    const limit = Math.sqrt(6 / 96);
    expect(a.get('dense/w').every((v) => Math.abs(v) <= limit)).toBe(true);
    expect(fans([5, 16, 8])).toEqual({ fanIn: 80, fanOut: 8 });
    const big = new ParamStore().ensure('w', [200, 100], heNormal(), rng);
    const variance = big.reduce((s, v) => s + v * v, 0) / big.length;
    expect(variance).toBeGreaterThan(0.009);
    expect(variance).toBeLessThan(0.011);
  });

  it('save / load round-trips every bit, with metadata, into the same arrays', () => {
    const store = filled();
    const bytes = store.save({ model: 'demo', classes: ['a', 'b'] });
    const { store: copy, meta } = ParamStore.fromBytes(bytes);
    expect(meta).toEqual({ model: 'demo', classes: ['a', 'b'] });
    for (const name of store.names()) {
      expect(copy.shape(name)).toEqual(store.shape(name));
      expect(new Uint8Array(copy.get(name).buffer)).toEqual(new Uint8Array(store.get(name).buffer));
    }
    const target = filled();
    const w = target.get('dense/w');
    w.fill(0);
    target.load(bytes);
    expect(target.get('dense/w')).toBe(w);
    expect([...w]).toEqual([...store.get('dense/w')]);
    // A file embedded at an odd offset of a larger buffer still reads.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeParams(shifted.subarray(1)).tensors.length).toBe(3);
  });

  it('rejects a wrong version, a wrong shape, a missing or extra tensor and damage with clear AppErrors', () => {
    const bytes = filled().save();
    const future = bytes.slice();
    new DataView(future.buffer).setUint32(4, PARAM_FILE_VERSION + 1, true);
    expect(thrown(() => filled().load(future)).message).toBe(`param file format version ${PARAM_FILE_VERSION + 1} is not supported; this build reads version ${PARAM_FILE_VERSION}`);
    expect(thrown(() => filled().load(future)).kind).toBe('invalid');

    const other = new ParamStore();
    const rng = new SeededRandom(1);
    other.ensure('dense/w', [64, 16], xavierUniform(), rng);
    other.ensure('dense/b', [32], xavierUniform(), rng);
    other.set('odd', [3], new Float32Array(3));
    const shape = thrown(() => other.load(bytes));
    expect(shape.message).toBe('param dense/w has shape [64,32] in the file, the model expects [64,16]');
    expect(shape.detail.field).toBe('dense/w');

    const extra = filled();
    extra.set('more', [1], new Float32Array(1));
    expect(thrown(() => extra.load(bytes)).message).toBe('param file has no tensor more');
    const fewer = new ParamStore();
    fewer.set('odd', [3], new Float32Array(3));
    expect(thrown(() => fewer.load(bytes)).message).toMatch(/holds dense\/w, which this model does not have/);

    expect(thrown(() => ParamStore.fromBytes(bytes.subarray(0, bytes.length - 4))).message).toMatch(/header describes/);
    expect(thrown(() => ParamStore.fromBytes(new TextEncoder().encode('{"json": true}'))).message).toMatch(/bad magic/);
  });

  it('snapshot / restore copy data', () => {
    const store = filled();
    const snap = store.snapshot();
    store.get('dense/b').fill(7);
    store.restore(snap);
    expect(store.get('dense/b')[0]).not.toBe(7);
    expect(thrown(() => store.get('nope')).kind).toBe('not_found');
  });
});
