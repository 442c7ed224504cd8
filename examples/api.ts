// The programmatic API: compile a spec, run training steps on the GPU, then embed text and audio
// with the trained weights. Run it with: npx tsx examples/api.ts [spec.yaml] [audio.wav]
// (defaults: models/flap-tiny.yaml and a synthetic tone).
import { fileURLToPath } from 'node:url';
import { Diagnostics, HYPER_NAME, adamwConfig, adamwHyper, compileSpec, renderDiagnostics } from '../compiler/index.ts';
import { acquireGpu, releaseInstance } from '../runtime/gpu/device.ts';
import { Executable } from '../runtime/exec/executor.ts';
import { initParam } from '../runtime/train/init.ts';
import { Embedder } from '../runtime/eval/embed.ts';
import { bertBaseUncased } from '../runtime/data/tokenizer.ts';

const spec = process.argv[2] ?? fileURLToPath(new URL('../models/flap-tiny.yaml', import.meta.url));
const gpu = await acquireGpu();
try {
  // 1. Compile: spec -> graph IR -> autodiff -> fused WGSL kernels -> a Plan (plain JSON).
  const diags = new Diagnostics();
  const c = compileSpec(spec, gpu.caps, diags);
  if (!c) throw new Error(renderDiagnostics(diags.list, diags.sources));
  console.log(
    `${c.summary.name}: ${c.summary.parameters} parameters, training step ${(c.summary.train.flops / 1e9).toFixed(2)} GFLOP in ${c.summary.train.kernels} kernels`,
  );

  // 2. Train: parameters from their initialisers, optimizer state at zero, a batch, a few steps.
  const exe = await Executable.create(gpu, c.trainPlan);
  for (const i of c.trainPlan.inputs) {
    const p = c.model.params.find((q) => q.name === i.name);
    if (p) exe.write(i.name, initParam(p, 0));
    else if (i.role === 'state') exe.write(i.name, new Float32Array(i.shape.reduce((a, b) => a * b, 1)));
  }
  const mel = c.trainPlan.inputs.find((i) => i.name === 'mel')!,
    tokens = c.trainPlan.inputs.find((i) => i.name === 'tokens')!;
  const [B, L] = tokens.shape as [number, number];
  const tok = bertBaseUncased();
  const captions = Array.from({ length: B }, (_, b) => (b % 2 ? 'a dog barks twice' : 'rain falls on a tin roof'));
  const ids = new Int32Array(B * L);
  captions.forEach((t, b) => ids.set(tok.encode(t, L), b * L));
  const frames = mel.shape[1]!,
    bins = mel.shape[2]!;
  const audio = new Float32Array(B * frames * bins).map((_, i) => Math.sin(i * (1 + (Math.floor(i / (frames * bins)) % 2))) * 0.5);
  exe.write('mel', audio);
  exe.write('tokens', ids);
  const adamw = adamwConfig(c.model.spec.config.train);
  for (let step = 1; step <= 3; step++) {
    if (c.trainPlan.inputs.some((i) => i.name === 'rng.key')) exe.write('rng.key', new Uint32Array([step]));
    exe.write(HYPER_NAME, adamwHyper(adamw, 1e-3, step));
    exe.run(); // forward + backward + clipping + AdamW, one submit
    console.log(`step ${step}: loss ${(await exe.read('loss'))[0]!.toFixed(4)}`);
  }
  const trained = new Map<string, Float32Array>();
  for (const p of c.model.params) if (p.trainable) trained.set(p.name, (await exe.read(p.name)) as Float32Array);
  exe.destroy();

  // 3. Embed with the evaluation plan (every token, no masking): normalised vectors.
  const emb = await Embedder.create(gpu, c.evalPlan, c.model.params, trained, 0);
  const text = await emb.embedText(['a dog barks twice', 'rain falls on a tin roof'], tok, -0.5);
  const dot = text.slice(0, emb.dim).reduce((s, x, k) => s + x * text[emb.dim + k]!, 0);
  console.log(`text embeddings: ${emb.dim}-d, cosine(dog, rain) = ${dot.toFixed(3)}`);
  emb.destroy();
} finally {
  gpu.destroy();
  releaseInstance();
}
