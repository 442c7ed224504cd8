// Human-readable graph IR, one equation per line (FLAPC_DEBUG=1 and --emit ir).
import { type Eqn, type Graph, type Var, formatSource } from './types.ts';

const v = (x: Var): string => `%${x.id}`;
const ty = (x: Var): string => `${x.dtype}[${x.shape.join(',')}]`;

function paramsStr(e: Eqn): string {
  const entries = Object.entries(e.params as Record<string, unknown>);
  if (entries.length === 0) return '';
  return ` {${entries.map(([k, val]) => `${k}=${Array.isArray(val) ? `[${val.join(',')}]` : String(val)}`).join(' ')}}`;
}

export function printEqn(e: Eqn): string {
  const outs = e.outputs.map((o) => `${v(o)}: ${ty(o)}`).join(', ');
  const src = e.source ? `    # ${formatSource(e.source)}` : '';
  return `${outs} = ${e.prim}(${e.inputs.map(v).join(', ')})${paramsStr(e)}${src}`;
}

export function printGraph(g: Graph): string {
  const lines = [
    ...g.inputs.map((i) => `in  ${v(i.v)}: ${ty(i.v)}  ${i.name} (${i.role})`),
    ...g.eqns.map((e) => `    ${printEqn(e)}`),
    ...g.outputs.map((o) => `out ${v(o.v)}: ${ty(o.v)}  ${o.name}${o.updates ? ` -> ${o.updates}` : ''}`),
  ];
  return lines.join('\n');
}
