// The FLAP step in TensorFlow.js on its WebGPU backend (tfjs-core + tfjs-backend-webgpu, dev
// dependencies), run eagerly as tfjs runs (it has no JIT): tf.valueAndGrads over the weights,
// then clipping and AdamW with tf ops, inside tf.tidy, on flapc's own Dawn device.
import type { Gpu } from '../../runtime/gpu/device.ts';
import { startTfjs } from '../../runtime/bench/tfjs-peer.ts';
import { adamwUpdate, flapLoss, type Ops, type Params, type PeerBatch, type PeerConfig } from './flap-peer.ts';
import type { HostInputs, PeerStep } from './host.ts';

type Tf = typeof import('@tensorflow/tfjs-core');
type T = import('@tensorflow/tfjs-core').Tensor;

function tfOps(tf: Tf): Ops<T> {
  return {
    // [..., n, k] @ [k, m]: one 2-D matmul over the flattened rows (how tfjs users write a dense layer)
    matmul: (a, b) => {
      if (b.rank === 2 && a.rank > 2) {
        const lead = a.shape.slice(0, -1);
        return tf.reshape(tf.matMul(tf.reshape(a, [-1, a.shape[a.rank - 1]!]), b), [...lead, b.shape[1]!]);
      }
      return tf.matMul(a, b);
    },
    add: (a, b) => tf.add(a, b),
    sub: (a, b) => tf.sub(a, b),
    mul: (a, b) => tf.mul(a, b),
    div: (a, b) => tf.div(a, b),
    scale: (a, s) => tf.mul(a, s),
    shift: (a, s) => tf.add(a, s),
    tanh: (a) => tf.tanh(a),
    exp: (a) => tf.exp(a),
    log: (a) => tf.log(a),
    rsqrt: (a) => tf.rsqrt(a),
    sqrt: (a) => tf.sqrt(a),
    recip: (a) => tf.reciprocal(a),
    minimum: (a, s) => tf.minimum(a, s),
    sum: (a, axis, keep) => tf.sum(a, axis, keep),
    mean: (a, axis, keep) => tf.mean(a, axis, keep),
    max: (a, axis, keep) => tf.max(a, axis, keep),
    reshape: (a, shape) => tf.reshape(a, shape),
    transpose: (a, perm) => tf.transpose(a, perm),
    sliceLast: (a, start, end) => tf.slice(a, [...a.shape.map(() => 0).slice(0, -1), start], [...a.shape.slice(0, -1), end - start]),
    embed: (table, ids) => tf.gather(table, ids, 0),
    // per-sample rows as one flat gather (tf.gather with batchDims=1 differentiates sample by sample)
    rows: (x, ids) => {
      const [B, N, D] = x.shape as [number, number, number];
      const flat = tf.add(ids, tf.mul(tf.reshape(tf.range(0, B, 1, 'int32'), [B, 1]), tf.scalar(N, 'int32')));
      return tf.reshape(tf.gather(tf.reshape(x, [B * N, D]), tf.reshape(flat, [-1]), 0), [B, ids.shape[1]!, D]);
    },
    concat: (xs, axis) => tf.concat(xs, axis),
    broadcast: (a, shape) => tf.broadcastTo(a, shape),
    // tfjs has no stop_gradient op; the subtracted row max only keeps exp in range, and its
    // gradient terms cancel exactly, so it is left in the graph (a few extra reductions)
    stopGradient: (a) => a,
    rank: (a) => a.rank,
  };
}

export async function tfjsPeer(gpu: Gpu, cfg: PeerConfig, host: HostInputs): Promise<PeerStep> {
  const { tf, backend } = await startTfjs(gpu);
  // tfjs-core's gradient functions are registered by the full @tensorflow/tfjs bundle (tfjs-core's
  // own register_all_gradients is an ES module Node cannot load: directory imports)
  await import('@tensorflow/tfjs');
  const ops = tfOps(tf);
  let params: Params<T> = {},
    m: Params<T> = {},
    v: Params<T> = {};
  const fixed: Params<T> = {};
  for (const p of host.params) {
    const t = tf.tensor(p.data, p.shape, 'float32');
    if (p.trainable) {
      params[p.name] = t;
      m[p.name] = tf.zeros(p.shape);
      v[p.name] = tf.zeros(p.shape);
    } else fixed[p.name] = t;
  }
  const b = host.batch(1);
  const fixedBatch = {
    mel: tf.tensor(b.mel, b.melShape, 'float32'),
    tokens: tf.tensor(b.tokens, b.tokensShape, 'int32'),
    keyMask: tf.tensor(b.keyMask, b.tokensShape, 'float32'),
    eye: tf.tensor(b.eye, [cfg.batch, cfg.batch], 'float32'),
  };
  const batchOf = (t: number): PeerBatch<T> => ({
    ...fixedBatch,
    views: host.batch(t).views.map((w) => ({
      ids: tf.tensor(w.ids, w.idsShape, 'int32'),
      restore: tf.tensor(w.restore, w.restoreShape, 'int32'),
      dropped: tf.tensor(w.dropped, w.restoreShape, 'float32'),
    })),
  });
  const names = Object.keys(params);
  const lossWith =
    (x: PeerBatch<T>) =>
    (...ws: T[]): T =>
      flapLoss(ops, { ...Object.fromEntries(names.map((n, i) => [n, ws[i]!])), ...fixed }, x, cfg);
  // hand the recorded work to the queue now (tfjs batches dispatches until a read or a limit)
  const submit = (): void => {
    if (!(backend as unknown as { commandEncoder: unknown }).commandEncoder) return;
    backend.endComputePassEncoder();
    backend.submitQueue();
  };
  return {
    name: 'tfjs',
    async step(t: number, hyper: Float32Array): Promise<number> {
      const old = [params, m, v];
      const res = tf.tidy(() => {
        const { value, grads } = tf.valueAndGrads(lossWith(batchOf(t)))(names.map((n) => params[n]!));
        const h = tf.tensor1d(hyper);
        const upd = adamwUpdate(ops, cfg, { params, grads: Object.fromEntries(names.map((n, i) => [n, grads[i]!])), m, v, hyper: h });
        return { value, ...upd };
      });
      submit();
      ({ params, m, v } = res);
      const out = (await res.value.data())[0]!;
      res.value.dispose();
      for (const set of old) tf.dispose(Object.values(set));
      return out;
    },
    dispose(): void {
      tf.dispose([...Object.values(params), ...Object.values(m), ...Object.values(v), ...Object.values(fixed)]);
      tf.dispose(Object.values(fixedBatch));
    },
  };
}
