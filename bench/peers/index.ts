// The peers `flapc run bench step --vs` times beside flapc: the same FLAP step written with
// jax-js (WebGPU, or its WebAssembly CPU backend) and with TensorFlow.js on WebGPU.
import type { Gpu } from '../../runtime/gpu/device.ts';
import type { ParamSpec } from '../../runtime/train/init.ts';
import type { PeerConfig } from './flap-peer.ts';
import { hostInputs, type PeerStep } from './host.ts';
import { jaxPeer } from './jaxjs.ts';
import { tfjsPeer } from './tfjs.ts';

export const PEERS = ['jax-js', 'tfjs', 'jax-js-wasm'] as const;
export type PeerName = (typeof PEERS)[number];
/** The spec as the peers run it, with what differs from flapc's step said in words. */
export { PeerUnsupported, peerConfig } from './flap-peer.ts';
export type { PeerStep };

export async function startPeer(
  name: PeerName,
  gpu: Gpu,
  params: ParamSpec[],
  cfg: PeerConfig,
  batch: { mel: Float32Array; tokens: Int32Array },
): Promise<PeerStep> {
  const host = hostInputs(params, cfg, batch.mel, batch.tokens);
  if (name === 'tfjs') return tfjsPeer(gpu, cfg, host);
  return jaxPeer(cfg, host, name === 'jax-js' ? 'webgpu' : 'wasm');
}
