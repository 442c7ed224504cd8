// Audio<->text retrieval metrics, exactly as docs/design.md section 6 (LAION-CLAP's
// evaluate_clotho_audiocaps, WavCaps' a2t/t2a): N clips, each with its captions; cosine similarity
// of L2-normalised embeddings. Ranks are 1-based; ties are broken by index, so results are exact
// and reproducible.

export interface DirectionMetrics {
  r1: number;
  r5: number;
  r10: number;
  map10: number;
  meanRank: number;
  medianRank: number;
  queries: number;
}
export interface RetrievalMetrics {
  a2t: DirectionMetrics;
  t2a: DirectionMetrics;
  clips: number;
  captions: number;
}

export function l2normalize(x: Float32Array, rows: number, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += x[i * dim + k]! ** 2;
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let k = 0; k < dim; k++) out[i * dim + k] = x[i * dim + k]! * inv;
  }
  return out;
}

/** sim[i][j] = <a_i, b_j>, as a row-major Float64Array [na, nb]. */
export function similarity(a: Float32Array, na: number, b: Float32Array, nb: number, dim: number): Float64Array {
  const s = new Float64Array(na * nb);
  for (let i = 0; i < na; i++)
    for (let j = 0; j < nb; j++) {
      let d = 0;
      for (let k = 0; k < dim; k++) d += a[i * dim + k]! * b[j * dim + k]!;
      s[i * nb + j] = d;
    }
  return s;
}

/** 1-based rank of each target among a row's scores (higher is better; ties go to the lower index). */
function rankOf(row: Float64Array, target: number): number {
  const t = row[target]!;
  let r = 1;
  for (let j = 0; j < row.length; j++) if (row[j]! > t || (row[j] === t && j < target)) r++;
  return r;
}

function summarise(ranks: number[], map: number[]): DirectionMetrics {
  const n = ranks.length;
  const at = (k: number): number => ranks.filter((r) => r <= k).length / n;
  const sorted = [...ranks].sort((a, b) => a - b);
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return {
    r1: at(1),
    r5: at(5),
    r10: at(10),
    map10: map.reduce((a, b) => a + b, 0) / n,
    meanRank: ranks.reduce((a, b) => a + b, 0) / n,
    medianRank: median,
    queries: n,
  };
}

/**
 * `audio` [N, dim] and `text` [C, dim] embeddings (normalised here), `captionClip[c]` = the clip of
 * caption c. Text->audio: each caption ranks the N clips. Audio->text: each clip ranks all C
 * captions; R@k uses its best-ranked caption; mAP@10 = (1/captions of the clip) * sum over its
 * captions ranked <= 10, in rank order, of i / rank_i.
 */
export function retrievalMetrics(audio: Float32Array, text: Float32Array, captionClip: number[], dim: number): RetrievalMetrics {
  const n = audio.length / dim,
    c = captionClip.length;
  if (text.length !== c * dim) throw new Error(`text embeddings: expected ${c} x ${dim}`);
  const a = l2normalize(audio, n, dim),
    t = l2normalize(text, c, dim);
  const perClip: number[][] = Array.from({ length: n }, () => []);
  captionClip.forEach((clip, i) => perClip[clip]!.push(i));
  if (perClip.some((x) => x.length === 0)) throw new Error('every clip needs at least one caption');
  const t2aSim = similarity(t, c, a, n, dim);
  const t2aRanks = captionClip.map((clip, i) => rankOf(t2aSim.subarray(i * n, (i + 1) * n), clip));
  const a2tSim = similarity(a, n, t, c, dim);
  const a2tRanks: number[] = [],
    a2tMap: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = a2tSim.subarray(i * c, (i + 1) * c);
    const ranks = perClip[i]!.map((cap) => rankOf(row, cap)).sort((x, y) => x - y);
    a2tRanks.push(ranks[0]!);
    a2tMap.push(ranks.filter((r) => r <= 10).reduce((s, r, k) => s + (k + 1) / r, 0) / ranks.length);
  }
  return {
    a2t: summarise(a2tRanks, a2tMap),
    t2a: summarise(
      t2aRanks,
      t2aRanks.map((r) => (r <= 10 ? 1 / r : 0)),
    ),
    clips: n,
    captions: c,
  };
}

export function formatMetrics(m: RetrievalMetrics, name: string): string {
  const pct = (x: number): string => (100 * x).toFixed(1).padStart(5);
  const row = (dir: string, d: DirectionMetrics): string =>
    `  ${dir}  R@1 ${pct(d.r1)}  R@5 ${pct(d.r5)}  R@10 ${pct(d.r10)}  mAP@10 ${pct(d.map10)}  mean rank ${d.meanRank.toFixed(1)}  median rank ${d.medianRank}`;
  // By chance a query's match is ranked first with probability 1/N in both directions.
  return [
    `retrieval on ${name}: ${m.clips} clips, ${m.captions} captions (chance R@1 = 1/${m.clips} = ${pct(1 / m.clips).trim()}%)`,
    row('A->T', m.a2t),
    row('T->A', m.t2a),
  ].join('\n');
}
