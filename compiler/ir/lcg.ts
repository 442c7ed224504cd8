// A small seeded generator for host-side data: test inputs, synthetic batches, benchmark vectors.
// Numerical Recipes' 32-bit LCG: reproducible across platforms and runs, not for statistics that
// need better than 2^32 states. (GPU-side randomness is the counter-based generator in rng.ts.)

/** Uniform [0, 1) values; `centre` shifts them to [-0.5, 0.5). */
export function lcg(seed: number, centre = false): () => number {
  let s = seed >>> 0;
  const shift = centre ? 0.5 : 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - shift;
  };
}

/** `n` standard normal values times `scale` (Box-Muller on the same LCG; never log(0)). */
export function gaussian(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 1) / 4294967297;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}
