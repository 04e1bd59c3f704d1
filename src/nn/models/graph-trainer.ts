import { AppError } from '../../core/errors.js';
import type { SeededRandom } from '../../math/random.js';
import { gradients } from '../autodiff.js';
import type { Graph, Value } from '../graph.js';
import type { EmbeddingTable } from '../layers/embedding-table.js';
import type { DropoutSlot } from '../layers/net-builder.js';
import type { ParamStore } from '../layers/param-store.js';
import { Adam } from '../optim/adam.js';
import { toSchedule, type LrSchedule } from '../optim/schedules.js';
import { SparseAdam } from '../optim/sparse.js';
import { sizeOf } from '../shape.js';
import type { Executor, ExecutorFactory } from '../executor.js';

/** A graph input fed, each step, with the rows of an embedding table kept outside the graph. */
export interface RowInput {
  input: Value;
  table: EmbeddingTable;
}

export interface GraphTrainerOptions {
  executor: ExecutorFactory;
  /** Adam rate of the dense (in-graph) params; default 1e-3. */
  lr?: number | LrSchedule;
  /** Rate of the sparse Adam on the embedding tables; default `lr`. */
  embeddingLr?: number | LrSchedule;
  /**
   * Where the dense params' Adam update runs: `'ts'` (default) on the gradients the graph returns, or
   * `'graph'`: the update is appended to the training graph and updated params and moments come out of
   * the same run (DESIGN.md's "weights go in and updated weights come out"). Same arithmetic either way.
   */
  adam?: 'ts' | 'graph';
}

/** What the models of this folder take: the trainer's options (executor defaults to the cpu backend) and the inference graph's executor. */
export interface ModelOptions extends Partial<GraphTrainerOptions> {
  /** Backend of the batch-1 inference graph; default `executor` (e.g. the onnx backend with other thread settings). */
  inferenceExecutor?: ExecutorFactory;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/**
 * One training step of a graph whose embedding tables live outside it: gathers the rows of each
 * `RowInput` in TS, runs loss + gradients (built once), scatters the row gradients back per table
 * (several inputs may share a table, e.g. SASRec's sequence, positive and negative items) for a sparse
 * Adam, and applies Adam to the dense params, in TS or inside the graph (`adam: 'graph'`).
 *
 * @example
 * const trainer = new GraphTrainer(g, loss, store, [{ input: emb, table }], b.dropouts, rng, { executor: cpuExecutor });
 * const loss = await trainer.step({ labels }, { [table.name]: ids });
 */
export class GraphTrainer {
  /** Names of the dense params the graph reads (bound from the store each run). */
  readonly paramNames: string[];
  /** Graph input names of the row inputs, in order. */
  readonly rowNames: string[];
  private readonly run: Promise<Executor>;
  private readonly rowBuffers = new Map<string, Float32Array>();
  private readonly maskBuffers = new Map<string, Float32Array>();
  private readonly tables: EmbeddingTable[];
  private readonly sparse = new Map<string, SparseAdam>();
  private readonly adam: Adam | undefined;
  private readonly schedule: LrSchedule;
  private readonly moments = new Map<string, { m: Float32Array; v: Float32Array }>();
  private steps = 0;
  /**
   * Where the steps' time went, summed: masks, gathers and feeds (`prepareMs`), the executor's run,
   * the scatter + sparse Adam of the tables, the dense Adam (or copying the graph's updates back).
   */
  readonly timing = { steps: 0, prepareMs: 0, runMs: 0, tablesMs: 0, denseMs: 0 };

  constructor(
    graph: Graph,
    loss: Value,
    private readonly store: ParamStore,
    private readonly rowInputs: RowInput[],
    private readonly dropouts: readonly DropoutSlot[],
    private readonly rng: SeededRandom,
    options: GraphTrainerOptions,
  ) {
    const params = [...graph.params()].map(([name, id]) => ({ name, value: { id, shape: graph.node(id).shape } as Value }));
    this.paramNames = params.map((p) => p.name);
    this.rowNames = rowInputs.map((r) => {
      const node = graph.node(r.input.id);
      if (node.op !== 'input') throw AppError.invalid(`row input ${r.table.name} must be a graph input`, { field: r.table.name });
      if (node.shape[node.shape.length - 1] !== r.table.dim) throw AppError.invalid(`row input ${node.name} is [${node.shape}], the table ${r.table.name} has dim ${r.table.dim}`, { field: node.name });
      return node.name!;
    });
    this.tables = [...new Set(rowInputs.map((r) => r.table))];
    for (const table of this.tables) this.sparse.set(table.name, new SparseAdam({ lr: options.embeddingLr ?? options.lr ?? 1e-3 }));
    this.schedule = toSchedule(options.lr ?? 1e-3);
    const grads = gradients(graph, loss, [...params.map((p) => p.value), ...rowInputs.map((r) => r.input)]);
    const rowGrads = rowInputs.map((r) => grads.get(r.input.id)!);
    let outputs: Value[];
    if (options.adam === 'graph') {
      const lr = graph.input('adam/lr', [1]);
      const eps = graph.input('adam/eps', [1]);
      const updates = params.map((p) => adamUpdate(graph, p.name, p.value, grads.get(p.value.id)!, lr, eps));
      outputs = [loss, ...rowGrads, ...updates.map((u) => u.p), ...updates.map((u) => u.m), ...updates.map((u) => u.v)];
      for (const p of params) {
        const size = this.store.get(p.name).length;
        this.moments.set(p.name, { m: new Float32Array(size), v: new Float32Array(size) });
      }
    } else {
      this.adam = new Adam({ lr: this.schedule });
      outputs = [loss, ...rowGrads, ...params.map((p) => grads.get(p.value.id)!)];
    }
    const made = Promise.resolve(options.executor(graph, outputs));
    made.catch(() => undefined); // a failed build surfaces at the first step
    this.run = made;
  }

  /**
   * One step: `feeds` are the graph's other inputs (labels, masks); `ids` the row ids of each row
   * input, by input name (ids.length × dim values fill the input). Returns the loss.
   */
  async step(feeds: Record<string, Float32Array>, ids: Record<string, ArrayLike<number>>): Promise<number> {
    const t0 = performance.now();
    const inputs: Record<string, Float32Array> = { ...feeds };
    for (const slot of this.dropouts) {
      let mask = this.maskBuffers.get(slot.name);
      if (!mask) this.maskBuffers.set(slot.name, (mask = new Float32Array(sizeOf(slot.shape))));
      inputs[slot.name] = fillKeepMask(mask, slot.rate, this.rng);
    }
    this.rowInputs.forEach(({ input, table }, i) => {
      const name = this.rowNames[i]!;
      const rowIds = ids[name];
      if (!rowIds) throw AppError.invalid(`no ids for the embedding input ${name}`, { field: name });
      let buffer = this.rowBuffers.get(name);
      if (!buffer) this.rowBuffers.set(name, (buffer = new Float32Array(input.shape.reduce((n, d) => n * d, 1))));
      inputs[name] = table.gather(rowIds, buffer); // same array each step: the onnx backend reuses its tensor
    });
    const t = this.steps + 1;
    if (!this.adam) {
      const c1 = 1 - Math.pow(BETA1, t);
      const c2 = Math.sqrt(1 - Math.pow(BETA2, t));
      inputs['adam/lr'] = Float32Array.of((this.schedule(this.steps) * c2) / c1);
      inputs['adam/eps'] = Float32Array.of(EPS * c2);
      for (const [name, { m, v }] of this.moments) {
        inputs[`adam/m/${name}`] = m;
        inputs[`adam/v/${name}`] = v;
      }
    }
    const params = this.store.tensors(this.paramNames);
    const t1 = performance.now();
    const [loss, ...rest] = await (await this.run).run(inputs, params);
    const t2 = performance.now();
    const rowGrads = rest.splice(0, this.rowInputs.length);
    this.updateTables(ids, rowGrads);
    const t3 = performance.now();
    const n = this.paramNames.length;
    if (this.adam) {
      this.adam.step(params, new Map(this.paramNames.map((name, i) => [name, rest[i]!])));
    } else {
      this.paramNames.forEach((name, i) => {
        params.get(name)!.set(rest[i]!);
        this.moments.set(name, { m: rest[n + i]!, v: rest[2 * n + i]! });
      });
    }
    this.steps = t;
    const time = this.timing;
    time.steps++;
    time.prepareMs += t1 - t0;
    time.runMs += t2 - t1;
    time.tablesMs += t3 - t2;
    time.denseMs += performance.now() - t3;
    return loss![0]!;
  }

  /** Sums the row gradients of all inputs sharing a table and takes one sparse Adam step per table. */
  private updateTables(ids: Record<string, ArrayLike<number>>, rowGrads: Float32Array[]): void {
    for (const table of this.tables) {
      const parts = this.rowInputs.flatMap((r, i) => (r.table === table ? [{ ids: ids[this.rowNames[i]!]!, grad: rowGrads[i]! }] : []));
      let allIds: ArrayLike<number> = parts[0]!.ids;
      let allGrads = parts[0]!.grad;
      if (parts.length > 1) {
        const count = parts.reduce((s, p) => s + p.ids.length, 0);
        const joined = new Int32Array(count);
        allGrads = new Float32Array(count * table.dim);
        let at = 0;
        for (const p of parts) {
          joined.set(p.ids, at);
          allGrads.set(p.grad, at * table.dim);
          at += p.ids.length;
        }
        allIds = joined;
      }
      this.sparse.get(table.name)!.step(table, table.scatterGrad(allIds, allGrads));
    }
  }
}

/**
 * Refills an inverted-dropout keep-mask in place: each value is 1/keep with probability keep (quantised
 * to 1/65536) and 0 otherwise, the scale matching the quantised keep so the mask has mean 1. The bits
 * come from an inline sfc32 seeded with four draws of `rng`, two 16-bit draws per step of the generator:
 * about 10x faster than `dropoutFeeds` (one `rng.next()` per value and fresh arrays every step), which was
 * a third of a SASRec training step. Reproducible from the injected generator.
 *
 * @example fillKeepMask(buffer, 0.2, rng) // buffer of 0 and 1.25
 */
export function fillKeepMask(mask: Float32Array, rate: number, rng: SeededRandom): Float32Array {
  const threshold = Math.round((1 - rate) * 65536);
  const scale = threshold > 0 ? 65536 / threshold : 0;
  let a = rng.nextUint32() | 0, b = rng.nextUint32() | 0, c = rng.nextUint32() | 0, d = rng.nextUint32() | 0;
  const pairs = mask.length >> 1;
  for (let k = 0; k < pairs; k++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    // Branch-free: ((bits − threshold) >>> 31) is 1 when bits < threshold (a keep).
    mask[2 * k] = (((t & 0xffff) - threshold) >>> 31) * scale;
    mask[2 * k + 1] = (((t >>> 16) - threshold) >>> 31) * scale;
  }
  if (mask.length & 1) mask[mask.length - 1] = rng.next() * 65536 < threshold ? scale : 0;
  return mask;
}

/** Adam appended to the graph: moments are graph inputs `adam/m/<name>`, `adam/v/<name>`; lr and eps come bias-corrected. */
function adamUpdate(g: Graph, name: string, p: Value, grad: Value, lr: Value, eps: Value): { p: Value; m: Value; v: Value } {
  const m = g.input(`adam/m/${name}`, p.shape);
  const v = g.input(`adam/v/${name}`, p.shape);
  const m2 = g.add(g.mul(m, g.constant(BETA1)), g.mul(grad, g.constant(1 - BETA1)));
  const v2 = g.add(g.mul(v, g.constant(BETA2)), g.mul(g.mul(grad, grad), g.constant(1 - BETA2)));
  const p2 = g.sub(p, g.mul(lr, g.div(m2, g.add(g.sqrt(v2), eps))));
  return { p: p2, m: m2, v: v2 };
}
