// `flapc demo`: until FLAP training lands, the most complete real run the compiler can do:
// a one-block transformer classifier trained end to end on the GPU (forward, backward,
// clipping and AdamW in one compiled step), on a synthetic sequence task with a held-out split.
import { adamwHyper, appendTrainStep, DEFAULT_ADAMW, HYPER_NAME, compileGraph, GraphBuilder, nn, numel } from '../../compiler/index.ts';
import type { Gpu } from '../gpu/device.ts';
import { Executable, reportProfile } from '../exec/executor.ts';
import { lcg } from '../../compiler/ir/lcg.ts';

const B = 32,
  T = 16,
  D = 32,
  H = 4,
  C = 4;

/** Task: which of C prototype patterns is hidden (at a random position) in a noisy sequence. */
function makeBatch(r: () => number, protos: Float32Array[]): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(B * T * D),
    y = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const c = Math.floor(r() * C);
    y[i] = c;
    const pos = Math.floor(r() * T);
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) x[(i * T + t) * D + d] = (r() * 2 - 1) * 0.8 + (t === pos ? protos[c]![d]! : 0);
    }
  }
  return { x, y };
}

export async function runDemo(gpu: Gpu, steps: number, json: boolean): Promise<void> {
  const b = new GraphBuilder();
  const x = b.input('x', [B, T, D]);
  const labels = b.input('labels', [B], 'i32');
  const h = nn.transformerBlock(b, x, nn.blockParams(b, 'block', D, 2 * D), H);
  const pooled = b.mean(h, 1);
  const logits = nn.linear(b, pooled, b.param('head.w', [D, C]), b.param('head.b', [C]));
  const loss = b.mean(nn.crossEntropy(b, logits, labels));
  b.output('logits', logits);
  appendTrainStep(b, loss, DEFAULT_ADAMW);
  const t0 = performance.now();
  const { plan } = compileGraph(b.build(), { caps: gpu.caps });
  const exe = await Executable.create(gpu, plan);
  const compileMs = performance.now() - t0;
  const r = lcg(7);
  for (const i of plan.inputs) {
    const n = numel(i.shape);
    if (i.role === 'state') exe.write(i.name, new Float32Array(n));
    if (i.role !== 'param') continue;
    const fan = i.shape.length >= 2 ? i.shape[0]! : 0;
    exe.write(
      i.name,
      Float32Array.from({ length: n }, () => (fan ? (r() * 2 - 1) * Math.sqrt(3 / fan) : i.name.endsWith('.g') ? 1 : 0)),
    );
  }
  const protos = Array.from({ length: C }, () => Float32Array.from({ length: D }, () => (r() < 0.5 ? -1.5 : 1.5)));
  const trainRng = lcg(11);
  const log: { step: number; loss: number }[] = [];
  const t1 = performance.now();
  for (let step = 1; step <= steps; step++) {
    const lr = 3e-3 * Math.min(1, step / 20) * (0.5 + 0.5 * Math.cos((Math.PI * step) / steps));
    const batch = makeBatch(trainRng, protos);
    exe.write('x', batch.x);
    exe.write('labels', batch.y);
    exe.write(HYPER_NAME, adamwHyper(DEFAULT_ADAMW, lr, step));
    exe.run();
    if (step % 20 === 0 || step === 1 || step === steps) {
      const l = (await exe.read('loss'))[0]!;
      log.push({ step, loss: l });
      if (!json) process.stderr.write(`step ${String(step).padStart(4)}/${steps}  loss ${l.toFixed(4)}\n`);
    }
  }
  await exe.sync();
  const trainMs = performance.now() - t1;
  if (Number(process.env.FLAPC_DEBUG ?? 0) >= 4) await reportProfile(exe);
  // Held-out accuracy: new batches from a different stream, with learning rate 0 (no update).
  const evalRng = lcg(99);
  let correct = 0,
    total = 0;
  for (let k = 0; k < 8; k++) {
    const batch = makeBatch(evalRng, protos);
    exe.write('x', batch.x);
    exe.write('labels', batch.y);
    exe.write(HYPER_NAME, adamwHyper({ ...DEFAULT_ADAMW, weightDecay: 0 }, 0, steps));
    exe.run();
    const lg = await exe.read('logits');
    for (let i = 0; i < B; i++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (lg[i * C + c]! > lg[i * C + best]!) best = c;
      correct += best === batch.y[i] ? 1 : 0;
      total++;
    }
  }
  exe.destroy();
  const summary = {
    adapter: gpu.report.description,
    kernels: plan.stats.kernels,
    pipelines: plan.stats.pipelines,
    params: plan.stats.paramCount,
    compileAndLoadMs: Math.round(compileMs),
    msPerStep: trainMs / steps,
    firstLoss: log[0]!.loss,
    lastLoss: log[log.length - 1]!.loss,
    heldOutAccuracy: correct / total,
    chance: 1 / C,
    loss: log,
  };
  if (json) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log(
      `adapter ${summary.adapter}: ${summary.kernels} kernels (${summary.pipelines} pipelines), ${summary.params} parameters, compile+load ${summary.compileAndLoadMs} ms`,
    );
    console.log(`trained ${steps} steps at ${summary.msPerStep.toFixed(1)} ms/step: loss ${summary.firstLoss.toFixed(4)} -> ${summary.lastLoss.toFixed(4)}`);
    console.log(`held-out accuracy ${(100 * summary.heldOutAccuracy).toFixed(1)}% (chance ${(100 / C).toFixed(0)}%)`);
  }
}
