// Parameter initialisation from a compiled spec's manifest (the `init` of each param),
// deterministic for a seed: each tensor draws from its own stream keyed by its name,
// so adding a parameter never changes the others.
// Runs in the web page too: the node-free plan module, not compiler/index.
import { fnv1a } from '../../compiler/plan/plan.ts';

export interface ParamSpec {
  name: string;
  shape: readonly number[];
  init: { kind: string; args: readonly number[]; table?: string };
  trainable?: boolean;
}

/** Tensors a checkpoint carries: trained parameters, and fixed tables read from files (word vectors). */
export const isStored = (p: ParamSpec): boolean => !!p.trainable || p.init.kind === 'word_vectors';

/** Reads a pretrained table by name as [rows, dim] (Node: runtime/model/word-vectors.ts). */
export type TableSource = (name: string, rows: number) => Float32Array;

/** splitmix32: small, fast, good enough for initial weights. */
function stream(seed: number, name: string): () => number {
  let s = (parseInt(fnv1a(name), 16) ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}

/** Fixed 1-D sin-cos table [n, d]: (sin, cos) pairs at geometric frequencies. */
export function sincos1d(n: number, d: number, out = new Float32Array(n * d), stride = d, offset = 0): Float32Array {
  const half = d / 2;
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < half; i++) {
      const w = 1 / 10000 ** (i / half);
      out[p * stride + offset + i] = Math.sin(p * w);
      out[p * stride + offset + half + i] = Math.cos(p * w);
    }
  }
  return out;
}

/** Fixed 2-D table [rows·cols, d] (token r·cols + c): first half encodes r, second half c (as in MAE). */
export function sincos2d(rows: number, cols: number, d: number): Float32Array {
  const out = new Float32Array(rows * cols * d);
  const rowT = sincos1d(rows, d / 2),
    colT = sincos1d(cols, d / 2);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const t = r * cols + c;
      out.set(rowT.subarray(r * (d / 2), (r + 1) * (d / 2)), t * d);
      out.set(colT.subarray(c * (d / 2), (c + 1) * (d / 2)), t * d + d / 2);
    }
  }
  return out;
}

export function initParam(p: ParamSpec, seed: number, tables?: TableSource): Float32Array {
  const n = p.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const r = stream(seed, p.name);
  const [a0 = 0, a1 = 0] = p.init.args;
  const normal = (std: number): number => std * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  switch (p.init.kind) {
    case 'zeros':
      return out;
    case 'ones':
      return out.fill(1);
    case 'constant':
      return out.fill(a0);
    case 'normal':
      for (let i = 0; i < n; i++) out[i] = normal(a0);
      return out;
    case 'uniform':
      for (let i = 0; i < n; i++) out[i] = (2 * r() - 1) * a0;
      return out;
    case 'xavier': {
      // Glorot uniform over the last two axes (leading axes are independent matrices).
      const fanIn = p.shape[p.shape.length - 2]!,
        fanOut = p.shape[p.shape.length - 1]!;
      const lim = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < n; i++) out[i] = (2 * r() - 1) * lim;
      return out;
    }
    case 'sincos_1d':
      return sincos1d(p.shape[0]!, p.shape[1]!);
    case 'sincos_2d':
      return sincos2d(a0, a1, p.shape[1]!);
    case 'word_vectors':
      if (!tables) throw new Error(`${p.name}: init.word_vectors("${p.init.table}") needs the table, and none can be read here`);
      return tables(p.init.table!, p.shape[0]!);
    default:
      throw new Error(`unknown initialiser '${p.init.kind}' for ${p.name}`);
  }
}
