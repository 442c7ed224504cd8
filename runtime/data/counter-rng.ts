// A counter-based RNG for the data pipeline: draws are pure functions of their integer keys.

/** 32-bit mix of integers (splitmix-style): a counter-based RNG, so results need no state. */
export function mix(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
