// Counter-based random numbers: value i of a random_uniform is a pure function of
// (key, seed, i), so GPU and reference agree bit for bit and a run is reproducible by seed.
// The same integer steps are emitted as WGSL by codegen (see RNG_WGSL).

/** PCG-style 32-bit integer hash (permuted congruential output step). */
export function pcgHash(x: number): number {
  const state = (Math.imul(x >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> (((state >>> 28) + 4) >>> 0)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

export function randomBits(key: number, seed: number, index: number): number {
  const stream = pcgHash((pcgHash(seed >>> 0) ^ (key >>> 0)) >>> 0);
  return pcgHash((stream + (index >>> 0)) >>> 0);
}

/** Uniform in [0, 1) with 24 bits, exactly representable in f32. */
export function randomUniform(key: number, seed: number, index: number): number {
  return (randomBits(key, seed, index) >>> 8) / 16777216;
}

export const RNG_WGSL = `
fn pcg_hash(x: u32) -> u32 {
  let state = x * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}
fn random_uniform(key: u32, seed: u32, index: u32) -> f32 {
  let stream = pcg_hash(pcg_hash(seed) ^ key);
  return f32(pcg_hash(stream + index) >> 8u) * (1.0 / 16777216.0);
}
`;
