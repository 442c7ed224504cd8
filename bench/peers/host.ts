// What every peer starts from, made on the host once: flapc's initial weights for the spec (the
// same initialisers and seed `flapc run bench step` uses), flapc's synthetic batch, and the
// per-view token drops flapc's random_drop makes at that step.
import { wordVectors } from '../../runtime/model/word-vectors.ts';
import { initParam, type ParamSpec } from '../../runtime/train/init.ts';
import { keptCount, type PeerConfig, tokenCount, viewDrops } from './flap-peer.ts';

export interface HostParam {
  name: string;
  shape: number[];
  trainable: boolean;
  data: Float32Array;
}

export interface HostBatch {
  mel: Float32Array;
  melShape: number[];
  tokens: Int32Array;
  tokensShape: number[];
  keyMask: Float32Array;
  eye: Float32Array;
  views: { ids: Int32Array; idsShape: number[]; restore: Int32Array; dropped: Float32Array; restoreShape: number[] }[];
}

export interface HostInputs {
  params: HostParam[];
  batch(step: number): HostBatch;
}

/** One peer's training step on its own arrays; each call waits for the loss, as flapc's trainer does. */
export interface PeerStep {
  name: string;
  /**
   * Training step `t` (forward, backward, clipping, AdamW) on the fixed batch with step t's drops;
   * `hyper` is [lr, bias correction 1, bias correction 2]. Returns the loss before the update.
   */
  step(t: number, hyper: Float32Array): Promise<number>;
  dispose(): void;
}

/** `specParams`: the parameters of the model flapc loaded (its weights are made the same way here). */
export function hostInputs(specParams: ParamSpec[], cfg: PeerConfig, mel: Float32Array, tokens: Int32Array, seed = 0): HostInputs {
  const params = specParams.map((q) => ({ name: q.name, shape: [...q.shape], trainable: !!q.trainable, data: initParam(q, seed, wordVectors) }));
  const B = cfg.batch,
    L = cfg.maxTokens,
    N = tokenCount(cfg),
    K = keptCount(cfg);
  const keyMask = Float32Array.from(tokens, (t) => (t !== 0 ? 1 : 0));
  const eye = new Float32Array(B * B);
  for (let i = 0; i < B; i++) eye[i * B + i] = 1;
  return {
    params,
    batch: (step) => ({
      mel,
      melShape: [B, cfg.frames, cfg.melBins],
      tokens,
      tokensShape: [B, L],
      keyMask,
      eye,
      views: viewDrops(cfg, step).map((v) => ({ ...v, idsShape: [B, K], restoreShape: [B, N] })),
    }),
  };
}
