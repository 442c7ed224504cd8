// `flapc run bench step <spec> --vs jax-js,tfjs[,jax-js-wasm]`: flapc's whole training step
// beside the same model written with each peer (bench/peers/), on the same adapter in one
// process, interleaved round by round. Before timing, each peer's first-step loss is checked
// against flapc's on the same weights, batch and token drops; a peer that disagrees is reported
// and not timed.
import type { Gpu } from '../gpu/device.ts';
import { settle } from '../gpu/quiet-wait.ts';
import { UserError } from '../errors.ts';
import { syntheticBatch } from '../train/trainer.ts';
import { benchHyper, prepare, timedStep } from './step.ts';

/** Relative loss agreement required of a peer: f32 sums over a few thousand terms. */
export const PEER_LOSS_RTOL = 1e-5;

export interface PeerTiming {
  ms: number;
  firstStepMs: number;
  loss: number;
  /** The first-step loss agrees with flapc's (null: not comparable, see notes). */
  lossOk: boolean | null;
}

export interface VsResult {
  spec: string;
  adapter: string;
  gflop: number;
  batch: number;
  flapc: PeerTiming;
  peers: Record<string, PeerTiming | { error: string }>;
  notes: string[];
}

type Peers = typeof import('../../bench/peers/index.ts');

async function loadPeers(): Promise<Peers> {
  try {
    return await import('../../bench/peers/index.ts');
  } catch (e) {
    throw new UserError(`the peers could not be loaded (npm ci installs them as dev dependencies): ${(e as Error).message}`);
  }
}

/** Refuse unknown peer names before any GPU work. */
export async function checkPeerNames(vs: string[]): Promise<void> {
  const peers = await loadPeers();
  if (vs.length === 0) throw new UserError(`--vs needs at least one peer (known: ${peers.PEERS.join(', ')})`);
  for (const n of vs) if (!(peers.PEERS as readonly string[]).includes(n)) throw new UserError(`--vs: unknown peer '${n}' (known: ${peers.PEERS.join(', ')})`);
}

export async function benchStepVs(gpu: Gpu, spec: string, vs: string[], o: { steps: number; log: (l: string) => void }): Promise<VsResult> {
  await checkPeerNames(vs);
  const peers = await loadPeers();
  let model: ReturnType<Peers['peerConfig']>;
  try {
    model = peers.peerConfig(spec);
  } catch (e) {
    if (e instanceof peers.PeerUnsupported) throw new UserError(`--vs: ${e.message}`);
    throw e;
  }
  o.log(`${spec}: flapc compiling, then the first step`);
  const c = await prepare(gpu, spec);
  const first = await timedStep(c);
  const batch = syntheticBatch(c.model.plan, c.model.text.vocab, 0);
  const result: VsResult = {
    spec,
    adapter: gpu.report.description,
    gflop: c.model.plan.stats.flops / 1e9,
    batch: c.model.train.batch,
    flapc: { ms: 0, firstStepMs: first.ms, loss: first.loss, lossOk: true },
    peers: {},
    notes: model.notes,
  };
  const running: { name: string; step: import('../../bench/peers/index.ts').PeerStep; t: number; samples: number[] }[] = [];
  for (const name of vs) {
    o.log(`${name}: building the same step, then its first step`);
    try {
      const p = await peers.startPeer(name as (typeof peers.PEERS)[number], gpu, c.model.params, model.cfg, batch);
      const t0 = performance.now();
      const loss = await settle(gpu.caps, () => p.step(1, benchHyper(c, 1)));
      const lossOk = model.comparable ? Math.abs(loss - first.loss) <= PEER_LOSS_RTOL * Math.abs(first.loss) : null;
      result.peers[name] = { ms: 0, firstStepMs: performance.now() - t0, loss, lossOk };
      if (lossOk === false) {
        o.log(`${name}: first-step loss ${loss} differs from flapc's ${first.loss}; not timed`);
        p.dispose();
      } else running.push({ name, step: p, t: 1, samples: [] });
    } catch (e) {
      result.peers[name] = { error: (e as Error).message.split('\n')[0]! };
      o.log(`${name}: ${(result.peers[name] as { error: string }).error}`);
    }
  }
  const flapcSamples: number[] = [];
  await timedStep(c); // warm-up
  // The peers wait for their results as flapc does (gpu/quiet-wait.ts): the comparison is of steps, not of Dawn's polling loop.
  const peerStep = (r: (typeof running)[number]): Promise<number> => settle(gpu.caps, () => r.step.step(++r.t, benchHyper(c, r.t)));
  for (const r of running) await peerStep(r);
  for (let round = 0; round < o.steps; round++) {
    o.log(`timing round ${round + 1}/${o.steps}`);
    flapcSamples.push((await timedStep(c)).ms);
    for (const r of running) {
      const t0 = performance.now();
      await peerStep(r);
      r.samples.push(performance.now() - t0);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  result.flapc.ms = median(flapcSamples);
  for (const r of running) {
    (result.peers[r.name] as PeerTiming).ms = median(r.samples);
    r.step.dispose();
  }
  c.exe.destroy();
  return result;
}
