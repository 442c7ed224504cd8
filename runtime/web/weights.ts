// Weights for the web page: safetensors bytes (F32, or F16 to halve the download) parsed without
// Node, and the f32 <-> f16 conversions (IEEE 754 binary16, round to nearest even).

/** binary16 bits of a float32 value, rounded to nearest even; overflow goes to infinity. */
export function toHalf(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff,
    mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf, nan
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too large: inf
  if (e <= 0) {
    // subnormal half (or zero)
    if (e < -10) return sign;
    const m = mant | 0x800000,
      shift = 14 - e;
    const half = m >>> shift,
      rest = m & ((1 << shift) - 1),
      mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13),
    rest = mant & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0)); // a carry rounds into the exponent, as it should
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1,
    exp = (h >>> 10) & 0x1f,
    mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export interface ParsedWeights {
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
  metadata: Record<string, string>;
}

/** safetensors (F32 or F16 tensors) -> float32 arrays by name. */
export function parseSafetensors(bytes: ArrayBuffer): ParsedWeights {
  const view = new DataView(bytes);
  if (bytes.byteLength < 8) throw new Error('weights: not a safetensors file (too short)');
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.byteLength - 8) throw new Error('weights: not a safetensors file (header length)');
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 8, n))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + n;
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [s, e] = t.data_offsets;
    const count = t.shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (t.dtype === 'F32') data = new Float32Array(bytes.slice(base + s, base + e));
    else if (t.dtype === 'F16') {
      const h = new Uint16Array(bytes.slice(base + s, base + e));
      data = Float32Array.from(h, fromHalf);
    } else throw new Error(`weights: tensor ${name} is ${t.dtype} (F32 or F16 expected)`);
    if (data.length !== count) throw new Error(`weights: tensor ${name} has ${data.length} values for shape [${t.shape}]`);
    tensors.set(name, { shape: t.shape, data });
  }
  return { tensors, metadata: (header.__metadata__ ?? {}) as unknown as Record<string, string> };
}

/** safetensors bytes of `tensors` (F32, or F16 with `half`), for the site builder. */
export function encodeSafetensors(
  tensors: { name: string; shape: number[]; data: Float32Array }[],
  metadata: Record<string, string>,
  half: boolean,
): Uint8Array {
  const width = half ? 2 : 4;
  const header: Record<string, unknown> = { __metadata__: metadata };
  let off = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: half ? 'F16' : 'F32', shape: t.shape, data_offsets: [off, off + width * t.data.length] };
    off += width * t.data.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let o = 8 + head.length;
  for (const t of tensors) {
    const bytes = half ? new Uint8Array(Uint16Array.from(t.data, toHalf).buffer) : new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(bytes, o);
    o += bytes.length;
  }
  return out;
}
