// The FLAP step in jax-js (@jax-js/jax, a dev dependency): jit of value-and-grad plus clipping
// and AdamW, one compiled function per step, on jax-js's WebGPU device (its own device on the
// same Dawn adapter as flapc's) or on its WebAssembly CPU backend.
// jax-js arrays are reference counted and every op consumes its operands; the model is traced
// once by jit, so each op here takes a new reference (`.ref`) instead of threading ownership
// through the model code: tracers are not freed during tracing, and the compiled step owns its
// intermediates.
import { dawnInstance } from '../../runtime/gpu/device.ts';
import { adamwUpdate, flapLoss, type Ops, type Params, type PeerBatch, type PeerConfig } from './flap-peer.ts';
import type { HostInputs, PeerStep } from './host.ts';

type Jax = typeof import('@jax-js/jax');
type A = import('@jax-js/jax').Array;

function jaxOps(jax: Jax): Ops<A> {
  const np = jax.numpy;
  const r = (a: A): A => a.ref;
  return {
    matmul: (a, b) => np.matmul(r(a), r(b)),
    add: (a, b) => np.add(r(a), r(b)),
    sub: (a, b) => np.subtract(r(a), r(b)),
    mul: (a, b) => np.multiply(r(a), r(b)),
    div: (a, b) => np.divide(r(a), r(b)),
    scale: (a, s) => np.multiply(r(a), s),
    shift: (a, s) => np.add(r(a), s),
    tanh: (a) => np.tanh(r(a)),
    exp: (a) => np.exp(r(a)),
    log: (a) => np.log(r(a)),
    rsqrt: (a) => np.reciprocal(np.sqrt(r(a))),
    sqrt: (a) => np.sqrt(r(a)),
    recip: (a) => np.reciprocal(r(a)),
    minimum: (a, s) => np.minimum(r(a), s),
    sum: (a, axis, keep) => np.sum(r(a), axis, { keepdims: keep }),
    mean: (a, axis, keep) => np.mean(r(a), axis, { keepdims: keep }),
    max: (a, axis, keep) => np.max(r(a), axis, { keepdims: keep }),
    reshape: (a, shape) => np.reshape(r(a), shape),
    transpose: (a, perm) => np.transpose(r(a), perm),
    sliceLast: (a, start, end) => r(a).slice(...a.shape.slice(0, -1).map((): [] => []), [start, end]),
    embed: (table, ids) => np.take(r(table), r(ids), 0),
    rows: (x, ids) => np.takeAlongAxis(r(x), np.expandDims(r(ids), -1), 1),
    concat: (xs, axis) => np.concatenate(xs.map(r), axis),
    broadcast: (a, shape) => np.broadcastTo(r(a), shape),
    stopGradient: (a) => jax.lax.stopGradient(r(a)),
    rank: (a) => a.shape.length,
  };
}

interface State {
  params: Params<A>;
  m: Params<A>;
  v: Params<A>;
}

export async function jaxPeer(cfg: PeerConfig, host: HostInputs, device: 'webgpu' | 'wasm'): Promise<PeerStep> {
  const g = globalThis as { navigator?: unknown };
  g.navigator ??= { gpu: dawnInstance(), userAgent: 'node' };
  const jax = await import('@jax-js/jax');
  const np = jax.numpy;
  const started = await jax.init(device);
  if (!started.includes(device)) throw new Error(`jax-js could not start its ${device} backend here`);
  const ops = jaxOps(jax);
  // every array names its device: jax-js's default device is process-wide, and both jax-js peers
  // may run in one process (jit runs where its inputs live)
  const f32 = (d: Float32Array, shape: number[]): A => np.array(new Float32Array(d), { shape, device });
  const i32 = (d: Int32Array, shape: number[]): A => np.array(new Int32Array(d), { shape, dtype: np.int32, device });

  let state: State = { params: {}, m: {}, v: {} };
  const fixed: Params<A> = {};
  for (const p of host.params) {
    if (p.trainable) {
      state.params[p.name] = f32(p.data, p.shape);
      state.m[p.name] = np.zeros(p.shape, { device });
      state.v[p.name] = np.zeros(p.shape, { device });
    } else fixed[p.name] = f32(p.data, p.shape);
  }
  const b1 = host.batch(1);
  const fixedBatch = {
    mel: f32(b1.mel, b1.melShape),
    tokens: i32(b1.tokens, b1.tokensShape),
    keyMask: f32(b1.keyMask, b1.tokensShape),
    eye: f32(b1.eye, [cfg.batch, cfg.batch]),
  };
  // each call takes new references to the fixed arrays (jit consumes its arguments) and uploads step t's drops
  const batchOf = (t: number): PeerBatch<A> => ({
    ...jax.tree.ref(fixedBatch),
    views: host.batch(t).views.map((v) => ({ ids: i32(v.ids, v.idsShape), restore: i32(v.restore, v.restoreShape), dropped: f32(v.dropped, v.restoreShape) })),
  });
  const lossOf = (params: Params<A>, rest: { fixed: Params<A>; x: PeerBatch<A> }): A => flapLoss(ops, { ...params, ...rest.fixed }, rest.x, cfg);
  const step = jax.jit((s: State, rest: { fixed: Params<A>; x: PeerBatch<A> }, hyper: A) => {
    const [loss, grads] = jax.valueAndGrad(lossOf)(s.params, rest);
    return { loss, ...adamwUpdate(ops, cfg, { ...s, grads: grads as Params<A>, hyper }) };
  });
  // Wait for jax-js's queue before mapping the result: on Dawn in Node, reads of a fresh jit's
  // result were seen never to resolve without it (micro-flap.yaml's first step).
  const read = async (a: A): Promise<Float32Array> => {
    if (device === 'webgpu') await jax.getWebGPUDevice().queue.onSubmittedWorkDone();
    return (await a.data()) as Float32Array;
  };
  return {
    name: device === 'webgpu' ? 'jax-js' : 'jax-js-wasm',
    async step(t: number, hyper: Float32Array): Promise<number> {
      const out = step(state, { fixed: jax.tree.ref(fixed), x: batchOf(t) }, f32(hyper, [3])) as unknown as State & { loss: A };
      state = { params: out.params, m: out.m, v: out.v };
      if (out.loss.device !== device) throw new Error(`jax-js ran the step on ${out.loss.device}, not ${device}`);
      return (await read(out.loss))[0]!;
    },
    dispose(): void {
      step.dispose();
      jax.tree.dispose([state, fixed, fixedBatch]);
    },
  };
}
