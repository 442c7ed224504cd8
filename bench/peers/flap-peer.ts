// A FLAP training step written once over a small array API (`Ops`), so jax-js and tfjs run the
// same model flapc compiles from a spec: the same layers as compiler/dsl/stdlib.flap (pre-norm
// blocks, tanh GELU, masked mean pooling, symmetric InfoNCE with the logit-scale clamp, MAE loss
// on normalised patches), the same parameter names and layouts (so flapc's weights load as they
// are), then global-norm clipping and AdamW as compiler/autodiff/train-step.ts defines them.
// What a peer gets precomputed on the host, where flapc computes it on the GPU: the key mask,
// and each view's drop order (flapc's own counter-based uniforms, argsorted; ids, restore order
// and dropped mask), since neither peer has flapc's random stream.
import { buildModel, Diagnostics, type Graph } from '../../compiler/index.ts';
import { randomUniform } from '../../compiler/ir/rng.ts';

/** The array API the model needs; each peer implements it with its own ops. */
export interface Ops<T> {
  matmul(a: T, b: T): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  scale(a: T, s: number): T;
  shift(a: T, s: number): T;
  tanh(a: T): T;
  exp(a: T): T;
  log(a: T): T;
  rsqrt(a: T): T;
  sqrt(a: T): T;
  recip(a: T): T;
  minimum(a: T, s: number): T;
  sum(a: T, axis: number, keep: boolean): T;
  mean(a: T, axis: number, keep: boolean): T;
  max(a: T, axis: number, keep: boolean): T;
  reshape(a: T, shape: number[]): T;
  transpose(a: T, perm: number[]): T;
  /** a[..., start:end] along the last axis. */
  sliceLast(a: T, start: number, end: number): T;
  /** table[ids]: [V, D] by [B, L] ids -> [B, L, D]. */
  embed(table: T, ids: T): T;
  /** Per-sample rows: x [B, N, D] by ids [B, K] -> [B, K, D]. */
  rows(x: T, ids: T): T;
  concat(xs: T[], axis: number): T;
  broadcast(a: T, shape: number[]): T;
  stopGradient(a: T): T;
  rank(a: T): number;
}

export type Params<T> = Record<string, T>;

/** The model's sizes and switches, read from the spec flapc compiles. */
export interface PeerConfig {
  name: string;
  batch: number;
  frames: number;
  melBins: number;
  patch: number;
  width: number;
  depth: number;
  heads: number;
  textDepth: number;
  embed: number;
  maxTokens: number;
  mask: string;
  maskRatio: number;
  views: number;
  reconWeight: number;
  decWidth: number;
  decDepth: number;
  decHeads: number;
  wordVectors: boolean;
  /** The seeds of the training graph's random_uniform equations, one per view, in order. */
  viewSeeds: number[];
  adamw: { beta1: number; beta2: number; eps: number; weightDecay: number; clip: number };
}

export class PeerUnsupported extends Error {}

/** Read a spec into the peers' model description; what they cannot express is refused by name. */
export function peerConfig(spec: string): { cfg: PeerConfig; notes: string[]; comparable: boolean } {
  const diags = new Diagnostics();
  const m = buildModel(spec, diags);
  if (!m) throw new PeerUnsupported(`${spec}: does not compile (run flapc compile ${spec})`);
  const c = m.spec.config;
  const h = c.hyper as Record<string, unknown>;
  if (m.spec.model.entry !== 'flap' || !('views' in h)) throw new PeerUnsupported(`${spec}: the peers implement models/flap.yaml's model only`);
  const num = (k: string): number => Number(h[k]);
  const notes = ["the key mask and each view's drop order come from the host (flapc computes them on the GPU)"];
  let mask = h.mask as string,
    maskRatio = num('mask_ratio'),
    seeds = randomSeeds(m.train.graph);
  if (mask === '2d') {
    // the closest equivalent: a 1-D drop keeping as many tokens (the same encoder work)
    const gt = c.audio.frames / c.audio.patch,
      gf = c.audio.mel_bins / c.audio.patch;
    const kept = Math.trunc(gt * (1 - num('mask_ratio_t'))) * Math.trunc(gf * (1 - num('mask_ratio_f')));
    maskRatio = 1 - kept / (gt * gf);
    mask = '1d';
    seeds = seeds.filter((_, i) => i % 2 === 0);
    notes.push(`2-D (time x frequency) drop is timed as a 1-D drop of the same ${kept} kept tokens per view; its losses are not comparable`);
  }
  if (mask !== 'none' && mask !== '1d') throw new PeerUnsupported(`${spec}: hyper.mask "${mask}" (the peers implement 1-D and 2-D token drop and no masking)`);
  const cfg: PeerConfig = {
    name: c.name,
    batch: c.train.batch,
    frames: c.audio.frames,
    melBins: c.audio.mel_bins,
    patch: c.audio.patch,
    width: num('width'),
    depth: num('depth'),
    heads: num('heads'),
    textDepth: num('text_depth'),
    embed: num('embed'),
    maxTokens: c.text.max_tokens,
    mask,
    maskRatio,
    views: num('views'),
    reconWeight: num('recon_weight'),
    decWidth: num('dec_width'),
    decDepth: num('dec_depth'),
    decHeads: num('dec_heads'),
    wordVectors: h.word_vectors !== 'none' && h.word_vectors !== undefined,
    viewSeeds: seeds,
    adamw: { beta1: c.train.beta1, beta2: c.train.beta2, eps: c.train.eps, weightDecay: c.train.weight_decay, clip: c.train.clip },
  };
  return { cfg, notes, comparable: h.mask !== '2d' };
}

function randomSeeds(g: Graph): number[] {
  return g.eqns.filter((e) => e.prim === 'random_uniform').map((e) => (e.params as { seed: number }).seed);
}

/** One view's drop, as flapc's random_drop computes it for rng key `step`. */
export interface ViewDrop {
  ids: Int32Array; // [B, K]
  restore: Int32Array; // [B, N]
  dropped: Float32Array; // [B, N]
}

export const tokenCount = (c: PeerConfig): number => (c.frames / c.patch) * (c.melBins / c.patch);
export const keptCount = (c: PeerConfig): number => Math.trunc(tokenCount(c) * (1 - c.maskRatio));

export function viewDrops(c: PeerConfig, step: number): ViewDrop[] {
  if (c.mask === 'none') return [];
  const B = c.batch,
    N = tokenCount(c),
    K = keptCount(c);
  return c.viewSeeds.map((seed) => {
    const ids = new Int32Array(B * K),
      restore = new Int32Array(B * N),
      dropped = new Float32Array(B * N);
    for (let b = 0; b < B; b++) {
      const u = Array.from({ length: N }, (_, i) => randomUniform(step, seed, b * N + i));
      const order = Array.from({ length: N }, (_, i) => i).sort((i, j) => u[i]! - u[j]! || i - j);
      order.forEach((tok, rank) => {
        if (rank < K) ids[b * K + rank] = tok;
        restore[b * N + tok] = rank;
        dropped[b * N + tok] = rank >= K ? 1 : 0;
      });
    }
    return { ids, restore, dropped };
  });
}

/** Host-side inputs of one step. */
export interface PeerBatch<T> {
  mel: T; // [B, T, F]
  tokens: T; // [B, L] i32
  keyMask: T; // [B, L] f32
  eye: T; // [B, B] f32, the InfoNCE labels
  views: { ids: T; restore: T; dropped: T }[];
}

export function flapLoss<T>(o: Ops<T>, p: Params<T>, x: PeerBatch<T>, c: PeerConfig): T {
  const B = c.batch,
    P = c.patch,
    gt = c.frames / P,
    gf = c.melBins / P,
    N = gt * gf,
    L = c.maxTokens,
    W = c.width;
  const lin = (v: T, name: string): T => {
    const y = o.matmul(v, p[`${name}.w`]!);
    return p[`${name}.b`] ? o.add(y, p[`${name}.b`]!) : y;
  };
  const norm = (v: T, name: string): T => {
    const xc = o.sub(v, o.mean(v, -1, true));
    const inv = o.rsqrt(o.shift(o.mean(o.mul(xc, xc), -1, true), 1e-5));
    return o.add(o.mul(o.mul(xc, inv), p[`${name}.g`]!), p[`${name}.b`]!);
  };
  const gelu = (v: T): T => {
    const inner = o.scale(o.add(v, o.scale(o.mul(o.mul(v, v), v), 0.044715)), 0.7978845608);
    return o.mul(o.scale(v, 0.5), o.shift(o.tanh(inner), 1));
  };
  const softmax = (s: T): T => {
    const e = o.exp(o.sub(s, o.stopGradient(o.max(s, -1, true))));
    return o.div(e, o.sum(e, -1, true));
  };
  const attention = (v: T, n: number, d: number, heads: number, name: string, bias?: T): T => {
    const dh = d / heads;
    const qkv = lin(v, `${name}.qkv`);
    const part = (i: number, perm: number[]): T => o.transpose(o.reshape(o.sliceLast(qkv, i * d, (i + 1) * d), [B, n, heads, dh]), perm);
    let s = o.scale(o.matmul(part(0, [0, 2, 1, 3]), part(1, [0, 2, 3, 1])), 1 / Math.sqrt(dh));
    if (bias) s = o.add(s, bias);
    const out = o.transpose(o.matmul(softmax(s), part(2, [0, 2, 1, 3])), [0, 2, 1, 3]);
    return lin(o.reshape(out, [B, n, d]), `${name}.proj`);
  };
  const transformer = (v: T, n: number, d: number, depth: number, heads: number, name: string, bias?: T): T => {
    for (let i = 0; i < depth; i++) {
      const blk = `${name}.blocks.${i}.transformer_block_0`;
      v = o.add(v, attention(norm(v, `${blk}.ln1`), n, d, heads, `${blk}.attn`, bias));
      v = o.add(v, lin(gelu(lin(norm(v, `${blk}.ln2`), `${blk}.mlp.fc1`)), `${blk}.mlp.fc2`));
    }
    return norm(v, `${name}.norm`);
  };
  const l2 = (v: T): T => o.mul(v, o.rsqrt(o.shift(o.sum(o.mul(v, v), -1, true), 1e-12)));
  const meanPool = (v: T, m?: T): T => {
    if (!m) return o.mean(v, 1, false);
    const m3 = o.reshape(m, [B, -1, 1]);
    return o.div(o.sum(o.mul(v, m3), 1, false), o.shift(o.sum(m3, 1, false), 1e-6));
  };
  const logSoftmax = (s: T): T => {
    const z = o.sub(s, o.stopGradient(o.max(s, -1, true)));
    return o.sub(z, o.log(o.sum(o.exp(z), -1, true)));
  };
  const crossEntropy = (s: T): T => o.scale(o.mean(o.sum(o.mul(logSoftmax(s), x.eye), -1, false), 0, false), -1);
  const infoNce = (a: T, t: T): T => {
    const logits = o.mul(o.matmul(a, o.transpose(t, [1, 0])), o.exp(o.minimum(p.logit_scale!, 4.605170186)));
    return o.scale(o.add(crossEntropy(logits), crossEntropy(o.transpose(logits, [1, 0]))), 0.5);
  };
  const average = (vs: T[]): T =>
    o.scale(
      vs.reduce((a, b) => o.add(a, b)),
      1 / vs.length,
    );

  // audio patches, time-major: [B, T, F] -> [B, gt*gf, P*P]
  const patches = o.reshape(o.transpose(o.reshape(x.mel, [B, gt, P, gf, P]), [0, 1, 3, 2, 4]), [B, N, P * P]);
  const a0 = o.add(lin(patches, 'patch_embed'), p['audio_pos.table']!);
  // text
  let t = o.add(o.embed(p['token_embed.table']!, x.tokens), p['text_pos.table']!);
  if (c.wordVectors) t = o.add(t, lin(o.embed(p.word_vectors!, x.tokens), 'word_proj'));
  const bias = o.reshape(o.scale(o.shift(x.keyMask, -1), 1e9), [B, 1, 1, L]);
  t = transformer(t, L, W, c.textDepth, c.heads, 'text_encoder', bias);
  const textEmb = l2(lin(meanPool(t, x.keyMask), 'text_proj'));
  const audioEmb = (h: T): T => l2(lin(meanPool(h), 'audio_proj'));
  if (c.mask === 'none') return infoNce(audioEmb(transformer(a0, N, W, c.depth, c.heads, 'audio_encoder')), textEmb);

  const K = keptCount(c);
  const contrast: T[] = [],
    recon: T[] = [];
  let target: T | undefined;
  if (c.reconWeight > 0) {
    const mu = o.mean(patches, -1, true);
    const xc = o.sub(patches, mu);
    target = o.mul(xc, o.rsqrt(o.shift(o.mean(o.mul(xc, xc), -1, true), 1e-6)));
  }
  for (const v of x.views) {
    const h = transformer(o.rows(a0, v.ids), K, W, c.depth, c.heads, 'audio_encoder');
    contrast.push(infoNce(audioEmb(h), textEmb));
    if (!target) continue;
    const d = lin(h, 'decoder_embed');
    const all = o.concat([d, o.broadcast(p.mask_token!, [B, N - K, c.decWidth])], 1);
    const y0 = o.add(o.rows(all, v.restore), p['decoder_pos.table']!);
    const y = transformer(y0, N, c.decWidth, c.decDepth, c.decHeads, 'decoder');
    const pred = lin(y, 'decoder_pred');
    const diff = o.sub(pred, target);
    const err = o.mean(o.mul(diff, diff), -1, false);
    recon.push(o.div(o.sum(o.reshape(o.mul(err, v.dropped), [B * N]), 0, false), o.shift(o.sum(o.reshape(v.dropped, [B * N]), 0, false), 1e-6)));
  }
  const loss = average(contrast);
  return recon.length > 0 ? o.add(loss, o.scale(average(recon), c.reconWeight)) : loss;
}

/**
 * Global-norm clipping, then AdamW with decoupled decay on rank >= 2 weights, as
 * compiler/autodiff/train-step.ts builds it. `hyper` is [lr, 1/(1-b1^t), 1/(1-b2^t)], an input
 * (a number would be a constant to a tracing JIT, recompiled every step).
 */
export function adamwUpdate<T>(
  o: Ops<T>,
  c: PeerConfig,
  s: { params: Params<T>; grads: Params<T>; m: Params<T>; v: Params<T>; hyper: T },
): { params: Params<T>; m: Params<T>; v: Params<T> } {
  const a = c.adamw;
  const names = Object.keys(s.grads);
  const at = (k: number): T => o.sliceLast(s.hyper, k, k + 1);
  const lr = at(0),
    bc1 = at(1),
    bc2 = at(2);
  let sq: T | undefined;
  for (const n of names) {
    const g = s.grads[n]!;
    const t = o.sum(o.reshape(o.mul(g, g), [-1]), 0, true);
    sq = sq ? o.add(sq, t) : t;
  }
  const factor = a.clip > 0 ? o.minimum(o.scale(o.recip(o.shift(o.sqrt(sq!), 1e-6)), a.clip), 1) : undefined;
  const out = { params: {} as Params<T>, m: {} as Params<T>, v: {} as Params<T> };
  for (const n of names) {
    const w = s.params[n]!;
    const g = factor ? o.mul(s.grads[n]!, factor) : s.grads[n]!;
    const m1 = o.add(o.scale(s.m[n]!, a.beta1), o.scale(g, 1 - a.beta1));
    const v1 = o.add(o.scale(s.v[n]!, a.beta2), o.scale(o.mul(g, g), 1 - a.beta2));
    let upd = o.div(o.mul(m1, bc1), o.shift(o.sqrt(o.mul(v1, bc2)), a.eps));
    if (o.rank(w) >= 2 && a.weightDecay > 0) upd = o.add(upd, o.scale(w, a.weightDecay));
    out.params[n] = o.sub(w, o.mul(upd, lr));
    out.m[n] = m1;
    out.v[n] = v1;
  }
  return out;
}
