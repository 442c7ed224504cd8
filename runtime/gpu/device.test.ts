// Adapter advice that needs no GPU: the lavapipe vector-width hint.
import { describe, expect, it } from 'vitest';
import { vectorWidthHint } from './device.ts';

describe('vectorWidthHint', () => {
  const avx512 = ' fpu sse2 avx2 fma avx512f avx512dq avx512bw avx512vl';
  it('advises 512-bit vectors for 256-bit lavapipe on an AVX-512 CPU', () => {
    expect(vectorWidthHint('llvmpipe-llvm-15-0-6-256-bits-', avx512)).toMatch(/LP_NATIVE_VECTOR_WIDTH=512/);
  });
  it('says nothing when already 512 bits wide, without AVX-512, or for other drivers', () => {
    expect(vectorWidthHint('llvmpipe-llvm-15-0-6-512-bits-', avx512)).toBeUndefined();
    expect(vectorWidthHint('llvmpipe-llvm-15-0-6-256-bits-', ' fpu sse2 avx2 fma')).toBeUndefined();
    expect(vectorWidthHint('SwiftShader Device (LLVM 10.0.0)', avx512)).toBeUndefined();
  });
});
