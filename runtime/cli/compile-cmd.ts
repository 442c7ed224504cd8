// `flapc compile <spec.yaml> [-o outdir] [--emit summary|ir|kernels|wgsl|plan] [--graph train|eval]
//  [--target adapter|baseline] [--json]`: check a spec, compile its training and evaluation
// graphs, print what was asked for, and optionally write the compiled plans for `flapc run`.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BASELINE_CAPS,
  type CompiledSpec,
  type DeviceCaps,
  Diagnostics,
  compileSpec,
  describeKernel,
  diagnosticsJson,
  modelHash,
  printGraph,
  renderDiagnostics,
  serializePlan,
} from '../../compiler/index.ts';
import { MANIFEST_FORMAT } from '../model/model.ts';
import { describeAdapter, requestAdapter } from '../gpu/device.ts';

import { UserError } from '../errors.ts';

const EMITS = ['summary', 'ir', 'kernels', 'wgsl', 'plan'] as const;

async function targetCaps(target: string): Promise<{ caps: DeviceCaps; adapter: string }> {
  if (target === 'baseline') return { caps: BASELINE_CAPS, adapter: 'WebGPU baseline limits' };
  try {
    const r = describeAdapter(await requestAdapter(), process.env.VK_ICD_FILENAMES);
    return { caps: r.caps, adapter: r.description || r.device };
  } catch {
    return { caps: BASELINE_CAPS, adapter: 'WebGPU baseline limits (no adapter found)' };
  }
}

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
/** Planned bytes beside the live-tensor lower bound (no plan of these kernels can use less). */
const mem = (g: { memoryBytes: number; memoryLowerBound: number }): string =>
  `${mib(g.memoryBytes)} (live-tensor lower bound ${mib(g.memoryLowerBound)}, ${(g.memoryBytes / g.memoryLowerBound).toFixed(2)}x)`;
const gflop = (f: number): string => `${(f / 1e9).toFixed(2)} GFLOP`;

function summaryText(c: CompiledSpec, adapter: string): string {
  const s = c.summary;
  const lines = [
    `${s.name} (${s.file})`,
    `  parameters      ${s.parameters.toLocaleString('en-US')} in ${s.parameterTensors} tensors (+ ${s.buffers} fixed tables)`,
    `  inputs          ${s.inputs.map((i) => `${i.name} ${i.dtype}[${i.shape.join(', ')}]`).join(', ')}`,
    `  losses          ${s.losses.map((l) => `${l.name} x${l.weight}`).join(', ')}`,
    `  outputs (eval)  ${s.outputs.map((o) => `${o.name} [${o.shape.join(', ')}]`).join(', ')}`,
    `  training step   ${gflop(s.train.flops)}, ${s.train.kernels} kernels (${s.train.pipelines} pipelines), ${s.train.equations} equations, planned memory ${mem(s.train)}${c.model.spec.config.train.precision === 'f16' ? ', large temporaries stored f16 (train.precision)' : ''}`,
    `  evaluation      ${gflop(s.eval.flops)}, ${s.eval.kernels} kernels (${s.eval.pipelines} pipelines), planned memory ${mem(s.eval)}`,
    `  limits checked  ${adapter}: ${s.limits.maxStorageBuffersPerShaderStage} storage buffers/kernel, ${mib(s.limits.maxStorageBufferBindingSize)}/binding, ${s.limits.maxComputeInvocationsPerWorkgroup} invocations/workgroup, ${s.limits.maxComputeWorkgroupsPerDimension} workgroups/dim${s.limits.subgroups ? `, subgroups of ${s.limits.subgroupSize || 'varying size'}` : ''}`,
    `  compiled in     ${s.compileMs} ms`,
  ];
  return lines.join('\n');
}

/** Write the compiled spec to `dir` via a temporary sibling, so a failure leaves nothing half-written. */
function writeOut(dir: string, c: CompiledSpec, adapter: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, 'manifest.json'))) {
    throw new UserError(`output directory '${dir}' exists and is not a flapc output; choose another -o`);
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'wgsl'), { recursive: true });
  const m = c.model;
  const manifest = {
    format: MANIFEST_FORMAT,
    version: 1,
    spec: m.spec.file,
    specHash: modelHash(m.spec),
    name: m.spec.config.name,
    adapter,
    config: m.spec.config,
    params: m.params.map((p) => ({ name: p.name, shape: p.shape, init: p.init, trainable: p.trainable })),
    losses: c.summary.losses,
    summary: c.summary,
    plans: { train: 'train.plan.json', eval: 'eval.plan.json', ...(c.unmaskedPlan && { unmasked: 'unmasked.plan.json' }) },
  };
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(tmp, 'train.plan.json'), serializePlan(c.trainPlan));
  writeFileSync(join(tmp, 'eval.plan.json'), serializePlan(c.evalPlan));
  if (c.unmaskedPlan) writeFileSync(join(tmp, 'unmasked.plan.json'), serializePlan(c.unmaskedPlan));
  for (const p of [...c.trainPlan.pipelines, ...c.evalPlan.pipelines, ...(c.unmaskedPlan?.pipelines ?? [])])
    writeFileSync(join(tmp, 'wgsl', `${p.label}-${p.hash}.wgsl`), p.wgsl);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

export async function compileCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      emit: { type: 'string' },
      graph: { type: 'string' },
      target: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1)
    throw new UserError(
      'usage: flapc compile <spec.yaml> [-o outdir] [--emit summary|ir|kernels|wgsl|plan] [--graph train|eval] [--target adapter|baseline] [--json]',
    );
  const emit = values.emit ?? 'summary';
  if (!(EMITS as readonly string[]).includes(emit)) throw new UserError(`--emit must be one of ${EMITS.join(', ')}, got '${emit}'`);
  const which = values.graph ?? 'train';
  if (which !== 'train' && which !== 'eval') throw new UserError(`--graph must be train or eval, got '${which}'`);
  const target = values.target ?? 'adapter';
  if (target !== 'adapter' && target !== 'baseline') throw new UserError(`--target must be adapter or baseline, got '${target}'`);
  const { caps, adapter } = await targetCaps(target);
  const diags = new Diagnostics();
  const c = compileSpec(positionals[0]!, caps, diags);
  if (!c) {
    if (values.json) console.log(JSON.stringify({ ok: false, diagnostics: diagnosticsJson(diags.list) }, null, 2));
    else {
      process.stderr.write(`${renderDiagnostics(diags.list, diags.sources)}\n${diags.list.length} error${diags.list.length === 1 ? '' : 's'}\n`);
    }
    return 2;
  }
  if (values.out) writeOut(values.out, c, adapter);
  const plan = which === 'train' ? c.trainPlan : c.evalPlan;
  switch (emit) {
    case 'summary':
      console.log(values.json ? JSON.stringify({ ok: true, adapter, ...c.summary }, null, 2) : summaryText(c, adapter));
      break;
    case 'ir':
      console.log(printGraph(which === 'train' ? c.model.train.graph : c.model.eval.graph));
      break;
    case 'kernels':
      for (const k of (which === 'train' ? c.trainKernels : c.evalKernels).kernels) console.log(describeKernel(k));
      break;
    case 'wgsl':
      for (const p of plan.pipelines) console.log(`// ---- pipeline ${p.label} (${p.hash})\n${p.wgsl}\n`);
      break;
    case 'plan':
      console.log(serializePlan(plan));
      break;
  }
  if (values.out && !values.json) process.stderr.write(`wrote ${values.out}/ (manifest.json, train.plan.json, eval.plan.json, wgsl/)\n`);
  return 0;
}
