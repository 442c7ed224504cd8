// The peers compute flapc's loss: same weights, batch and token drops, three training steps
// (so the gradients, clipping and AdamW agree too, not only the forward), within f32 rounding.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type Gpu } from '../../runtime/gpu/device.ts';
import { benchHyper, prepare, timedStep } from '../../runtime/bench/step.ts';
import { benchStepVs, PEER_LOSS_RTOL } from '../../runtime/bench/step-vs.ts';
import { syntheticBatch } from '../../runtime/train/trainer.ts';
import { peerConfig, startPeer, type PeerName } from './index.ts';

const HERE = new URL('./testdata/', import.meta.url).pathname;
let gpu: Gpu;
beforeAll(async () => {
  gpu = await acquireGpu();
});
afterAll(() => gpu?.destroy());

async function losses(spec: string, peers: PeerName[], steps: number): Promise<Record<string, number[]>> {
  const c = await prepare(gpu, spec);
  const { cfg } = peerConfig(spec);
  const batch = syntheticBatch(c.model.plan, c.model.text.vocab, 0);
  const out: Record<string, number[]> = { flapc: [] };
  for (let t = 1; t <= steps; t++) out.flapc!.push((await timedStep(c)).loss);
  for (const name of peers) {
    const p = await startPeer(name, gpu, c.model.params, cfg, batch);
    out[name] = [];
    for (let t = 1; t <= steps; t++) out[name]!.push(await p.step(t, benchHyper(c, t)));
    p.dispose();
  }
  c.exe.destroy();
  return out;
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= PEER_LOSS_RTOL * Math.abs(b);

describe("bench peers compute flapc's training step", () => {
  it('two masked views with the decoder: jax-js (WebGPU and wasm) and tfjs agree step by step', async () => {
    const l = await losses(`${HERE}peer-micro.yaml`, ['jax-js', 'tfjs', 'jax-js-wasm'], 3);
    expect(new Set(l.flapc).size).toBe(3); // three different losses: drops change with the step
    for (const peer of ['jax-js', 'tfjs', 'jax-js-wasm'])
      l.flapc!.forEach((f, i) => expect(close(l[peer]![i]!, f), `${peer} step ${i + 1}: ${l[peer]![i]} vs ${f}`).toBe(true));
    // four frameworks compile their kernels here, from an empty shader cache on a fresh machine:
    // 119 s measured on a quiet 2-core host with a partly warm cache (session 10)
  }, 400_000);

  it('no token drop, GloVe word vectors: jax-js and tfjs agree', async () => {
    const l = await losses(`${HERE}peer-micro-unmasked.yaml`, ['jax-js', 'tfjs'], 2);
    for (const peer of ['jax-js', 'tfjs'])
      l.flapc!.forEach((f, i) => expect(close(l[peer]![i]!, f), `${peer} step ${i + 1}: ${l[peer]![i]} vs ${f}`).toBe(true));
  });

  it('bench step --vs checks the losses, then times each peer', async () => {
    const r = await benchStepVs(gpu, `${HERE}peer-micro.yaml`, ['jax-js', 'tfjs'], { steps: 2, log: () => {} });
    expect(r.flapc.ms).toBeGreaterThan(0);
    for (const name of ['jax-js', 'tfjs']) {
      const p = r.peers[name]!;
      expect('error' in p).toBe(false);
      if ('error' in p) continue;
      expect(p.lossOk).toBe(true);
      expect(p.ms).toBeGreaterThan(0);
    }
    expect(r.gflop).toBeGreaterThan(0);
  });

  it('flapc run bench step --vs ... --json prints one object keyed by framework', () => {
    const bin = fileURLToPath(new URL('../../bin/flapc.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'run', 'bench', 'step', `${HERE}peer-micro.yaml`, '--vs', 'tfjs', '--steps', '1', '--json'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, { ms: number; lossOk: boolean }> & { gflop: number; adapter: string };
    expect(j.flapc.ms).toBeGreaterThan(0);
    expect(j.tfjs.ms).toBeGreaterThan(0);
    expect(j.tfjs.lossOk).toBe(true);
    expect(j.gflop).toBeGreaterThan(0);
    expect(typeof j.adapter).toBe('string');
    const bad = spawnSync(process.execPath, [bin, 'run', 'bench', 'step', `${HERE}peer-micro.yaml`, '--vs', 'pytorch'], { encoding: 'utf8', timeout: 300_000 });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown peer 'pytorch'/);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // a user error, no stack trace
  });
});
