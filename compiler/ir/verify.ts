// Verifier: SSA form, definitions before uses, and every equation's types re-inferred.
import { inferTypes } from './shapes.ts';
import { type Graph, IRError, sameShape, shapeStr } from './types.ts';
import { printEqn } from './print.ts';

export function verifyGraph(g: Graph): void {
  const defined = new Map<number, string>();
  const define = (id: number, what: string): void => {
    if (defined.has(id)) throw new IRError(`value %${id} defined twice (${defined.get(id)} and ${what})`);
    defined.set(id, what);
  };
  for (const i of g.inputs) define(i.v.id, `input '${i.name}'`);
  g.eqns.forEach((e, n) => {
    // Printed only when something is wrong (printing every equation dominated big graphs).
    const where = (): string => `eqn #${n} ${printEqn(e)}`;
    for (const x of e.inputs) if (!defined.has(x.id)) throw new IRError(`${where()}: uses %${x.id} before it is defined`);
    let types: ReturnType<typeof inferTypes>;
    try {
      types = inferTypes(e.prim, e.inputs, e.params);
    } catch (err) {
      throw new IRError(`${where()}: ${(err as Error).message}`);
    }
    if (types.length !== e.outputs.length) throw new IRError(`${where()}: expected ${types.length} outputs`);
    e.outputs.forEach((o, k) => {
      const t = types[k]!;
      if (!sameShape(t.shape, o.shape) || t.dtype !== o.dtype) {
        throw new IRError(`${where()}: output %${o.id} declared ${o.dtype}${shapeStr(o.shape)}, inferred ${t.dtype}${shapeStr(t.shape)}`);
      }
      define(o.id, `eqn #${n}`);
    });
  });
  const names = new Set<string>();
  const inputByName = new Map(g.inputs.map((i) => [i.name, i]));
  for (const o of g.outputs) {
    if (!defined.has(o.v.id)) throw new IRError(`output '${o.name}' refers to undefined %${o.v.id}`);
    if (names.has(o.name)) throw new IRError(`duplicate output '${o.name}'`);
    names.add(o.name);
    if (o.updates !== undefined) {
      const t = inputByName.get(o.updates);
      if (!t) throw new IRError(`output '${o.name}' updates unknown input '${o.updates}'`);
      if (!sameShape(t.v.shape, o.v.shape) || t.v.dtype !== o.v.dtype) throw new IRError(`output '${o.name}' does not match the shape of '${o.updates}'`);
    }
  }
}
