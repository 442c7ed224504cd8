// Composite neural-network operations built from primitives. Written so that fusion
// recognises them: max-subtracted softmax / log-softmax / cross-entropy and layer norm
// each become one row kernel; linear + bias + activation becomes one matmul kernel.
import type { GraphBuilder } from './builder.ts';
import { MASK_BIAS, type Var, numel } from './types.ts';

/** Softmax over the last axis, max-subtracted. */
export function softmax(b: GraphBuilder, x: Var): Var {
  const ax = x.shape.length - 1;
  const m = b.max(x, ax, true);
  const e = b.exp(b.sub(x, b.stopGradient(m)));
  return b.div(e, b.sum(e, ax, true));
}

/** log-softmax over the last axis: x - max - log(sum(exp(x - max))). */
export function logSoftmax(b: GraphBuilder, x: Var): Var {
  const ax = x.shape.length - 1;
  const s = b.sub(x, b.stopGradient(b.max(x, ax, true)));
  const lse = b.log(b.sum(b.exp(s), ax)); // log before restoring the axis: fuses per row
  return b.sub(s, b.reshape(lse, [...lse.shape, 1]));
}

/** Per-row cross-entropy of logits [..., C] against integer labels [...]; returns [...] losses. */
export function crossEntropy(b: GraphBuilder, logits: Var, labels: Var): Var {
  const onehot = b.cast(b.eq(b.iota(logits.shape, logits.shape.length - 1), b.reshape(labels, [...labels.shape, 1])), 'f32');
  return b.neg(b.sum(b.mul(logSoftmax(b, logits), onehot), logits.shape.length - 1));
}

/** Layer norm over the last axis with gain and bias. */
export function layerNorm(b: GraphBuilder, x: Var, gain: Var, bias: Var, eps = 1e-5): Var {
  const ax = x.shape.length - 1;
  const mu = b.mean(x, ax, true);
  const xc = b.sub(x, mu);
  const rstd = b.rsqrt(b.add(b.mean(b.mul(xc, xc), ax, true), eps));
  return b.add(b.mul(b.mul(xc, rstd), gain), bias);
}

/** GELU, tanh approximation (as in BERT/ViT implementations). */
export function gelu(b: GraphBuilder, x: Var): Var {
  const inner = b.mul(b.add(x, b.mul(b.mul(b.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return b.mul(b.mul(x, 0.5), b.add(b.tanh(inner), 1));
}

/** x @ w + bias over the last axis of x (any leading dims). */
export function linear(b: GraphBuilder, x: Var, w: Var, bias?: Var): Var {
  const lead = x.shape.slice(0, -1);
  const flat = b.reshape(x, [lead.reduce((a, d) => a * d, 1), x.shape[x.shape.length - 1]!]);
  const y = b.matmul(flat, w);
  const yb = bias ? b.add(y, bias) : y;
  return b.reshape(yb, [...lead, w.shape[1]!]);
}

/** How scaled dot-product attention is lowered: one fused primitive, matmuls + softmax, or by shape. */
export type AttentionMode = 'fused' | 'unfused' | 'auto';
export const ATTENTION_MODES: readonly AttentionMode[] = ['fused', 'unfused', 'auto'];

/**
 * 'auto' fuses attention whose unfused scores [B,H,N,M] would not fit one storage binding of a
 * baseline adapter (128 MiB): there the fused kernels are what makes the model compile at all.
 * Below it the unfused matmul + softmax stay, because on the only adapters measured so far
 * (lavapipe; bench/RESULTS.md "Fused attention") the fused kernels ran 0.8-1.5x as fast as
 * the unfused ones on flap-tiny's shapes, and one attention's forward + backward took 6.7 s to
 * compile from a cold cache against 1.0 s unfused; on a GPU this rule should be re-measured.
 */
export const BASELINE_BINDING_BYTES = 134217728;

/**
 * How many pieces axis 0 of `lead` (the leading dims of a value) must be cut into so that a
 * [...lead, width] f32 value fits one baseline binding, as a count of non-empty pieces of
 * ceil(lead[0] / parts) rows; undefined where even one row of axis 0 is too large. Like
 * fusedAttentionPays it reads the baseline limit, not the adapter's, so a model's graph (and its
 * checkpoints) do not depend on the machine that compiles it.
 */
export function rowParts(lead: readonly number[], width: number, bindingBytes = BASELINE_BINDING_BYTES): number | undefined {
  const n = lead[0] ?? 1;
  const perRow = (numel(lead) / Math.max(n, 1)) * width * 4;
  if (perRow > bindingBytes) return undefined;
  const rows = Math.max(1, Math.floor(bindingBytes / perRow));
  const step = Math.min(n, rows);
  return step === 0 ? 1 : Math.ceil(n / step);
}

/** Whether 'auto' fuses attention over these operands (q [B,H,N,D], k [B,H,M,D]). */
export function fusedAttentionPays(q: Var, k: Var): boolean {
  const [B, H, N] = q.shape as [number, number, number];
  return B * H * N * k.shape[2]! * 4 > BASELINE_BINDING_BYTES;
}

/**
 * softmax(q·kᵀ/√D + (mask - 1)·1e9)·v over q [B,H,N,D], k and v [B,H,M,D], mask [B,M] (1 keeps a
 * key). Fused: one primitive whose kernels never hold the [B,H,N,M] scores (the backward
 * recomputes them); unfused: the matmul / softmax / matmul the fused kernels are tested against.
 * The key mask is a selector and gets no gradient either way.
 */
export function attention(b: GraphBuilder, q: Var, k: Var, v: Var, mask: Var | undefined, mode: AttentionMode): Var {
  const scale = 1 / Math.sqrt(q.shape[3]!);
  const m = mask && b.stopGradient(mask);
  // the kernels hold rows as vec4s: head widths not divisible by 4 stay unfused in every mode
  if (q.shape[3]! % 4 === 0 && (mode === 'fused' || (mode === 'auto' && fusedAttentionPays(q, k))))
    return b.bind1('attention', m ? [q, k, v, m] : [q, k, v], { scale });
  let scores = b.mul(b.matmul(q, b.mT(k)), scale);
  if (m) scores = b.add(scores, b.mul(b.sub(b.reshape(m, [m.shape[0]!, 1, 1, m.shape[1]!]), 1), MASK_BIAS));
  return b.matmul(softmax(b, scores), v);
}

/** Multi-head self-attention over [B, T, D] with packed qkv weights [D, 3D] and output [D, D]. */
export function selfAttention(b: GraphBuilder, x: Var, wqkv: Var, bqkv: Var, wo: Var, bo: Var, heads: number): Var {
  const [B, T, D] = x.shape as [number, number, number];
  const hd = D / heads;
  const qkv = linear(b, x, wqkv, bqkv); // [B, T, 3D]
  const split = (i: number): Var => b.transpose(b.reshape(b.slice(qkv, [0, 0, i * D], [B, T, (i + 1) * D]), [B, T, heads, hd]), [0, 2, 1, 3]); // [B, H, T, hd]
  const q = split(0),
    k = split(1),
    v = split(2);
  const att = attention(b, q, k, v, undefined, 'unfused'); // [B, H, T, hd]
  const merged = b.reshape(b.transpose(att, [0, 2, 1, 3]), [B, T, D]);
  return linear(b, merged, wo, bo);
}

export interface BlockParams {
  ln1g: Var;
  ln1b: Var;
  wqkv: Var;
  bqkv: Var;
  wo: Var;
  bo: Var;
  ln2g: Var;
  ln2b: Var;
  w1: Var;
  b1: Var;
  w2: Var;
  b2: Var;
}

/** Pre-norm transformer block: x + attn(ln(x)); x + mlp(ln(x)). */
export function transformerBlock(b: GraphBuilder, x: Var, p: BlockParams, heads: number): Var {
  const h = b.add(x, selfAttention(b, layerNorm(b, x, p.ln1g, p.ln1b), p.wqkv, p.bqkv, p.wo, p.bo, heads));
  const m = linear(b, gelu(b, linear(b, layerNorm(b, h, p.ln2g, p.ln2b), p.w1, p.b1)), p.w2, p.b2);
  return b.add(h, m);
}

/** Declare a block's parameters on the builder under `prefix`. */
export function blockParams(b: GraphBuilder, prefix: string, D: number, hidden: number): BlockParams {
  const P = (n: string, s: number[]): Var => b.param(`${prefix}.${n}`, s);
  return {
    ln1g: P('ln1.g', [D]),
    ln1b: P('ln1.b', [D]),
    wqkv: P('attn.wqkv', [D, 3 * D]),
    bqkv: P('attn.bqkv', [3 * D]),
    wo: P('attn.wo', [D, D]),
    bo: P('attn.bo', [D]),
    ln2g: P('ln2.g', [D]),
    ln2b: P('ln2.b', [D]),
    w1: P('mlp.w1', [D, hidden]),
    b1: P('mlp.b1', [hidden]),
    w2: P('mlp.w2', [hidden, D]),
    b2: P('mlp.b2', [D]),
  };
}
