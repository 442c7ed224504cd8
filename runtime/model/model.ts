// A model ready to run: its training and evaluation plans, parameter list and config, from a
// spec (compiled here, for this adapter, with its tuned matmul variants) or from a directory
// written by `flapc compile -o`. Also the checks every command makes before slow work starts:
// the tokenizer fits the vocabulary, a checkpoint belongs to this model.
import { readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import {
  type AudioConfig,
  BASELINE_CAPS,
  type DeviceCaps,
  type SpecConfig,
  type TextConfig,
  type TrainConfig,
  type MatmulTuning,
  type Plan,
  Diagnostics,
  compileSpec,
  modelHash,
  parsePlan,
  renderDiagnostics,
} from '../../compiler/index.ts';
import { UserError } from '../errors.ts';
import type { Gpu } from '../gpu/device.ts';
import type { ParamSpec } from '../train/init.ts';
import { type WordPieceTokenizer, tokenizerFor } from '../data/tokenizer.ts';
import { loadTuning } from '../tune/matmul-tune.ts';

export const MANIFEST_FORMAT = 'flapc-compiled';

export interface Model {
  name: string;
  /** The spec file (or the spec a compiled directory was made from). */
  spec: string;
  /** modelHash of the spec: checkpoints record it. */
  specHash: string;
  plan: Plan;
  evalPlan: Plan;
  /** train.unmasked_steps > 0: the plan of the last, unmasked training steps (FLIP). */
  unmaskedPlan?: Plan;
  params: ParamSpec[];
  train: TrainConfig;
  audio: AudioConfig;
  text: TextConfig;
  data: Record<string, unknown>;
  /** Folder that relative data paths in the spec are resolved against. */
  base: string;
  /** The matmul variants it was compiled with, for the log. */
  variants: string;
}

function fromCompiledDir(dir: string): Model {
  const read = (f: string): string => {
    try {
      return readFileSync(join(dir, f), 'utf8');
    } catch {
      throw new UserError(`${dir} has no ${f} (write one with flapc compile <spec> -o ${dir})`);
    }
  };
  let m: {
    format?: string;
    name: string;
    spec: string;
    specHash?: string;
    params: ParamSpec[];
    config: SpecConfig;
    plans: { train: string; eval: string; unmasked?: string };
  };
  try {
    m = JSON.parse(read('manifest.json'));
  } catch (e) {
    throw new UserError(`${dir}/manifest.json: ${(e as Error).message}`);
  }
  if (m.format !== MANIFEST_FORMAT) throw new UserError(`${dir}/manifest.json is not a flapc manifest`);
  if (!m.specHash) throw new UserError(`${dir} was compiled by an older flapc (no spec hash): compile it again with flapc compile ${m.spec} -o ${dir}`);
  let plan: Plan, evalPlan: Plan, unmaskedPlan: Plan | undefined;
  try {
    plan = parsePlan(read(m.plans.train), `${dir}/${m.plans.train}`);
    evalPlan = parsePlan(read(m.plans.eval), `${dir}/${m.plans.eval}`);
    if (m.plans.unmasked) unmaskedPlan = parsePlan(read(m.plans.unmasked), `${dir}/${m.plans.unmasked}`);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  return {
    name: m.name,
    spec: m.spec,
    specHash: m.specHash,
    plan,
    evalPlan,
    ...(unmaskedPlan && { unmaskedPlan }),
    params: m.params,
    train: m.config.train,
    audio: m.config.audio,
    text: m.config.text,
    data: m.config.data ?? {},
    base: dirname(m.spec),
    variants: 'the matmul variants it was compiled with',
  };
}

/** Compile `target` (a spec) for `gpu`, or load it (a compiled directory). Diagnostics become a UserError. */
export function loadModel(gpu: Gpu, target: string): Model {
  if (!existsSync(target)) throw new UserError(`no such spec or compiled directory: ${target}`);
  if (statSync(target).isDirectory()) return fromCompiledDir(target);
  return compileFor(target, gpu.caps, loadTuning(gpu)?.tuning);
}

/**
 * Compile for the limits every WebGPU adapter has (no subgroups, no f16, 8 storage buffers per
 * kernel): a plan that runs in any browser. A compiled directory is recompiled from its spec.
 */
export function loadPortableModel(target: string): Model {
  if (!existsSync(target)) throw new UserError(`no such spec or compiled directory: ${target}`);
  const spec = statSync(target).isDirectory() ? fromCompiledDir(target).spec : target;
  return compileFor(spec, BASELINE_CAPS, undefined);
}

function compileFor(target: string, caps: DeviceCaps, tuned: MatmulTuning | undefined): Model {
  const d = new Diagnostics();
  const c = compileSpec(target, caps, d, undefined, tuned);
  if (!c) throw new UserError(`${renderDiagnostics(d.list, d.sources)}\n${d.list.length} error${d.list.length === 1 ? '' : 's'} in ${target}`);
  const cfg = c.model.spec.config;
  return {
    name: cfg.name,
    spec: target,
    specHash: modelHash(c.model.spec),
    plan: c.trainPlan,
    evalPlan: c.evalPlan,
    ...(c.unmaskedPlan && { unmaskedPlan: c.unmaskedPlan }),
    params: c.model.params,
    train: cfg.train,
    audio: cfg.audio,
    text: cfg.text,
    data: cfg.data,
    base: dirname(target),
    variants: tuned
      ? `matmul variants tuned for this adapter (small ${tuned.small}, large ${tuned.large})`
      : 'default matmul variants (`flapc tune` picks them for this adapter)',
  };
}

/** The tokenizer, refused when its ids would fall outside the model's embedding table. */
export function modelTokenizer(m: Model): WordPieceTokenizer {
  const { vocab } = m.text;
  const tokenizer = tokenizerFor(m.text.tokenizer);
  if (tokenizer.size > vocab)
    throw new UserError(
      `the spec's text.vocab (${vocab}) is smaller than the ${m.text.tokenizer} vocabulary (${tokenizer.size}): token ids would fall outside the embedding table`,
    );
  return tokenizer;
}

/** The spec's data.train / data.eval / data.val paths (a string or a list), relative to the spec file. */
export function specPaths(m: Model, key: string): string[] {
  const v = m.data[key];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((p) => (isAbsolute(String(p)) ? String(p) : join(m.base, String(p))));
}

/** Input `name` of the training plan, or a UserError naming what the model lacks. */
export function planInput(plan: Plan, name: string): Plan['inputs'][number] {
  const i = plan.inputs.find((x) => x.name === name);
  if (!i) throw new UserError(`this model's entry takes no '${name}' input (flapc trains models whose entry takes 'mel' and 'tokens')`);
  return i;
}

/**
 * The checkpoint to use: `given`, or the weights shipped beside a spec file (models/flap-small.yaml
 * -> models/flap-small.safetensors), so a shipped model works without --checkpoint.
 */
export function resolveCheckpoint(spec: string, given: string | undefined): string {
  if (given) return given;
  const beside = spec.replace(/\.ya?ml$/, '.safetensors');
  if (beside !== spec && existsSync(beside)) return beside;
  throw new UserError(`--checkpoint is needed: ${spec} has no shipped weights beside it (${beside})`);
}
