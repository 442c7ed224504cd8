// Fused attention kernels (FlashAttention-style), one template per primitive:
//  - attention:      threads over query rows; online softmax over chunks of keys (one rescale
//                    per chunk, not per key); f32 accumulation.
//  - attention_lse:  the same walk without V: each row's log-sum-exp, for the backward.
//  - attention_dq:   threads over query rows; scores recomputed from q, k and the lse.
//  - attention_dkv:  threads over key rows, walking the queries' q, dO, lse and delta.
// The [B,H,N,M] scores never exist in memory. Rows are held as vec4s (head width % 4 == 0).
// A workgroup covers rows of one (batch, head), so all its lanes read the same key (or query)
// at the same time: on GPUs through workgroup-memory tiles, one row per lane. On CPU adapters
// (lavapipe) each load of a row element is a per-lane gather whichever memory it comes from,
// and a lane used it for one multiply-add: there each lane owns ROWS_CPU rows instead, so every
// loaded key element feeds that many (bench/attention.ts has the measurements).
import type { DeviceCaps } from '../caps.ts';
import type { Kernel } from '../fuse/kernel-ir.ts';
import { type AttentionParams, type Eqn, MASK_BIAS, type Var } from '../ir/types.ts';
import { type Scope, literal } from './emit.ts';

type Body = { body: string; dispatch: [number, number, number]; flops: number };

/** Lanes per workgroup, at most. */
const MAX_LANES = 64;
/**
 * Rows each lane owns on a CPU adapter, at most (1 on GPUs), keeping at least 8 lanes (a SIMD
 * group of lavapipe) busy. More rows run faster and compile far slower (lavapipe, decoder shape
 * [16,4,128,128,16], bench/attention.ts): the forward kernel took 28-33 ms with 1-2 rows, 26 ms
 * with 4 and 16 ms with 8, but with 8 rows and 8-key chunks each kernel compiled in 24-78 s; 2
 * rows and 2-key chunks compile in 2-8 s.
 */
const ROWS_CPU = 2;
/** Keys scored between two online-softmax rescales (each rescale costs an exp and D multiplies). */
const CHUNK = 2;
/**
 * vec4 registers per row set (a lane's rows × the head width, or a chunk's keys × the head
 * width): beyond this the unrolled code spills and lavapipe's LLVM takes minutes (head width 64
 * with 8 rows per lane and 8-key chunks did not compile in 120 s).
 */
const REGISTER_VEC4S = 16;
const NEG = '(-3.4028234663852886e38f)';
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

interface Dims {
  B: number;
  H: number;
  N: number;
  M: number;
  D4: number;
}

export function attentionBody(k: Kernel, s: Scope, caps: DeviceCaps): Body {
  const e = k.anchor!;
  const [q, kk] = [e.inputs[0]!, e.inputs[1]!];
  const z: Dims = { B: q.shape[0]!, H: q.shape[1]!, N: q.shape[2]!, M: kk.shape[2]!, D4: q.shape[3]! / 4 };
  if (!Number.isInteger(z.D4)) throw new Error(`codegen: fused attention needs a head width divisible by 4, got ${q.shape[3]}`);
  const out = s.ctx.buffers.get(k.outputs[0]!.id)!;
  const scale = (e.params as AttentionParams).scale;
  switch (e.prim) {
    case 'attention':
      return forward(e, z, s, out, scale, true, caps);
    case 'attention_lse':
      return forward(e, z, s, out, scale, false, caps);
    case 'attention_dq':
      return gradQ(e, z, s, out, scale, caps);
    case 'attention_dkv':
      return gradKV(e, z, s, out, scale, caps);
    default:
      throw new Error(`codegen: ${e.prim} is not an attention primitive`);
  }
}

interface Layout {
  /** Rows each lane owns. */
  R: number;
  lanes: number;
  /** Rows of the other side per tile (all of them when untiled). */
  tile: number;
  tiled: boolean;
  /** Workgroups per (batch, head). */
  blocks: number;
}

/** Lanes, rows per lane and tile length for `rows` rows walking `len` rows of the other side. */
function layout(rows: number, len: number, D4: number, tiles: number, caps: DeviceCaps): Layout {
  const tiled = !caps.cpu;
  let R = 1;
  while (!tiled && R * 2 <= ROWS_CPU && R * 2 * 8 <= rows && R * 2 * D4 <= REGISTER_VEC4S) R *= 2;
  const lanes = Math.min(Math.ceil(rows / R), MAX_LANES, caps.maxComputeInvocationsPerWorkgroup);
  // `tiles` arrays of tile × D floats share the workgroup memory (half of it at most, so a
  // baseline 16 KiB adapter has room to spare).
  const fit = Math.floor(caps.maxComputeWorkgroupStorageSize / 2 / (tiles * D4 * 16));
  return { R, lanes, tile: tiled ? Math.max(1, Math.min(len, fit)) : len, tiled, blocks: Math.ceil(rows / (lanes * R)) };
}

/** The kernel's entry: a workgroup per (row block, head, batch); row slot r of this lane is me<r>. */
function entry(lay: Layout, rows: number): string[] {
  return [
    `@compute @workgroup_size(${lay.lanes})`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {',
    '  let b = i32(wid.z);',
    '  let h = i32(wid.y);',
    ...range(lay.R).flatMap((r) => [
      `  let me${r} = i32(wid.x) * ${lay.lanes * lay.R} + ${r * lay.lanes} + i32(lid);`,
      `  let mec${r} = min(me${r}, ${rows - 1});`,
    ]),
  ];
}

/** `fn name(b, h, r, c4) -> vec4<f32>`: components 4·c4.. of row r of x [B,H,rows,D] (views resolved). */
function rowLoader(s: Scope, x: Var, name: string): string {
  const body = s.child();
  const comps = [0, 1, 2, 3].map((c) => body.value(x, { shape: x.shape, dims: ['b', 'h', 'r', `c4 * 4 + ${c}`] }));
  return [
    `fn ${name}(b: i32, h: i32, r: i32, c4: i32) -> vec4<f32> {`,
    ...body.lines.map((l) => `  ${l}`),
    `  return vec4<f32>(${comps.join(', ')});`,
    '}',
  ].join('\n');
}

/** `fn name(b, h, r) -> f32`: element r of x, [B,H,rows] (lse, delta) or [B,rows] (the key mask). */
function scalarLoader(s: Scope, x: Var, name: string): string {
  const body = s.child();
  const val = body.value(x, { shape: x.shape, dims: x.shape.length === 2 ? ['b', 'r'] : ['b', 'h', 'r'] });
  return [`fn ${name}(b: i32, h: i32, r: i32) -> f32 {`, ...body.lines.map((l) => `  ${l}`), `  return ${val};`, '}'].join('\n');
}

/**
 * Rows of the other side (keys for a query thread, queries for a key thread): loaders, and on
 * tiled adapters workgroup tiles. `at(i, c4)` is vec4 c4 of row tb + i; `fill` loads a tile.
 */
interface Others {
  decls: string[];
  fill: string[];
  at(name: string, i: string, c4: string): string;
  scalar(name: string, i: string): string;
}

function others(s: Scope, vecs: { v: Var; name: string }[], scalars: { v: Var; name: string }[], lay: Layout, len: number, D4: number): Others {
  const loaders = [...vecs.map((x) => rowLoader(s, x.v, `ld_${x.name}`)), ...scalars.map((x) => scalarLoader(s, x.v, `ld_${x.name}`))];
  const row = (i: string): string => `min(tb + ${i}, ${len - 1})`;
  if (!lay.tiled) {
    return { decls: loaders, fill: [], at: (n, i, c4) => `ld_${n}(b, h, ${row(i)}, ${c4})`, scalar: (n, i) => `ld_${n}(b, h, ${row(i)})` };
  }
  const { tile, lanes } = lay;
  return {
    decls: [
      ...loaders,
      ...vecs.map((x) => `var<workgroup> ${x.name}: array<vec4<f32>, ${tile * D4}>;`),
      ...scalars.map((x) => `var<workgroup> ${x.name}: array<f32, ${tile}>;`),
    ],
    fill: [
      'workgroupBarrier();',
      `for (var e = i32(lid); e < ${tile * D4}; e += ${lanes}) {`,
      ...vecs.map((x) => `  ${x.name}[e] = ld_${x.name}(b, h, ${row('e / D4')}, e % D4);`),
      '}',
      ...(scalars.length
        ? [`for (var e = i32(lid); e < ${tile}; e += ${lanes}) {`, ...scalars.map((x) => `  ${x.name}[e] = ld_${x.name}(b, h, ${row('e')});`), '}']
        : []),
      'workgroupBarrier();',
    ],
    at: (n, i, c4) => `${n}[(${i}) * D4 + ${c4}]`,
    scalar: (n, i) => `${n}[${i}]`,
  };
}

// Every per-row loop over the head width, the lane's rows and a chunk of keys is unrolled here,
// into named vec4 registers (qr0_0, acc0_0, ...), as the matmul's register tiles are.

/** The lane's rows of x as vec4 registers `name<r>_<c>` (times `mul`), and their loader. */
function ownRows(s: Scope, x: Var, name: string, lay: Layout, D4: number, mul = ''): { decl: string; lines: string[] } {
  return {
    decl: rowLoader(s, x, `ld_${name}`),
    lines: range(lay.R).flatMap((r) => range(D4).map((c) => `let ${name}${r}_${c} = ld_${name}(b, h, mec${r}, ${c})${mul};`)),
  };
}

/** Σ over the head width of registers `r_0..` against vec4 registers `o0..`. */
const dotRow = (r: string, o: string, D4: number): string =>
  range(D4)
    .map((c) => `dot(${r}_${c}, ${o}${c})`)
    .join(' + ');

/** Load row `i` of the other side's `name` into registers `reg0..`. */
const loadOther = (o: Others, name: string, i: string, reg: string, D4: number): string[] =>
  range(D4).map((c) => `let ${reg}${c} = ${o.at(name, i, String(c))};`);

/** The additive score bias of a key ((mask - 1)·1e9), as a term to append, and its loader. */
function keyBias(s: Scope, e: Eqn, maskAt: number): { decl: string[]; term: (key: string) => string } {
  const mask = e.inputs[maskAt];
  if (!mask) return { decl: [], term: () => '' };
  return { decl: [scalarLoader(s, mask, 'ld_mask')], term: (key) => ` + (ld_mask(b, h, ${key}) - 1.0f) * ${literal(MASK_BIAS, 'f32')}` };
}

/** Write registers `acc<r>_0..` (times `mul`) as row me<r> at float offset `base(r)` of `out`, if it exists. */
function writeRows(out: string, lay: Layout, rows: number, base: (r: number) => string, acc: string, mul: (r: number) => string, D4: number): string[] {
  return range(lay.R).flatMap((r) => [
    `if (me${r} < ${rows}) {`,
    `  let wb = ${base(r)};`,
    ...range(D4).flatMap((c) => [
      `  let g${c} = ${acc}${r}_${c}${mul(r)};`,
      ...['x', 'y', 'z', 'w'].map((f, j) => `  ${out}[wb + ${c * 4 + j}] = g${c}.${f};`),
    ]),
    '}',
  ]);
}

/** The attention forward (o = softmax(s)·v) or, without V, the rows' log-sum-exp. */
function forward(e: Eqn, z: Dims, s: Scope, out: string, scale: number, withV: boolean, caps: DeviceCaps): Body {
  const [q, k, v] = e.inputs as Var[];
  const lay = layout(z.N, z.M, z.D4, withV ? 2 : 1, caps);
  const chunk = Math.min(CHUNK, lay.tile, Math.max(1, Math.floor(REGISTER_VEC4S / z.D4)));
  const guard = z.M % lay.tile !== 0 || lay.tile % chunk !== 0;
  const bias = keyBias(s, e, withV ? 3 : 2);
  const kv = others(s, [{ v: k!, name: 'kt' }, ...(withV ? [{ v: v!, name: 'vt' }] : [])], [], lay, z.M, z.D4);
  const qr = ownRows(s, q!, 'qr', lay, z.D4, ` * ${literal(scale, 'f32')}`);
  const ck = range(chunk),
    R = range(lay.R);
  const key = (i: number): string => `c0 + ${i}`;
  const lines = [
    ...qr.lines,
    ...R.flatMap((r) => [...(withV ? range(z.D4).map((c) => `var acc${r}_${c} = vec4<f32>();`) : []), `var m${r} = ${NEG};`, `var l${r} = 0.0f;`]),
    `for (var tb = 0; tb < ${z.M}; tb += ${lay.tile}) {`,
    ...kv.fill.map((x) => `  ${x}`),
    `  for (var c0 = 0; c0 < ${lay.tile}; c0 += ${chunk}) {`,
    ...ck.flatMap((i) => {
      const b = bias.term(`min(tb + ${key(i)}, ${z.M - 1})`);
      return [
        `    // key c0 + ${i}`,
        ...loadOther(kv, 'kt', key(i), `k${i}_`, z.D4).map((x) => `    ${x}`),
        b ? `    let kb${i} = 0.0f${b};` : '',
        ...R.map((r) => {
          const sc = `${dotRow(`qr${r}`, `k${i}_`, z.D4)}${b ? ` + kb${i}` : ''}`;
          return guard ? `    let s${r}_${i} = select(${NEG}, ${sc}, tb + ${key(i)} < ${z.M});` : `    let s${r}_${i} = ${sc};`;
        }),
      ];
    }),
    ...R.flatMap((r) => [
      `    let mc${r} = max(m${r}, ${ck.slice(1).reduce((acc, i) => `max(${acc}, s${r}_${i})`, `s${r}_0`)});`,
      `    let corr${r} = exp(m${r} - mc${r});`,
      ...ck.map((i) => `    let p${r}_${i} = exp(s${r}_${i} - mc${r});`),
      `    l${r} = l${r} * corr${r} + ${ck.map((i) => `p${r}_${i}`).join(' + ')};`,
      `    m${r} = mc${r};`,
      ...(withV ? range(z.D4).map((c) => `    acc${r}_${c} = acc${r}_${c} * corr${r};`) : []),
    ]),
    ...(withV
      ? ck.flatMap((i) => [
          ...loadOther(kv, 'vt', key(i), `v${i}_`, z.D4).map((x) => `    ${x}`),
          ...R.flatMap((r) => range(z.D4).map((c) => `    acc${r}_${c} = acc${r}_${c} + p${r}_${i} * v${i}_${c};`)),
        ])
      : []),
    '  }',
    '}',
    ...(withV
      ? writeRows(
          out,
          lay,
          z.N,
          (r) => `((b * ${z.H} + h) * ${z.N} + me${r}) * ${z.D4 * 4}`,
          'acc',
          (r) => ` / l${r}`,
          z.D4,
        )
      : R.map((r) => `if (me${r} < ${z.N}) { ${out}[(b * ${z.H} + h) * ${z.N} + me${r}] = m${r} + log(l${r}); }`)),
  ];
  const flops = z.B * z.H * z.N * z.M * z.D4 * 4 * (withV ? 4 : 2);
  return finishBody([qr.decl, ...bias.decl, ...kv.decls], entry(lay, z.N), lines, z.D4, [lay.blocks, z.H, z.B], flops);
}

/** dq = scale · Σⱼ p·(dp - delta)·kⱼ with p = exp(s - lse), dp = dO·vⱼ: threads over query rows. */
function gradQ(e: Eqn, z: Dims, s: Scope, out: string, scale: number, caps: DeviceCaps): Body {
  const [q, k, v, lse, delta, dO] = e.inputs as Var[];
  const lay = layout(z.N, z.M, z.D4, 2, caps);
  const bias = keyBias(s, e, 6);
  const kv = others(
    s,
    [
      { v: k!, name: 'kt' },
      { v: v!, name: 'vt' },
    ],
    [],
    lay,
    z.M,
    z.D4,
  );
  const qr = ownRows(s, q!, 'qr', lay, z.D4, ` * ${literal(scale, 'f32')}`);
  const gr = ownRows(s, dO!, 'gr', lay, z.D4);
  const R = range(lay.R);
  const b = bias.term(`min(tb + i, ${z.M - 1})`);
  const lines = [
    ...qr.lines,
    ...gr.lines,
    ...R.flatMap((r) => [
      `let lse${r} = ld_lse(b, h, mec${r});`,
      `let delta${r} = ld_delta(b, h, mec${r});`,
      ...range(z.D4).map((c) => `var acc${r}_${c} = vec4<f32>();`),
    ]),
    `for (var tb = 0; tb < ${z.M}; tb += ${lay.tile}) {`,
    ...kv.fill.map((x) => `  ${x}`),
    `  for (var i = 0; i < ${lay.tile}; i++) {`,
    ...loadOther(kv, 'kt', 'i', 'k', z.D4).map((x) => `    ${x}`),
    ...loadOther(kv, 'vt', 'i', 'v', z.D4).map((x) => `    ${x}`),
    `    let ok = tb + i < ${z.M};`,
    b ? `    let kb = 0.0f${b};` : '',
    ...R.flatMap((r) => [
      `    let p${r} = select(0.0f, exp(${dotRow(`qr${r}`, 'k', z.D4)}${b ? ' + kb' : ''} - lse${r}), ok);`,
      `    let ds${r} = p${r} * (${dotRow(`gr${r}`, 'v', z.D4)} - delta${r});`,
      ...range(z.D4).map((c) => `    acc${r}_${c} = acc${r}_${c} + ds${r} * k${c};`),
    ]),
    '  }',
    '}',
    ...writeRows(
      out,
      lay,
      z.N,
      (r) => `((b * ${z.H} + h) * ${z.N} + me${r}) * ${z.D4 * 4}`,
      'acc',
      () => ` * ${literal(scale, 'f32')}`,
      z.D4,
    ),
  ];
  const decls = [qr.decl, gr.decl, scalarLoader(s, lse!, 'ld_lse'), scalarLoader(s, delta!, 'ld_delta'), ...bias.decl, ...kv.decls];
  const flops = z.B * z.H * z.N * z.M * z.D4 * 4 * 6;
  return finishBody(decls, entry(lay, z.N), lines, z.D4, [lay.blocks, z.H, z.B], flops);
}

/**
 * dk = scale · Σᵢ pᵢ·(dpᵢ - deltaᵢ)·qᵢ and dv = Σᵢ pᵢ·dOᵢ for key row j: threads over key rows,
 * walking the queries' q, dO, lse and delta. Output [B,H,M,2,D].
 */
function gradKV(e: Eqn, z: Dims, s: Scope, out: string, scale: number, caps: DeviceCaps): Body {
  const [q, k, v, lse, delta, dO] = e.inputs as Var[];
  const lay = layout(z.M, z.N, z.D4, 2, caps);
  const bias = keyBias(s, e, 6);
  const qo = others(
    s,
    [
      { v: q!, name: 'qt' },
      { v: dO!, name: 'gt' },
    ],
    [
      { v: lse!, name: 'lt' },
      { v: delta!, name: 'dt' },
    ],
    lay,
    z.N,
    z.D4,
  );
  const kr = ownRows(s, k!, 'kr', lay, z.D4, ` * ${literal(scale, 'f32')}`);
  const vr = ownRows(s, v!, 'vr', lay, z.D4);
  const R = range(lay.R);
  const lines = [
    ...kr.lines,
    ...vr.lines,
    ...R.flatMap((r) => [
      `let kb${r} = 0.0f${bias.term(`mec${r}`)};`,
      ...range(z.D4).flatMap((c) => [`var dk${r}_${c} = vec4<f32>();`, `var dv${r}_${c} = vec4<f32>();`]),
    ]),
    `for (var tb = 0; tb < ${z.N}; tb += ${lay.tile}) {`,
    ...qo.fill.map((x) => `  ${x}`),
    `  for (var i = 0; i < ${lay.tile}; i++) {`,
    ...loadOther(qo, 'qt', 'i', 'q', z.D4).map((x) => `    ${x}`),
    ...loadOther(qo, 'gt', 'i', 'g', z.D4).map((x) => `    ${x}`),
    `    let lse = ${qo.scalar('lt', 'i')};`,
    `    let delta = ${qo.scalar('dt', 'i')};`,
    `    let ok = tb + i < ${z.N};`,
    ...R.flatMap((r) => [
      `    let p${r} = select(0.0f, exp(${dotRow(`kr${r}`, 'q', z.D4)} + kb${r} - lse), ok);`,
      `    let ds${r} = p${r} * (${dotRow(`vr${r}`, 'g', z.D4)} - delta);`,
      ...range(z.D4).flatMap((c) => [`    dk${r}_${c} = dk${r}_${c} + ds${r} * q${c};`, `    dv${r}_${c} = dv${r}_${c} + p${r} * g${c};`]),
    ]),
    '  }',
    '}',
    ...writeRows(
      out,
      lay,
      z.M,
      (r) => `((b * ${z.H} + h) * ${z.M} + me${r}) * ${z.D4 * 8}`,
      'dk',
      () => ` * ${literal(scale, 'f32')}`,
      z.D4,
    ),
    ...writeRows(
      out,
      lay,
      z.M,
      (r) => `((b * ${z.H} + h) * ${z.M} + me${r}) * ${z.D4 * 8} + ${z.D4 * 4}`,
      'dv',
      () => '',
      z.D4,
    ),
  ];
  const flops = z.B * z.H * z.N * z.M * z.D4 * 4 * 6;
  return finishBody([kr.decl, vr.decl, ...bias.decl, ...qo.decls], entry(lay, z.M), lines, z.D4, [lay.blocks, z.H, z.B], flops);
}

/** The kernel text: the head width in vec4s (the tiles' index stride), loaders and tiles, the entry. */
function finishBody(decls: string[], head: string[], lines: string[], D4: number, dispatch: [number, number, number], flops: number): Body {
  const body = [
    `const D4 = ${D4};`,
    ...decls,
    ...head,
    ...lines
      .filter((l) => l !== '')
      .flatMap((l) => l.split('\n'))
      .map((l) => `  ${l}`),
    '}',
  ].join('\n');
  return { body, dispatch, flops };
}
