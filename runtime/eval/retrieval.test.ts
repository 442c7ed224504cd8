import { describe, expect, it } from 'vitest';
import { retrievalMetrics } from './retrieval.ts';
import { lcg } from '../../compiler/ir/lcg.ts';

/** Independent reference: full sort per query (stable by index), then the protocol's formulas. */
function reference(a: number[][], t: number[][], capClip: number[]) {
  const norm = (v: number[]): number[] => {
    const s = Math.hypot(...v) || 1;
    return v.map((x) => x / s);
  };
  const A = a.map(norm),
    T = t.map(norm);
  const dot = (x: number[], y: number[]): number => x.reduce((s, v, i) => s + v * y[i]!, 0);
  const order = (scores: number[]): number[] =>
    scores
      .map((s, i) => [s, i] as const)
      .sort((p, q) => q[0] - p[0] || p[1] - q[1])
      .map((p) => p[1]);
  const t2a = T.map((q, i) => order(A.map((x) => dot(q, x))).indexOf(capClip[i]!) + 1);
  const a2tBest: number[] = [],
    a2tMap: number[] = [];
  A.forEach((q, i) => {
    const ord = order(T.map((x) => dot(q, x)));
    const ranks = capClip
      .map((c, j) => (c === i ? ord.indexOf(j) + 1 : Infinity))
      .filter(Number.isFinite)
      .sort((x, y) => x - y);
    a2tBest.push(ranks[0]!);
    let ap = 0;
    ranks.forEach((r, k) => {
      if (r <= 10) ap += (k + 1) / r;
    });
    a2tMap.push(ap / ranks.length);
  });
  const rk = (rs: number[], k: number): number => rs.filter((r) => r <= k).length / rs.length;
  return {
    t2a: { r1: rk(t2a, 1), r5: rk(t2a, 5), r10: rk(t2a, 10), map10: t2a.reduce((s, r) => s + (r <= 10 ? 1 / r : 0), 0) / t2a.length },
    a2t: { r1: rk(a2tBest, 1), r5: rk(a2tBest, 5), r10: rk(a2tBest, 10), map10: a2tMap.reduce((s, x) => s + x, 0) / a2tMap.length },
  };
}

describe('retrieval metrics (docs/design.md section 6)', () => {
  it('perfect embeddings score 1 everywhere', () => {
    const dim = 4,
      n = 4;
    const audio = new Float32Array(n * dim),
      text = new Float32Array(5 * n * dim),
      capClip: number[] = [];
    for (let i = 0; i < n; i++) {
      audio[i * dim + i] = 1;
      for (let k = 0; k < 5; k++) {
        text[(5 * i + k) * dim + i] = 1 + k;
        capClip.push(i);
      }
    }
    const m = retrievalMetrics(audio, text, capClip, dim);
    for (const d of [m.a2t, m.t2a]) expect([d.r1, d.r5, d.r10, d.map10, d.meanRank, d.medianRank]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('a hand-worked example', () => {
    // 2 clips, 2 captions each (1-D embeddings via 2-D vectors at chosen angles).
    const ang = (d: number): [number, number] => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)];
    const audio = new Float32Array([...ang(0), ...ang(90)]);
    // captions: c0 (clip 0) at 10 deg, c1 (clip 0) at 80 deg, c2 (clip 1) at 20 deg, c3 (clip 1) at 85 deg
    const text = new Float32Array([...ang(10), ...ang(80), ...ang(20), ...ang(85)]);
    const m = retrievalMetrics(audio, text, [0, 0, 1, 1], 2);
    // T->A: c0 -> clip0 rank 1; c1 -> clip1 closer (80 vs 90: 10 deg from clip1) so clip0 rank 2; c2 -> clip0 rank... 20 deg from clip0 -> clip1 rank 2; c3 rank 1.
    expect(m.t2a.r1).toBe(0.5);
    expect(m.t2a.map10).toBeCloseTo((1 + 0.5 + 0.5 + 1) / 4, 12);
    // A->T: clip0 ranks captions by angle distance: c0(10), c2(20), c1(80), c3(85) -> its captions at ranks 1, 3.
    //        clip1: c3(5), c1(10), c2(70), c0(80) -> its captions at ranks 1, 3.
    expect(m.a2t.r1).toBe(1);
    expect(m.a2t.map10).toBeCloseTo(((1 / 1 + 2 / 3) / 2 + (1 / 1 + 2 / 3) / 2) / 2, 12);
    expect([m.a2t.meanRank, m.t2a.meanRank, m.t2a.medianRank]).toEqual([1, 1.5, 1.5]);
  });

  it('matches an independent sort-based implementation on random embeddings, with ties', () => {
    const r = lcg(1, true);
    for (const [n, per, dim] of [
      [7, 5, 3],
      [20, 5, 8],
      [13, 1, 4],
      [9, 3, 2],
    ] as const) {
      const a = Array.from({ length: n }, () => Array.from({ length: dim }, r));
      const capClip = Array.from({ length: n * per }, (_, i) => Math.floor(i / per));
      const t = capClip.map((c, i) => (i % 4 === 0 ? [...a[c]!] : Array.from({ length: dim }, r)));
      t[1] = [...t[0]!]; // an exact tie
      const m = retrievalMetrics(new Float32Array(a.flat()), new Float32Array(t.flat()), capClip, dim);
      const ref = reference(a, t, capClip);
      for (const dir of ['a2t', 't2a'] as const)
        for (const k of ['r1', 'r5', 'r10', 'map10'] as const) expect(m[dir][k], `${n} ${dir} ${k}`).toBeCloseTo(ref[dir][k], 6);
    }
  });
});
