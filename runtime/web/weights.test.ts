// f16 conversion against known binary16 encodings and an exhaustive round trip; safetensors
// bytes written for the page parse back (F32 exactly, F16 to half precision).
import { describe, expect, it } from 'vitest';
import { encodeSafetensors, fromHalf, parseSafetensors, toHalf } from './weights.ts';

describe('half precision', () => {
  it('encodes known values, rounding to nearest even', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [65520, 0x7c00],
      [1e9, 0x7c00],
      [2 ** -14, 0x0400],
      [2 ** -24, 0x0001],
      [2 ** -26, 0x0000],
      [0.1, 0x2e66],
      [1 + 2 ** -11, 0x3c00],
      [1 + 3 * 2 ** -11, 0x3c02],
      [Infinity, 0x7c00],
    ];
    for (const [x, h] of cases) expect(toHalf(x).toString(16), String(x)).toBe(h.toString(16));
    expect(Number.isNaN(fromHalf(toHalf(NaN)))).toBe(true);
  });
  it('every finite half value survives half -> float -> half', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue;
      expect(toHalf(fromHalf(h))).toBe(h);
    }
  });
  it('safetensors for the page: F32 exact, F16 within half precision', () => {
    const data = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i) * 3);
    const f32 = parseSafetensors(encodeSafetensors([{ name: 'w', shape: [10, 10], data }], { model: 'm' }, false).slice().buffer);
    expect(Array.from(f32.tensors.get('w')!.data)).toEqual(Array.from(data));
    expect(f32.metadata.model).toBe('m');
    const f16 = parseSafetensors(encodeSafetensors([{ name: 'w', shape: [10, 10], data }], {}, true).slice().buffer);
    f16.tensors.get('w')!.data.forEach((v, i) => expect(Math.abs(v - data[i]!)).toBeLessThanOrEqual(Math.abs(data[i]!) * 2 ** -11));
  });
});
