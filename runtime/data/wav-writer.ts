// A minimal RIFF/WAVE writer (PCM 8/16/24/32-bit, float32) for test corpora and exported clips.
// Written from the format, independently of the wavefile library that decodes, so tests of the
// decoder are not the library checking itself.

export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32';

export function encodeWav(channels: Float32Array[], sampleRate: number, enc: WavEncoding = 'pcm16'): Uint8Array {
  const bytes = { pcm8: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4 }[enc];
  const nch = channels.length,
    n = channels[0]?.length ?? 0;
  const dataLen = n * nch * bytes;
  const buf = new Uint8Array(44 + dataLen + (dataLen & 1));
  const v = new DataView(buf.buffer);
  const str = (o: number, s: string): void => {
    for (let i = 0; i < s.length; i++) buf[o + i] = s.charCodeAt(i);
  };
  str(0, 'RIFF');
  v.setUint32(4, buf.length - 8, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, enc === 'float32' ? 3 : 1, true);
  v.setUint16(22, nch, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * nch * bytes, true);
  v.setUint16(32, nch * bytes, true);
  v.setUint16(34, bytes * 8, true);
  str(36, 'data');
  v.setUint32(40, dataLen, true);
  let o = 44;
  const clamp = (x: number): number => Math.max(-1, Math.min(1, x));
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < nch; c++) {
      const x = channels[c]![i]!;
      switch (enc) {
        case 'pcm8':
          buf[o] = Math.max(0, Math.min(255, Math.round(clamp(x) * 128 + 128)));
          break;
        case 'pcm16':
          v.setInt16(o, Math.max(-32768, Math.min(32767, Math.round(clamp(x) * 32768))), true);
          break;
        case 'pcm24': {
          const s = Math.max(-8388608, Math.min(8388607, Math.round(clamp(x) * 8388608)));
          buf[o] = s & 0xff;
          buf[o + 1] = (s >> 8) & 0xff;
          buf[o + 2] = (s >> 16) & 0xff;
          break;
        }
        case 'pcm32':
          v.setInt32(o, Math.max(-2147483648, Math.min(2147483647, Math.round(clamp(x) * 2147483648))), true);
          break;
        case 'float32':
          v.setFloat32(o, x, true);
          break;
      }
      o += bytes;
    }
  }
  return buf;
}
