// Float64 reference for the fused-attention primitives, written from the definitions (no
// online softmax, no recomputation tricks): the oracle the WGSL kernels and the VJP rule are
// tested against, next to the unfused decomposition in nn.ts.
import { type DType, MASK_BIAS, type Shape } from './types.ts';

/** interp.ts's Tensor, restated structurally (interp.ts imports this file). */
interface Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly data: Float64Array;
}

interface Dims {
  B: number;
  H: number;
  N: number;
  M: number;
  D: number;
}

const dimsOf = (q: Tensor, k: Tensor): Dims => {
  const [B, H, N, D] = q.shape as [number, number, number, number];
  return { B, H, N, M: k.shape[2]!, D };
};

/** Scores of one (b, h, n) row: scale·q·kⱼ + (maskⱼ - 1)·1e9. */
function scores(q: Tensor, k: Tensor, mask: Tensor | undefined, z: Dims, b: number, h: number, n: number, scale: number): number[] {
  const { H, N, M, D } = z;
  const qo = ((b * H + h) * N + n) * D;
  return Array.from({ length: M }, (_, j) => {
    const ko = ((b * H + h) * M + j) * D;
    let s = 0;
    for (let d = 0; d < D; d++) s += q.data[qo + d]! * k.data[ko + d]!;
    return s * scale + (mask ? (mask.data[b * M + j]! - 1) * MASK_BIAS : 0);
  });
}

function logSumExp(s: number[]): number {
  const m = Math.max(...s);
  return m + Math.log(s.reduce((a, x) => a + Math.exp(x - m), 0));
}

const f32 = (shape: number[], data: Float64Array): Tensor => ({ shape, dtype: 'f32', data });

function eachRow(z: Dims, f: (b: number, h: number, n: number, row: number) => void): void {
  for (let b = 0; b < z.B; b++) for (let h = 0; h < z.H; h++) for (let n = 0; n < z.N; n++) f(b, h, n, (b * z.H + h) * z.N + n);
}

export function attentionRef([q, k, v, mask]: Tensor[], scale: number): Tensor {
  const z = dimsOf(q!, k!);
  const out = new Float64Array(q!.data.length);
  eachRow(z, (b, h, n, row) => {
    const s = scores(q!, k!, mask, z, b, h, n, scale);
    const lse = logSumExp(s);
    s.forEach((sj, j) => {
      const p = Math.exp(sj - lse);
      const vo = ((b * z.H + h) * z.M + j) * z.D;
      for (let d = 0; d < z.D; d++) out[row * z.D + d]! += p * v!.data[vo + d]!;
    });
  });
  return f32([...q!.shape], out);
}

export function attentionLseRef([q, k, mask]: Tensor[], scale: number): Tensor {
  const z = dimsOf(q!, k!);
  const out = new Float64Array(z.B * z.H * z.N);
  eachRow(z, (b, h, n, row) => {
    out[row] = logSumExp(scores(q!, k!, mask, z, b, h, n, scale));
  });
  return f32([z.B, z.H, z.N], out);
}

/**
 * dq and (dk, dv) of o = softmax(s)·v with s = scale·q·kᵀ + bias: p = exp(s - lse),
 * dv = pᵀ·dO, dp = dO·vᵀ, ds = p·(dp - delta) with delta = rowsum(dO·o), dq = scale·ds·k,
 * dk = scale·dsᵀ·q.
 */
function attentionGrads([q, k, v, lse, delta, dO, mask]: Tensor[], scale: number): { dq: Float64Array; dk: Float64Array; dv: Float64Array; z: Dims } {
  const z = dimsOf(q!, k!);
  const dq = new Float64Array(q!.data.length);
  const dk = new Float64Array(k!.data.length);
  const dv = new Float64Array(v!.data.length);
  eachRow(z, (b, h, n, row) => {
    const s = scores(q!, k!, mask, z, b, h, n, scale);
    s.forEach((sj, j) => {
      const p = Math.exp(sj - lse!.data[row]!);
      const ko = ((b * z.H + h) * z.M + j) * z.D;
      let dp = 0;
      for (let d = 0; d < z.D; d++) dp += dO!.data[row * z.D + d]! * v!.data[ko + d]!;
      const ds = p * (dp - delta!.data[row]!);
      for (let d = 0; d < z.D; d++) {
        dq[row * z.D + d]! += scale * ds * k!.data[ko + d]!;
        dk[ko + d]! += scale * ds * q!.data[row * z.D + d]!;
        dv[ko + d]! += p * dO!.data[row * z.D + d]!;
      }
    });
  });
  return { dq, dk, dv, z };
}

export function attentionDqRef(ins: Tensor[], scale: number): Tensor {
  const { dq } = attentionGrads(ins, scale);
  return f32([...ins[0]!.shape], dq);
}

export function attentionDkvRef(ins: Tensor[], scale: number): Tensor {
  const { dk, dv, z } = attentionGrads(ins, scale);
  const out = new Float64Array(dk.length * 2);
  for (let r = 0; r < z.B * z.H * z.M; r++) {
    out.set(dk.subarray(r * z.D, (r + 1) * z.D), r * 2 * z.D);
    out.set(dv.subarray(r * z.D, (r + 1) * z.D), (r * 2 + 1) * z.D);
  }
  return f32([z.B, z.H, z.M, 2, z.D], out);
}
