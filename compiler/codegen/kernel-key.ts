// A structural key for a kernel: equal keys generate identical WGSL (up to which buffers are
// bound), so codegen runs once per distinct kernel. A 12-layer model repeats each layer's
// kernels 12 times: flap.yaml has 3,212 kernels but 355 distinct pipelines.
import type { Kernel, KernelGraph } from '../fuse/kernel-ir.ts';
import type { Var } from '../ir/types.ts';

const num = (_k: string, v: unknown): unknown => (typeof v === 'number' ? String(v) : v);

export function kernelKey(k: Kernel, kg: KernelGraph, aliases?: ReadonlyMap<number, number>, half?: ReadonlySet<number>): string {
  // f16-stored values load and store differently: part of the structure
  const h = (v: Var): string => (half?.has(v.id) ? ' f16' : '');
  const parts: string[] = [`${k.kind}|${k.fullRow}`];
  const tok = new Map<number, string>();
  k.inputs.forEach((v, i) => {
    tok.set(v.id, `b${i}`);
    parts.push(`b${i}:${v.dtype}[${v.shape.join(',')}]${h(v)}`);
  });
  let n = 0;
  const visit = (root: Var): string => {
    // Iterative post-order walk (inline chains can be long).
    const stack: { v: Var; done: boolean }[] = [{ v: root, done: false }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (tok.has(top.v.id)) {
        stack.pop();
        continue;
      }
      const e = kg.producer.get(top.v.id);
      if (!e) {
        tok.set(top.v.id, `?${top.v.id}`);
        stack.pop();
        continue;
      }
      if (!top.done) {
        top.done = true;
        for (const x of e.inputs) if (!tok.has(x.id)) stack.push({ v: x, done: false });
        continue;
      }
      stack.pop();
      const out = e.outputs.indexOf(top.v);
      const t = `n${n++}`;
      parts.push(
        `${t}=${e.prim}${JSON.stringify(e.params, num)}#${out}:${top.v.dtype}[${top.v.shape.join(',')}](${e.inputs.map((x) => tok.get(x.id)).join(',')})`,
      );
      tok.set(top.v.id, t);
    }
    return tok.get(root.id)!;
  };
  for (const o of k.outputs) {
    const a = aliases?.get(o.id);
    parts.push(`out ${visit(o)} alias ${a === undefined ? '-' : (tok.get(a) ?? `?${a}`)}${h(o)}`);
  }
  if (k.anchor) parts.push(`anchor ${k.anchor.outputs.map(visit).join(',')}`);
  for (const s of k.stages) parts.push(`stage ${visit(s.reduce.outputs[0]!)} -> ${visit(s.result)}`);
  return parts.join('\n');
}
