// From a spec file to graphs and plans: load + validate YAML, parse the model DSL (and
// the standard library), check names, elaborate once for training and once for
// evaluation, append backward + AdamW to the training graph, then compile both.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { adamwConfig, appendTrainStep } from '../autodiff/train-step.ts';
import { pushGathers } from '../simplify/push-gathers.ts';
import type { MatmulTuning } from '../codegen/matmul.ts';
import type { DeviceCaps } from '../caps.ts';
import { compileGraph } from '../compile.ts';
import type { Program } from '../dsl/ast.ts';
import { checkProgram } from '../dsl/check.ts';
import { type ElabOptions, type Elaboration, type ParamInfo, elaborate } from '../dsl/elaborate.ts';
import { parseDsl } from '../dsl/parser.ts';
import { type Graph, IRError, formatSource, numel } from '../ir/types.ts';
import type { Plan } from '../plan/plan.ts';
import type { KernelGraph } from '../fuse/kernel-ir.ts';
import { Diagnostics, type Span } from './diagnostics.ts';
import { type LoadedSpec, type Located, type TrainConfig, loadSpec } from './load.ts';
import { lossTerm } from '../names.ts';
import { ATTENTION_MODES, type AttentionMode } from '../ir/nn.ts';

export const STDLIB_FILE = 'stdlib.flap';
const STDLIB_PATH = fileURLToPath(new URL('../dsl/stdlib.flap', import.meta.url));
export const STDLIB_TEXT = readFileSync(STDLIB_PATH, 'utf8');
const NAMESPACES = ['hp', 'audio', 'text', 'train', 'data'];

let stdlib: Program | undefined;
function stdlibProgram(): Program {
  if (!stdlib) {
    const d = new Diagnostics();
    stdlib = parseDsl(STDLIB_TEXT, { file: STDLIB_FILE, lineOffset: 0, colOffset: 0 }, d);
    if (d.hasErrors) throw new Error(`internal: the standard library does not parse:\n${d.list.map((x) => x.message).join('\n')}`);
  }
  return stdlib;
}

export interface ModelGraphs {
  spec: LoadedSpec;
  train: Elaboration & { graph: Graph };
  eval: Elaboration & { graph: Graph };
  /** train.unmasked_steps > 0: the training step with hyper.mask = "none". */
  unmasked?: Elaboration & { graph: Graph };
  params: ParamInfo[];
}

/** Everything up to graph IR. Returns undefined when diagnostics were reported. */
export function buildModel(
  path: string,
  diags: Diagnostics,
  cwd?: string,
  elab?: Pick<ElabOptions, 'bindingBytes'>,
  /** Move token gathers ahead of per-token matmuls (simplify/push-gathers.ts; default on, FLAPC_PUSH_GATHERS=0 for A/B runs). */
  opts: { pushGathers?: boolean } = {},
): ModelGraphs | undefined {
  diags.sources.set(STDLIB_FILE, STDLIB_TEXT);
  const spec = loadSpec(path, diags, cwd);
  if (!spec) return undefined;
  const user = parseDsl(spec.model.text, spec.model.origin, diags);
  if (diags.hasErrors) return undefined;
  // A user function of the same name replaces the library's (copy, then edit).
  const mine = new Set(user.fns.map((f) => f.name));
  const prog: Program = { fns: [...stdlibProgram().fns.filter((f) => !mine.has(f.name)), ...user.fns] };
  checkProgram(prog, NAMESPACES, diags);
  if (diags.hasErrors) return undefined;
  const c = spec.config;
  // Whole-model errors point at the entry function itself when it exists.
  const entryFn = prog.fns.find((f) => f.name === spec.model.entry);
  if (entryFn) spec.model.entrySpan = entryFn.span;
  const namespaces = { hp: c.hyper, audio: c.audio, text: c.text, train: c.train, data: c.data };
  // FLAPC_ATTENTION=fused|unfused|auto picks attention's lowering (A/B runs, debugging).
  const attention = (process.env.FLAPC_ATTENTION || 'auto') as AttentionMode;
  if (!ATTENTION_MODES.includes(attention)) {
    diags.error(`FLAPC_ATTENTION must be one of ${ATTENTION_MODES.join(', ')}, got '${attention}'`);
    return undefined;
  }
  const common = { namespaces, entry: spec.model.entry, entrySpan: spec.model.entrySpan, libraryFiles: new Set([STDLIB_FILE]), attention, ...elab };
  const masked = elaborateTraining(prog, common, c.hyper, diags);
  if (!masked) return undefined;
  const ev = elaborate(prog, { ...common, training: false }, diags);
  if (diags.hasErrors) return undefined;
  if (ev.outputs.length === 0) {
    diags.error(`the model has no outputs in evaluation (add e.g. output audio_emb = ... inside fn ${spec.model.entry})`, spec.model.entrySpan);
    return undefined;
  }
  if (opts.pushGathers ?? process.env.FLAPC_PUSH_GATHERS !== '0') pushGathers(masked.b);
  const train = appendStep(masked, c.train, common, diags);
  if (!train) return undefined;
  const unmasked = c.train.unmasked_steps > 0 ? unmaskedGraph(spec, prog, common, train.params, diags) : undefined;
  if (diags.hasErrors) return undefined;
  for (const o of ev.outputs) ev.b.output(o.name, o.v);
  for (const l of ev.losses) ev.b.output(lossTerm(l.name), l.v);
  return { spec, train, eval: { ...ev, graph: ev.b.build() }, params: train.params, ...(unmasked && { unmasked }) };
}

type Common = Omit<Parameters<typeof elaborate>[1], 'training'>;
type TrainGraph = Elaboration & { graph: Graph };

/** The model elaborated with `training` under these hyperparameters; it must define a loss. */
function elaborateTraining(prog: Program, common: Common, hyper: Record<string, unknown>, diags: Diagnostics): Elaboration | undefined {
  const train = elaborate(prog, { ...common, namespaces: { ...common.namespaces, hp: hyper }, training: true }, diags);
  if (diags.hasErrors) return undefined;
  if (train.losses.length === 0) {
    diags.error(`the model defines no loss in training (add: loss name = ... inside fn ${common.entry})`, common.entrySpan);
    return undefined;
  }
  return train;
}

/** The training step: the weighted losses summed, each term an output, then backward + AdamW. */
function appendStep(train: Elaboration, cfg: TrainConfig, common: Common, diags: Diagnostics): TrainGraph | undefined {
  const tb = train.b;
  let total = tb.mul(train.losses[0]!.v, train.losses[0]!.weight);
  for (const l of train.losses.slice(1)) total = tb.add(total, tb.mul(l.v, l.weight));
  for (const l of train.losses) tb.output(lossTerm(l.name), l.v);
  try {
    appendTrainStep(tb, total, adamwConfig(cfg));
  } catch (e) {
    if (!(e instanceof IRError)) throw e;
    diags.error(e.message.startsWith('training step') ? e.message : `training step: ${e.message}`, common.entrySpan);
    return undefined;
  }
  return { ...train, graph: tb.build() };
}

/**
 * train.unmasked_steps: the same training step with hyper.mask = "none" (FLIP's unmasked
 * tuning). Its parameters must be a subset of the masked step's (the decoder drops out), with
 * the same shapes, so the runtime can hand weights and moments from one plan to the other.
 */
function unmaskedGraph(spec: LoadedSpec, prog: Program, common: Common, params: ParamInfo[], diags: Diagnostics): TrainGraph | undefined {
  const at = keySpan(spec.tree, 'train', 'unmasked_steps') ?? spec.model.entrySpan;
  if (!('mask' in spec.config.hyper)) {
    diags.error('train.unmasked_steps needs hyper.mask, the switch the model reads to drop tokens (the unmasked steps set it to "none")', at);
    return undefined;
  }
  const e = elaborateTraining(prog, common, { ...spec.config.hyper, mask: 'none' }, diags);
  const g = e && appendStep(e, spec.config.train, common, diags);
  if (!g) return undefined;
  const masked = new Map(params.map((p) => [p.name, p.shape.join()]));
  for (const p of g.params)
    if (masked.get(p.name) !== p.shape.join()) {
      diags.error(
        `train.unmasked_steps: with hyper.mask = "none" the model has parameter '${p.name}' [${p.shape.join(', ')}], which the masked model lacks or shapes differently`,
        at,
      );
      return undefined;
    }
  return g;
}

function keySpan(tree: Located, section: string, key: string): Span | undefined {
  if (tree.kind !== 'map') return undefined;
  const s = tree.entries.get(section)?.value;
  return s?.kind === 'map' ? s.entries.get(key)?.key : undefined;
}

export interface GraphSummary {
  equations: number;
  kernels: number;
  pipelines: number;
  flops: number;
  memoryBytes: number;
  memoryLowerBound: number;
}
export interface SpecSummary {
  name: string;
  file: string;
  parameters: number;
  parameterTensors: number;
  buffers: number;
  inputs: { name: string; shape: number[]; dtype: string }[];
  losses: { name: string; weight: number }[];
  outputs: { name: string; shape: number[] }[];
  train: GraphSummary;
  eval: GraphSummary;
  limits: DeviceCaps;
  compileMs: number;
}

export interface CompiledSpec {
  model: ModelGraphs;
  trainPlan: Plan;
  evalPlan: Plan;
  /** train.unmasked_steps > 0: the plan of the unmasked steps. */
  unmaskedPlan?: Plan;
  trainKernels: KernelGraph;
  evalKernels: KernelGraph;
  summary: SpecSummary;
}

const summarize = (p: Plan): GraphSummary => ({
  equations: p.stats.equations,
  kernels: p.stats.kernels,
  pipelines: p.stats.pipelines,
  flops: p.stats.flops,
  memoryBytes: p.stats.bufferBytes,
  memoryLowerBound: p.stats.liveBytesLowerBound ?? p.stats.bufferBytes,
});

/**
 * Compile both graphs for `caps`; limit violations become diagnostics at the model entry.
 * `tuning`: the adapter's cached autotuner choice of matmul variants (runtime/tune), if any.
 */
export function compileSpec(path: string, caps: DeviceCaps, diags: Diagnostics, cwd?: string, tuning?: MatmulTuning): CompiledSpec | undefined {
  const t0 = performance.now();
  const model = buildModel(path, diags, cwd);
  if (!model) return undefined;
  let unmaskedPlan: Plan | undefined;
  let trainPlan: Plan, evalPlan: Plan, trainKernels: KernelGraph, evalKernels: KernelGraph;
  const precision = model.spec.config.train.precision;
  if (precision === 'f16' && !caps.shaderF16) {
    const at = keySpan(model.spec.tree, 'train', 'precision') ?? model.spec.model.entrySpan;
    diags.error('train.precision "f16" needs an adapter with the shader-f16 feature; this one has none (use "f32")', at);
    return undefined;
  }
  try {
    // FLAPC_DEBUG=1..3 prints each graph's IR, kernels and WGSL (compileGraph reads it).
    const debug = Number(process.env.FLAPC_DEBUG ?? 0);
    if (debug >= 1) process.stderr.write(`== ${model.spec.config.name}: training step ==\n`);
    ({ plan: trainPlan, kernelGraph: trainKernels } = compileGraph(model.train.graph, { caps, debug, precision, ...(tuning && { matmulTuning: tuning }) }));
    if (debug >= 1) process.stderr.write(`== ${model.spec.config.name}: evaluation step ==\n`);
    ({ plan: evalPlan, kernelGraph: evalKernels } = compileGraph(model.eval.graph, { caps, debug, ...(tuning && { matmulTuning: tuning }) }));
    if (model.unmasked) {
      if (debug >= 1) process.stderr.write(`== ${model.spec.config.name}: unmasked training step ==\n`);
      unmaskedPlan = compileGraph(model.unmasked.graph, { caps, debug, precision, ...(tuning && { matmulTuning: tuning }) }).plan;
    }
  } catch (e) {
    if (!(e instanceof IRError)) throw e;
    // Point at the spec call that made the equation (its gradient's too); the caret shows it, so
    // the message drops the location it carries in text.
    const at = e.source?.at;
    const message = e.source && at ? e.message.replace(` (${formatSource(e.source)})`, e.source.gradOf ? ` (gradient of ${e.source.gradOf})` : '') : e.message;
    diags.error(message, at ?? model.spec.model.entrySpan);
    return undefined;
  }
  const tr = model.params.filter((p) => p.trainable);
  const summary: SpecSummary = {
    name: model.spec.config.name,
    file: model.spec.file,
    parameters: tr.reduce((a, p) => a + numel(p.shape), 0),
    parameterTensors: tr.length,
    buffers: model.params.length - tr.length,
    inputs: model.train.inputs.map((i) => ({ name: i.name, shape: [...i.v.shape], dtype: i.v.dtype })),
    losses: model.train.losses.map((l) => ({ name: l.name, weight: l.weight })),
    outputs: model.eval.outputs.map((o) => ({ name: o.name, shape: [...o.v.shape] })),
    train: summarize(trainPlan),
    eval: summarize(evalPlan),
    limits: caps,
    compileMs: Math.round(performance.now() - t0),
  };
  return { model, trainPlan, evalPlan, trainKernels, evalKernels, summary, ...(unmaskedPlan && { unmaskedPlan }) };
}

/** Adapter-independent golden text for spec-tests: what the model is, not how it compiled. */
export function irSummary(m: ModelGraphs): string {
  const lines: string[] = [];
  const tr = m.params.filter((p) => p.trainable);
  lines.push(
    `model ${m.spec.config.name}: ${tr.reduce((a, p) => a + numel(p.shape), 0)} parameters in ${tr.length} tensors, ${m.params.length - tr.length} buffers`,
  );
  for (const p of m.params)
    lines.push(
      `  ${p.trainable ? 'param ' : 'buffer'} ${p.name} [${p.shape.join(', ')}] ${p.init.kind}${p.init.table ? `("${p.init.table}")` : p.init.args.length ? `(${p.init.args.join(', ')})` : ''}`,
    );
  for (const i of m.train.inputs) lines.push(`input ${i.name} ${i.v.dtype}[${i.v.shape.join(', ')}]`);
  for (const l of m.train.losses) lines.push(`loss ${l.name} weight ${l.weight}`);
  for (const o of m.eval.outputs) lines.push(`output ${o.name} ${o.v.dtype}[${o.v.shape.join(', ')}]`);
  const hist = (g: Graph): string => {
    const h = new Map<string, number>();
    for (const e of g.eqns) h.set(e.prim, (h.get(e.prim) ?? 0) + 1);
    return [...h]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  };
  lines.push(`train graph: ${m.train.graph.eqns.length} equations: ${hist(m.train.graph)}`);
  lines.push(`eval graph: ${m.eval.graph.eqns.length} equations: ${hist(m.eval.graph)}`);
  if (m.unmasked) lines.push(`unmasked train graph: ${m.unmasked.graph.eqns.length} equations, parameters ${m.unmasked.params.map((p) => p.name).join(', ')}`);
  return lines.join('\n');
}
