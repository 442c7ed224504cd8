// The training graph: forward + backward + global-norm clipping + AdamW, one graph.
// Parameters and their moments are graph inputs updated in place (outputs with `updates`).
// Step-dependent scalars (learning rate, bias corrections) arrive in a small `opt.hyper`
// input computed on the host each step, so the graph is compiled once.
import type { GraphBuilder } from '../ir/builder.ts';
import { type Var, IRError, numel } from '../ir/types.ts';
import { grad } from './grad.ts';
import { GRAD_NORM, HYPER_NAME, LOSS, moment1, moment2 } from '../names.ts';

export { HYPER_NAME };

export interface AdamWConfig {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Clip gradients to this global L2 norm; 0 disables clipping. */
  clipNorm: number;
  /** Which parameters get weight decay (default: rank >= 2, i.e. not biases or norm gains). */
  decay?: (name: string, v: Var) => boolean;
}

/** AdamW settings from a spec's `train` section (one reading for the compiler and the trainer). */
export function adamwConfig(train: { beta1: number; beta2: number; eps: number; weight_decay: number; clip: number }): AdamWConfig {
  return { beta1: train.beta1, beta2: train.beta2, eps: train.eps, weightDecay: train.weight_decay, clipNorm: train.clip };
}

export const DEFAULT_ADAMW: AdamWConfig = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, clipNorm: 1.0 };

/** Index of each scalar in the `opt.hyper` input. */
export const HYPER = { lr: 0, bc1: 1, bc2: 2 } as const;

/** Host-side values of `opt.hyper` for 1-based step t. */
export function adamwHyper(cfg: AdamWConfig, lr: number, t: number): Float32Array {
  const h = new Float32Array(3);
  h[HYPER.lr] = lr;
  h[HYPER.bc1] = 1 / (1 - cfg.beta1 ** t);
  h[HYPER.bc2] = 1 / (1 - cfg.beta2 ** t);
  return h;
}

export interface TrainStepInfo {
  params: string[];
  states: string[];
}

/** Gradients at least this large sum their squares in pieces (sumOfSquares). */
export const PIECEWISE_NUMEL = 1 << 18;

/**
 * Σ g². A large gradient is cut into up to 64 contiguous pieces, each summed by its own
 * workgroup, then the pieces' sums are added: a single sum over every element is one row, which
 * the reduction kernel gives one workgroup, and a CPU adapter runs a workgroup on one core.
 * flap-tiny's token-embedding gradient ([30522, 64], 1.95M elements): 3.4-3.7 -> 2.2-2.8 ms on
 * lavapipe (bench/RESULTS.md, session 20); reading 7.8 MB bounds it, not the cores. (Summing its
 * 64-wide rows first was no faster: one lane per row reads 8 rows at once, a strided gather.)
 * Only this sum is cut; splitting any long single-row reduction in the reduction codegen would be
 * the general form, not done for a 0.3 % step gain.
 */
function sumOfSquares(b: GraphBuilder, g: Var): Var {
  const sq = b.mul(g, g);
  const n = numel(g.shape);
  let pieces = 64;
  while (pieces > 1 && n % pieces !== 0) pieces /= 2;
  if (n < PIECEWISE_NUMEL || pieces < 8) return b.sum(sq);
  return b.sum(b.sum(b.reshape(sq, [pieces, n / pieces]), 1));
}

/**
 * Append backward pass and AdamW update for every 'param' input of `b` to minimise `loss`.
 * Outputs: 'loss', 'grad_norm', and in-place updates of each parameter and its moments.
 */
export function appendTrainStep(b: GraphBuilder, loss: Var, cfg: AdamWConfig = DEFAULT_ADAMW): TrainStepInfo {
  const params = b.inputs.filter((i) => i.role === 'param');
  if (params.length === 0) throw new IRError('training step: the graph has no parameters');
  const grads = grad(
    b,
    loss,
    params.map((p) => p.v),
  );
  const saved = b.source;
  b.source = { optimizer: true };
  const hyper = b.input(HYPER_NAME, [3], 'f32', 'data');
  const scalar = (k: number): Var => b.reshape(b.slice(hyper, [k], [k + 1]), []);
  const lr = scalar(HYPER.lr),
    bc1 = scalar(HYPER.bc1),
    bc2 = scalar(HYPER.bc2);

  // Sum of squares as a balanced tree: shallow, and it splits cleanly into kernels.
  let terms = grads.map((g) => sumOfSquares(b, g));
  while (terms.length > 1) {
    const next: Var[] = [];
    for (let i = 0; i < terms.length; i += 2) next.push(i + 1 < terms.length ? b.add(terms[i]!, terms[i + 1]!) : terms[i]!);
    terms = next;
  }
  const norm = b.sqrt(terms[0]!);
  const scale = cfg.clipNorm > 0 ? b.minimum(b.div(cfg.clipNorm, b.add(norm, 1e-6)), 1) : null;

  const states: string[] = [];
  params.forEach((p, i) => {
    const g = scale ? b.mul(grads[i]!, scale) : grads[i]!;
    const m = b.input(moment1(p.name), p.v.shape, 'f32', 'state');
    const v = b.input(moment2(p.name), p.v.shape, 'f32', 'state');
    states.push(moment1(p.name), moment2(p.name));
    const m2 = b.add(b.mul(m, cfg.beta1), b.mul(g, 1 - cfg.beta1));
    const v2 = b.add(b.mul(v, cfg.beta2), b.mul(b.mul(g, g), 1 - cfg.beta2));
    const update = b.div(b.mul(m2, bc1), b.add(b.sqrt(b.mul(v2, bc2)), cfg.eps));
    const decays = (cfg.decay ?? ((_n, x) => x.shape.length >= 2))(p.name, p.v) && cfg.weightDecay > 0;
    const step = decays ? b.add(update, b.mul(p.v, cfg.weightDecay)) : update;
    const p2 = b.sub(p.v, b.mul(step, lr));
    b.output(`new.${p.name}`, p2, p.name);
    b.output(`new.${moment1(p.name)}`, m2, moment1(p.name));
    b.output(`new.${moment2(p.name)}`, v2, moment2(p.name));
  });
  b.output(LOSS, loss);
  b.output(GRAD_NORM, norm);
  b.source = saved;
  return { params: params.map((p) => p.name), states };
}
