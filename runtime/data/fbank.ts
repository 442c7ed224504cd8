// Kaldi-compatible log-mel filterbank, as AudioMAE computes it (torchaudio.compliance.kaldi.fbank
// with dither 0, snip_edges, pre-emphasis 0.97, DC removal, power spectrum, log with a floor).
// float64 throughout; the result is stored as float32 [frames, mel_bins], time-major.

export interface FbankOptions {
  sampleRate: number;
  melBins: number;
  winMs: number; // 25
  hopMs: number; // 10
  window: 'povey' | 'hann';
  lowFreq?: number; // Hz, default 20 (Kaldi)
  highFreq?: number; // Hz, <= 0 means Nyquist + highFreq (Kaldi), default 0
  preemphasis?: number; // default 0.97
}

/** Kaldi's floor for the log: float32 epsilon. Silence maps to ln(eps). */
export const LOG_FLOOR = Math.log(1.1920928955078125e-7);

export const melScale = (hz: number): number => 1127 * Math.log(1 + hz / 700);

/** Frame count under Kaldi's snip_edges rule: whole windows only, one per hop. */
export function frameCount(samples: number, win: number, hop: number): number {
  return samples < win ? 0 : 1 + Math.floor((samples - win) / hop);
}

export function windowSamples(o: FbankOptions): { win: number; hop: number; fft: number } {
  const win = Math.round((o.sampleRate * o.winMs) / 1000);
  const hop = Math.round((o.sampleRate * o.hopMs) / 1000);
  let fft = 1;
  while (fft < win) fft *= 2;
  return { win, hop, fft };
}

/** Triangular filters on the mel scale over FFT bins 0..fft/2 (Nyquist weight always 0, as in Kaldi). */
export function melBanks(o: FbankOptions, fft: number): Float64Array[] {
  const nyquist = o.sampleRate / 2;
  const low = o.lowFreq ?? 20;
  const hf = o.highFreq ?? 0;
  const high = hf <= 0 ? nyquist + hf : hf;
  if (!(low >= 0 && low < high && high <= nyquist)) throw new Error(`bad mel range ${low}..${high} Hz at ${o.sampleRate} Hz`);
  const mLow = melScale(low),
    mHigh = melScale(high);
  const delta = (mHigh - mLow) / (o.melBins + 1);
  const binHz = o.sampleRate / fft;
  const banks: Float64Array[] = [];
  for (let b = 0; b < o.melBins; b++) {
    const left = mLow + b * delta,
      center = left + delta,
      right = center + delta;
    const w = new Float64Array(fft / 2 + 1);
    for (let i = 0; i < fft / 2; i++) {
      const m = melScale(binHz * i);
      const up = (m - left) / (center - left),
        down = (right - m) / (right - center);
      w[i] = Math.max(0, Math.min(up, down));
    }
    banks.push(w);
  }
  return banks;
}

export function analysisWindow(kind: 'povey' | 'hann', n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)); // symmetric, as Kaldi
    w[i] = kind === 'hann' ? hann : hann ** 0.85;
  }
  return w;
}

/** In-place iterative radix-2 complex FFT (n a power of two). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang),
      wi = Math.sin(ang);
    for (let s = 0; s < n; s += len) {
      let cr = 1,
        ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = s + k,
          b = a + len / 2;
        const xr = re[b]! * cr - im[b]! * ci,
          xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/** A reusable extractor: window, banks and scratch are built once per settings. */
export class Fbank {
  readonly win: number;
  readonly hop: number;
  readonly nfft: number;
  private readonly window: Float64Array;
  private readonly banks: { first: number; w: Float64Array }[];
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly power: Float64Array;

  constructor(readonly opts: FbankOptions) {
    const { win, hop, fft: n } = windowSamples(opts);
    if (win < 2 || hop < 1) throw new Error(`window ${opts.winMs} ms / hop ${opts.hopMs} ms too short at ${opts.sampleRate} Hz`);
    this.win = win;
    this.hop = hop;
    this.nfft = n;
    this.window = analysisWindow(opts.window, win);
    // Keep each filter's non-zero span only: most of every row is zero.
    this.banks = melBanks(opts, n).map((w) => {
      let a = 0,
        b = w.length;
      while (a < b && w[a] === 0) a++;
      while (b > a && w[b - 1] === 0) b--;
      return { first: a, w: w.slice(a, b) };
    });
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
    this.power = new Float64Array(n / 2 + 1);
  }

  frames(samples: number): number {
    return frameCount(samples, this.win, this.hop);
  }

  /** DC removal, pre-emphasis and window of frame f into dst (length nfft, zero-padded). */
  private prepare(signal: Float32Array | Float64Array, f: number, dst: Float64Array): void {
    const { win, hop, window } = this;
    const pre = this.opts.preemphasis ?? 0.97;
    const off = f * hop;
    let mean = 0;
    for (let i = 0; i < win; i++) mean += signal[off + i]!;
    mean /= win;
    // Sample 0 is its own predecessor (Kaldi's replicate padding).
    let prev = signal[off]! - mean;
    for (let i = 0; i < win; i++) {
      const x = signal[off + i]! - mean;
      dst[i] = (x - pre * prev) * window[i]!;
      prev = x;
    }
    dst.fill(0, win);
  }

  private melRow(power: Float64Array, out: Float32Array, at: number): void {
    for (let b = 0; b < this.banks.length; b++) {
      const { first, w } = this.banks[b]!;
      let e = 0;
      for (let k = 0; k < w.length; k++) e += w[k]! * power[first + k]!;
      out[at + b] = e > 1.1920928955078125e-7 ? Math.log(e) : LOG_FLOOR;
    }
  }

  /** Log-mel features [frames, melBins] of a mono signal (any scale; AudioMAE uses [-1, 1]). */
  compute(signal: Float32Array | Float64Array): Float32Array {
    const { nfft, re, im, power } = this;
    const nf = this.frames(signal.length),
      nb = this.banks.length;
    const out = new Float32Array(nf * nb);
    const half = nfft / 2;
    const power2 = new Float64Array(half + 1);
    // Two real frames per complex FFT: z = x + i y, then X[k] = (Z[k] + conj Z[N-k]) / 2 and
    // Y[k] = (Z[k] - conj Z[N-k]) / 2i.
    for (let f = 0; f < nf; f += 2) {
      this.prepare(signal, f, re);
      if (f + 1 < nf) this.prepare(signal, f + 1, im);
      else im.fill(0);
      fft(re, im);
      for (let k = 0; k <= half; k++) {
        const m = (nfft - k) & (nfft - 1);
        const ar = re[k]! + re[m]!,
          ai = im[k]! - im[m]!; // 2 X[k]
        const br = im[k]! + im[m]!,
          bi = re[m]! - re[k]!; // 2 Y[k]
        power[k] = 0.25 * (ar * ar + ai * ai);
        power2[k] = 0.25 * (br * br + bi * bi);
      }
      this.melRow(power, out, f * nb);
      if (f + 1 < nf) this.melRow(power2, out, (f + 1) * nb);
    }
    return out;
  }
}
