#!/usr/bin/env python3
"""Independent reference for runtime/data/fbank.ts: Kaldi-style log-mel filterbank in numpy,
written from Kaldi's definitions (feature-window.cc, mel-computations.cc) in a vectorised style
with numpy's FFT. Run once to (re)make runtime/data/fixtures/fbank-*.{f32,json}:

    python3 tools/kaldi_fbank_fixture.py runtime/data/fixtures

The test signal is deterministic: a rising chirp, two tones and seeded noise, 0.75 s at 16 kHz.
"""
import json, sys, os
import numpy as np

EPS = np.finfo(np.float32).eps

def mel(f):
    return 1127.0 * np.log(1.0 + f / 700.0)

def fbank(x, sr, bins, window, win_ms=25.0, hop_ms=10.0, low=20.0, high=0.0, pre=0.97):
    win = int(round(sr * win_ms / 1000)); hop = int(round(sr * hop_ms / 1000))
    nfft = 1 << (win - 1).bit_length()
    n = 0 if len(x) < win else 1 + (len(x) - win) // hop
    idx = np.arange(win)[None, :] + hop * np.arange(n)[:, None]
    fr = x[idx].astype(np.float64)
    fr = fr - fr.mean(axis=1, keepdims=True)
    prev = np.concatenate([fr[:, :1], fr[:, :-1]], axis=1)
    fr = fr - pre * prev
    h = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / (win - 1))
    fr = fr * (h if window == 'hann' else h ** 0.85)
    spec = np.abs(np.fft.rfft(fr, n=nfft, axis=1)) ** 2            # [n, nfft/2 + 1]
    hi = sr / 2 + high if high <= 0 else high
    ml, mh = mel(low), mel(hi)
    d = (mh - ml) / (bins + 1)
    left = ml + d * np.arange(bins)[:, None]
    center, right = left + d, left + 2 * d
    m = mel(sr / nfft * np.arange(nfft // 2))[None, :]
    w = np.maximum(0, np.minimum((m - left) / (center - left), (right - m) / (right - center)))
    w = np.concatenate([w, np.zeros((bins, 1))], axis=1)           # Nyquist bin unused
    e = spec @ w.T
    return np.log(np.maximum(e, EPS))

def signal(sr, seconds, seed):
    t = np.arange(int(sr * seconds)) / sr
    chirp = 0.4 * np.sin(2 * np.pi * (100 * t + 0.5 * (6000 - 100) / seconds * t * t))
    tones = 0.2 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 3000 * t)
    noise = 0.05 * np.random.default_rng(seed).standard_normal(len(t))
    return (chirp + tones + noise).astype(np.float32)

def main(out):
    os.makedirs(out, exist_ok=True)
    cases = [dict(name='hann-64', sr=16000, bins=64, window='hann'),
             dict(name='povey-128', sr=16000, bins=128, window='povey')]
    x = signal(16000, 0.75, 7)
    x.tofile(os.path.join(out, 'fbank-signal.f32'))
    meta = {'signal': 'fbank-signal.f32', 'sample_rate': 16000, 'samples': len(x), 'cases': []}
    for c in cases:
        f = fbank(x, c['sr'], c['bins'], c['window']).astype(np.float32)
        f.tofile(os.path.join(out, f"fbank-{c['name']}.f32"))
        meta['cases'].append({**c, 'file': f"fbank-{c['name']}.f32", 'frames': f.shape[0]})
    with open(os.path.join(out, 'fbank.json'), 'w') as fh:
        json.dump(meta, fh, indent=1)
    print(json.dumps(meta))

if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'runtime/data/fixtures')
