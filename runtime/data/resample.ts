// Band-limited resampling by windowed-sinc interpolation (J. O. Smith's method): each output sample
// is a Kaiser-windowed sinc sum over the input around its position. The low-pass cut sits just below
// the lower of the two Nyquist rates, so downsampling does not alias. The kernel is tabulated once
// per (zero crossings, beta) and linearly interpolated.

const ZERO_CROSSINGS = 16;
const TABLE_RES = 512; // table points per unit of the sinc argument
const KAISER_BETA = 8.6; // ~ 86 dB side-lobe rejection
const ROLLOFF = 0.945; // pass band edge as a fraction of the lower Nyquist rate

function besselI0(x: number): number {
  let sum = 1,
    term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

let table: Float64Array | undefined;
/** sinc(u) * kaiser(u / Z) for u in [0, Z], TABLE_RES points per unit (+1 guard). */
function kernelTable(): Float64Array {
  if (table) return table;
  const n = ZERO_CROSSINGS * TABLE_RES;
  table = new Float64Array(n + 2);
  const i0b = besselI0(KAISER_BETA);
  for (let i = 0; i <= n; i++) {
    const u = i / TABLE_RES;
    const sinc = i === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    const r = u / ZERO_CROSSINGS;
    table[i] = sinc * (besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0b);
  }
  return table;
}

export function resampledLength(n: number, from: number, to: number): number {
  return Math.round((n * to) / from);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const MAX_PHASES = 4096;

/**
 * Exact polyphase coefficients for a rational ratio: output i sits at input position
 * base + p / up (p = i * down mod up), and row p holds the taps for j = base + k, k in [k0, k0 + taps).
 */
interface Polyphase {
  up: number;
  down: number;
  k0: number;
  taps: number;
  coef: Float64Array;
}
const polyphases = new Map<string, Polyphase>();
function polyphase(from: number, to: number): Polyphase | undefined {
  const g = gcd(from, to),
    up = to / g,
    down = from / g;
  if (!Number.isInteger(up) || up > MAX_PHASES) return undefined;
  const key = `${from}/${to}`;
  const hit = polyphases.get(key);
  if (hit) return hit;
  const cut = Math.min(1, to / from) * ROLLOFF,
    half = ZERO_CROSSINGS / cut;
  const k0 = -Math.ceil(half),
    taps = 2 * Math.ceil(half) + 2;
  const coef = new Float64Array(up * taps);
  const i0b = besselI0(KAISER_BETA);
  for (let p = 0; p < up; p++) {
    for (let t = 0; t < taps; t++) {
      const d = Math.abs(p / up - (k0 + t)); // distance from the output position, input samples
      if (d >= half) continue;
      const u = d * cut,
        r = d / half;
      const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
      coef[p * taps + t] = cut * sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0b);
    }
  }
  const pp = { up, down, k0, taps, coef };
  polyphases.set(key, pp);
  return pp;
}

export function resample(x: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return x;
  if (!(from > 0 && to > 0)) throw new Error(`bad sample rates ${from} -> ${to}`);
  const pp = polyphase(from, to);
  if (pp) {
    const { up, down, k0, taps, coef } = pp;
    const out = new Float32Array(resampledLength(x.length, from, to));
    const n = x.length;
    for (let i = 0; i < out.length; i++) {
      const pos = i * down,
        base = Math.floor(pos / up),
        row = (pos - base * up) * taps;
      const j0 = base + k0;
      const t0 = Math.max(0, -j0),
        t1 = Math.min(taps, n - j0);
      let acc = 0;
      for (let t = t0; t < t1; t++) acc += x[j0 + t]! * coef[row + t]!;
      out[i] = acc;
    }
    return out;
  }
  // Irrational-looking ratios (too many phases): interpolate the tabulated kernel.
  const tab = kernelTable();
  const cut = Math.min(1, to / from) * ROLLOFF; // cut-off in cycles per input sample x2
  const half = ZERO_CROSSINGS / cut; // kernel half-width in input samples
  const step = from / to;
  const out = new Float32Array(resampledLength(x.length, from, to));
  const n = x.length;
  const scale = cut * TABLE_RES;
  const limit = ZERO_CROSSINGS * TABLE_RES;
  for (let i = 0; i < out.length; i++) {
    const t = i * step;
    const lo = Math.max(0, Math.ceil(t - half)),
      hi = Math.min(n - 1, Math.floor(t + half));
    let acc = 0;
    for (let j = lo; j <= hi; j++) {
      const p = Math.abs(t - j) * scale;
      const k = p | 0;
      if (k >= limit) continue;
      const f = p - k;
      acc += x[j]! * (tab[k]! + f * (tab[k + 1]! - tab[k]!));
    }
    out[i] = acc * cut;
  }
  return out;
}
