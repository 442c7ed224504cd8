// Constant lifting: matmul kernels whose WGSL differs only in integer constants (sizes, strides,
// loop bounds) share one pipeline, reading the constants that differ from a small uniform buffer
// that each dispatch carries in the plan (PlanDispatch.constants).
//
// Why: lavapipe compiles a pipeline at its first dispatch, about 160 ms per matmul pipeline on
// the 2-core host, and flap-tiny's training step had 75 matmul pipelines that are 29 codes once
// constants are set aside (bench/RESULTS.md, session 12). Divisors and moduli stay literal, so
// index arithmetic through views keeps its multiply-and-shift division (a division by a uniform
// is a real division per lane); constants that every member of a group shares stay literal too.
import { type Plan, type PlanDispatch, constantsBinding } from '../plan/plan.ts';

/** WGSL tokens: identifiers, numbers with their suffixes, whitespace runs, single characters. */
const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?[fhiu]?|\s+|[\s\S]/g;

/** A kernel's text cut at its liftable constants: wgsl = parts[0] + values[0] + parts[1] + ... */
interface Cut {
  parts: string[];
  values: number[];
}

/**
 * Liftable: an unsuffixed integer in the body of `main`, not a divisor or modulus, not inside a
 * type's template list (`array<f32, 64>`), and within i32. Everything else is kept as written.
 */
export function cutConstants(wgsl: string): Cut | undefined {
  const head = wgsl.indexOf('fn main(');
  const open = head < 0 ? -1 : wgsl.indexOf('{', head);
  if (open < 0) return undefined;
  const parts: string[] = [];
  const values: number[] = [];
  let cur = wgsl.slice(0, open),
    prev = '',
    depth = 0;
  for (const [t] of wgsl.slice(open).matchAll(TOKEN)) {
    if (t === '<' && /^[A-Za-z_]\w*$/.test(prev) && !cur.endsWith(' ')) depth++;
    else if (t === '>' && depth > 0) depth--;
    if (/^\d+$/.test(t) && prev !== '/' && prev !== '%' && depth === 0 && Number(t) <= 0x7fffffff) {
      parts.push(cur);
      values.push(Number(t));
      cur = '';
    } else cur += t;
    if (!/^\s+$/.test(t)) prev = t;
  }
  parts.push(cur);
  return { parts, values };
}

/** The shared text of a group: lifted position -> uniform slot, the slots bound after the rest. */
function sharedWgsl(cut: Cut, slotOf: Map<number, number>, slots: number, binding: number): string {
  let body = cut.parts[0]!;
  cut.values.forEach((v, p) => {
    const q = slotOf.get(p);
    body += (q === undefined ? String(v) : `flapc_k[${q >> 2}].${'xyzw'[q & 3]}`) + cut.parts[p + 1]!;
  });
  // after the directives (`enable f16;`), which must come first
  const directives = /^(?:(?:enable|requires|diagnostic)\b[^;]*;\s*)*/.exec(body)![0];
  return `${directives}@group(0) @binding(${binding}) var<uniform> flapc_k: array<vec4<i32>, ${Math.ceil(slots / 4)}>;\n${body.slice(directives.length)}`;
}

/**
 * Merges the matmul pipelines that differ only in liftable constants (groups of one are left as
 * they are). A pipeline whose B is a texture joins only pipelines that read one too, so the
 * uniform's binding slot (constantsBinding) is the same for every member. Returns new pipeline
 * and dispatch lists (unused pipelines dropped); `hash` hashes a pipeline's text.
 */
export function liftConstants(
  pipelines: Plan['pipelines'],
  dispatches: PlanDispatch[],
  hash: (wgsl: string) => string,
): { pipelines: Plan['pipelines']; dispatches: PlanDispatch[] } {
  const firstUse = new Map<number, PlanDispatch>();
  for (const d of dispatches) if (!firstUse.has(d.pipeline)) firstUse.set(d.pipeline, d);
  const cuts = pipelines.map((p, i) => (p.label.startsWith('matmul') && firstUse.has(i) ? cutConstants(p.wgsl) : undefined));
  const groups = new Map<string, number[]>();
  cuts.forEach((c, i) => {
    if (!c) return;
    const key = `${constantsBinding(firstUse.get(i)!)}\u0000${c.values.length}\u0000${c.parts.join('\u0000')}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  // Old pipeline index -> new pipeline index and the constants its dispatches bind.
  const remap = new Map<number, { to: number; constants?: number[] }>();
  const out: Plan['pipelines'] = [];
  const add = (p: Plan['pipelines'][number]): number => out.push(p) - 1;
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const first = cuts[members[0]!]!;
    // Positions whose value differs within the group get a slot; equal columns share one (M, N, K).
    const slotOf = new Map<number, number>(),
      column = new Map<string, number>(),
      slots: number[] = [];
    first.values.forEach((v, p) => {
      if (members.every((m) => cuts[m]!.values[p] === v)) return;
      const key = members.map((m) => cuts[m]!.values[p]).join(',');
      if (!column.has(key)) column.set(key, slots.push(p) - 1);
      slotOf.set(p, column.get(key)!);
    });
    const binding = constantsBinding(firstUse.get(members[0]!)!);
    const wgsl = sharedWgsl(first, slotOf, slots.length, binding);
    const to = add({ hash: hash(wgsl), label: pipelines[members[0]!]!.label, wgsl });
    for (const m of members) remap.set(m, { to, constants: slots.map((p) => cuts[m]!.values[p]!) });
  }
  pipelines.forEach((p, i) => {
    if (!remap.has(i) && firstUse.has(i)) remap.set(i, { to: add(p) });
  });
  return {
    pipelines: out,
    dispatches: dispatches.map((d) => {
      const r = remap.get(d.pipeline)!;
      return r.constants ? { ...d, pipeline: r.to, constants: r.constants } : { ...d, pipeline: r.to };
    }),
  };
}
