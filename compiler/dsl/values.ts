// Values the elaborator computes with. Everything but tensors is known at compile time;
// tensors are graph IR values with static shapes. `poison` stands for "already reported":
// it flows through expressions silently so one mistake yields one diagnostic.
import type { Var } from '../ir/types.ts';

export type Value =
  | { t: 'tensor'; v: Var }
  | { t: 'int'; v: number }
  | { t: 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string }
  | { t: 'list'; items: Value[] }
  | { t: 'tuple'; items: Value[] }
  | { t: 'ns'; name: string; fields: Record<string, unknown> }
  | { t: 'fn'; name: string }
  | { t: 'init'; kind: InitKind; args: number[]; table?: string }
  | { t: 'none' }
  | { t: 'poison' };

export type InitKind = 'normal' | 'uniform' | 'xavier' | 'zeros' | 'ones' | 'constant' | 'sincos_1d' | 'sincos_2d' | 'word_vectors';

export const POISON: Value = { t: 'poison' };
export const NONE: Value = { t: 'none' };

export const fmtShape = (s: readonly number[]): string => `[${s.join(', ')}]`;

export function describe(v: Value): string {
  switch (v.t) {
    case 'tensor':
      return `tensor ${v.v.dtype}${fmtShape(v.v.shape)}`;
    case 'int':
      return `int ${v.v}`;
    case 'float':
      return `float ${v.v}`;
    case 'bool':
      return `bool ${v.v}`;
    case 'str':
      return `string "${v.v}"`;
    case 'list':
      return `list of ${v.items.length}`;
    case 'tuple':
      return `${v.items.length} values`;
    case 'ns':
      return `namespace ${v.name}`;
    case 'fn':
      return `function ${v.name}`;
    case 'init':
      return `initialiser ${v.kind}`;
    case 'none':
      return 'none';
    case 'poison':
      return '(error)';
  }
}

/** Convert a YAML leaf into a DSL value (namespaces nest). */
export function fromConfig(name: string, x: unknown): Value {
  if (typeof x === 'number') return Number.isInteger(x) ? { t: 'int', v: x } : { t: 'float', v: x };
  if (typeof x === 'boolean') return { t: 'bool', v: x };
  if (typeof x === 'string') return { t: 'str', v: x };
  if (Array.isArray(x)) return { t: 'list', items: x.map((y, i) => fromConfig(`${name}[${i}]`, y)) };
  if (x && typeof x === 'object') return { t: 'ns', name, fields: x as Record<string, unknown> };
  return NONE;
}
