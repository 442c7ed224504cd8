// Elaboration: run the model program at compile time with concrete hyperparameters,
// emitting graph IR for every tensor operation. Control flow (if/repeat), integers, shapes
// and parameter scopes are all compile-time; what reaches the IR is straight-line tensor
// code. Shape and dtype checks happen here, against the declared (symbolic) signatures.
import { GraphBuilder } from '../ir/builder.ts';
import { type DType, IRError, type Var, numel } from '../ir/types.ts';
import { fnv1a } from '../plan/plan.ts';
import type { Diagnostics, Span } from '../frontend/diagnostics.ts';
import type { Arg, Expr, FnDecl, Program, Stmt, TypeAnn } from './ast.ts';
import { type AttentionMode, BASELINE_BINDING_BYTES } from '../ir/nn.ts';
import { BUILTINS, type Builtin, type BuiltinCtx, INITS } from './builtins.ts';
import { NONE, POISON, type Value, describe, fmtShape, fromConfig } from './values.ts';
import { binaryOp, bindArgs } from './operators.ts';
import { suggest } from './suggest.ts';
import { RNG_KEY, WORD_VECTOR_TABLES } from '../names.ts';

export interface ParamInfo {
  name: string;
  shape: number[];
  init: { kind: string; args: number[]; table?: string };
  trainable: boolean;
  span: Span;
}
export interface LossInfo {
  name: string;
  v: Var;
  weight: number;
  span: Span;
}

export interface Elaboration {
  b: GraphBuilder;
  params: ParamInfo[];
  losses: LossInfo[];
  outputs: { name: string; v: Var }[];
  inputs: { name: string; v: Var }[];
}

export interface ElabOptions {
  training: boolean;
  /** Read-only config sections visible by name (hp, train, audio, text). */
  namespaces: Record<string, unknown>;
  entry: string;
  entrySpan: Span;
  /** Files whose errors are reported at the user's call site (the standard library). */
  libraryFiles: ReadonlySet<string>;
  /** How scaled_dot_attention is lowered (default 'auto': fused where it pays). */
  attention?: AttentionMode;
  /** The binding size row_parts cuts values to (default: the baseline adapter's 128 MiB; tests
   *  pass a small one to exercise the cut paths on small models). */
  bindingBytes?: number;
}

/** Thrown to unwind a function body at `return`. */
class Return {
  constructor(readonly value: Value) {}
}
/** Thrown after an error that makes the rest of a function meaningless (error(), duplicate params). */
class Abort {}
/** Thrown when the program unrolls past the budget: stops elaboration altogether. */
class Stop {}
const MAX_STEPS = 200_000;

class Env {
  readonly vars = new Map<string, Value>();
  constructor(readonly parent?: Env) {}
  lookup(name: string): Value | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }
  assign(name: string, v: Value): boolean {
    if (this.vars.has(name)) {
      this.vars.set(name, v);
      return true;
    }
    return this.parent ? this.parent.assign(name, v) : false;
  }
}

interface Frame {
  fn: FnDecl;
  path: string;
  callSpan: Span;
  counts: Map<string, number>;
}

const MAX_DEPTH = 64;
const MAX_REPEAT = 4096;

export function elaborate(prog: Program, opts: ElabOptions, diags: Diagnostics): Elaboration {
  return new Elaborator(prog, opts, diags).run();
}

class Elaborator {
  readonly b = new GraphBuilder();
  readonly fns = new Map<string, FnDecl>();
  readonly params: ParamInfo[] = [];
  private readonly paramByName = new Map<string, ParamInfo>();
  private readonly paramVar = new Map<string, Var>();
  readonly losses: LossInfo[] = [];
  readonly outputs: { name: string; v: Var }[] = [];
  readonly inputs: { name: string; v: Var }[] = [];
  readonly frames: Frame[] = [];
  readonly globals = new Env();
  private rngKey: Var | undefined;
  /** Inside a later iteration of a parameter-sharing repeat: re-declared params are reused. */
  private sharing = 0;
  private rands = 0;

  constructor(
    prog: Program,
    readonly opts: ElabOptions,
    readonly diags: Diagnostics,
  ) {
    for (const f of prog.fns) if (!this.fns.has(f.name)) this.fns.set(f.name, f);
    for (const [k, v] of Object.entries(opts.namespaces)) this.globals.vars.set(k, fromConfig(k, v));
  }

  /** Report at `span`, or, inside the standard library, at the user's call that led there. */
  error(message: string, span: Span): Value {
    if (this.opts.libraryFiles.has(span.file)) {
      const user = [...this.frames].reverse().find((f) => !this.opts.libraryFiles.has(f.callSpan.file));
      if (user) {
        const chain = this.frames
          .slice(this.frames.indexOf(user))
          .map((f) => f.fn.name)
          .join(' -> ');
        this.diags.error(`${message} (in ${chain}, ${span.file}:${span.line}:${span.col})`, user.callSpan);
        return POISON;
      }
    }
    this.diags.error(message, span);
    return POISON;
  }

  run(): Elaboration {
    const entry = this.fns.get(this.opts.entry);
    if (!entry) {
      this.error(`the model has no entry function '${this.opts.entry}' (define fn ${this.opts.entry}(...) or set model.entry)`, this.opts.entrySpan);
      return this.result();
    }
    const env = new Env(this.globals);
    const frame: Frame = { fn: entry, path: '', callSpan: entry.span, counts: new Map() };
    for (const p of entry.params) {
      if (p.type?.kind !== 'tensor') {
        this.error(`entry input '${p.name}' needs a tensor type, e.g. ${p.name}: [train.batch, 16] f32`, p.span);
        env.vars.set(p.name, POISON);
        continue;
      }
      const dims: number[] = [];
      let ok = true;
      for (const d of p.type.dims) {
        const v = d.kind === 'expr' ? this.expr(d.expr, env, frame) : d.kind === 'sym' ? this.globals.lookup(d.name) : undefined;
        if (v?.t !== 'int' || v.v < 1) {
          if (v?.t !== 'poison')
            this.error(
              `entry input '${p.name}': dimension ${d.kind === 'sym' ? `'${d.name}' ` : ''}must be a known positive int (e.g. train.batch)${v ? `, got ${describe(v)}` : ''}`,
              d.span,
            );
          ok = false;
        } else dims.push(v.v);
      }
      if (!ok) {
        env.vars.set(p.name, POISON);
        continue;
      }
      const v = this.b.input(p.name, dims, (p.type.dtype ?? 'f32') as DType, 'data');
      this.inputs.push({ name: p.name, v });
      env.vars.set(p.name, { t: 'tensor', v });
    }
    this.frames.push(frame);
    try {
      this.block(entry.body, env, frame);
    } catch (e) {
      if (!(e instanceof Return) && !(e instanceof Abort) && !(e instanceof Stop)) throw e;
    }
    this.frames.pop();
    return this.result();
  }

  result(): Elaboration {
    return { b: this.b, params: this.params, losses: this.losses, outputs: this.outputs, inputs: this.inputs };
  }

  block(stmts: Stmt[], env: Env, frame: Frame): void {
    for (const s of stmts) this.stmt(s, env, frame);
  }

  private steps = 0;

  stmt(s: Stmt, env: Env, f: Frame): void {
    if (++this.steps > MAX_STEPS || this.b.eqns.length > MAX_STEPS) {
      this.error(`the model unrolls to more than ${MAX_STEPS.toLocaleString('en-US')} steps or equations (check repeat counts)`, s.span);
      throw new Stop();
    }
    try {
      this.stmt1(s, env, f);
    } catch (e) {
      // The builder's own checks are a backstop: report them here, at the statement.
      if (!(e instanceof IRError)) throw e;
      this.error(e.message.replace(/^eqn #\d+ /, ''), s.span);
    }
  }

  stmt1(s: Stmt, env: Env, f: Frame): void {
    switch (s.kind) {
      case 'let':
      case 'assign': {
        const v = this.expr(s.value, env, f);
        const vals = s.names.length === 1 ? [v] : this.unpack(v, s.names.length, s.span);
        s.names.forEach((n, i) => {
          if (s.kind === 'let') env.vars.set(n, vals[i]!);
          else if (!env.assign(n, vals[i]!)) {
            this.error(`'${n}' is not defined (use 'let ${n} = ...' to define it)`, s.span);
            env.vars.set(n, POISON);
          }
        });
        return;
      }
      case 'param':
        this.param(s, env, f);
        return;
      case 'expr':
        this.expr(s.value, env, f);
        return;
      case 'return': {
        const vals = s.values.map((e) => this.expr(e, env, f));
        throw new Return(vals.length === 1 ? vals[0]! : { t: 'tuple', items: vals });
      }
      case 'loss': {
        const v = this.expr(s.value, env, f);
        const w = s.weight ? this.expr(s.weight, env, f) : { t: 'float' as const, v: 1 };
        if (v.t === 'poison' || w.t === 'poison') return;
        if (w.t !== 'int' && w.t !== 'float') {
          this.error(`loss weight must be a number, got ${describe(w)}`, s.weight!.span);
          return;
        }
        if (v.t !== 'tensor' || v.v.shape.length !== 0 || v.v.dtype !== 'f32') {
          this.error(`loss '${s.name}' must be a scalar f32 tensor, got ${describe(v)}`, s.span);
          return;
        }
        if (this.losses.some((l) => l.name === s.name)) {
          this.error(`loss '${s.name}' is defined twice`, s.span);
          return;
        }
        this.losses.push({ name: s.name, v: v.v, weight: w.v, span: s.span });
        return;
      }
      case 'output': {
        const v = this.expr(s.value, env, f);
        if (v.t === 'poison') return;
        if (v.t !== 'tensor') {
          this.error(`output '${s.name}' must be a tensor, got ${describe(v)}`, s.span);
          return;
        }
        if (this.outputs.some((o) => o.name === s.name)) {
          this.error(`output '${s.name}' is defined twice`, s.span);
          return;
        }
        this.outputs.push({ name: s.name, v: v.v });
        return;
      }
      case 'repeat': {
        const n = this.expr(s.count, env, f);
        if (n.t === 'poison') return;
        if (n.t !== 'int' || n.v < 0 || n.v > MAX_REPEAT) {
          this.error(`repeat count must be an int in 0..${MAX_REPEAT}, got ${describe(n)}`, s.count.span);
          return;
        }
        const base = f.path;
        for (let i = 0; i < n.v; i++) {
          // `repeat n as name`: each iteration has its own parameters under name.<i>.
          // `repeat n`: every iteration reuses the same parameters (e.g. masked views).
          if (s.label) f.path = `${base ? `${base}.` : ''}${s.label}.${i}`;
          else if (i > 0) this.sharing++;
          const saved = f.counts;
          f.counts = new Map();
          try {
            this.block(s.body, new Env(env), f);
          } finally {
            f.path = base;
            f.counts = saved;
            if (!s.label && i > 0) this.sharing--;
          }
        }
        return;
      }
      case 'if': {
        const c = this.expr(s.cond, env, f);
        if (c.t === 'poison') return;
        if (c.t !== 'bool') {
          this.error(
            c.t === 'tensor' ? 'if needs a compile-time condition; use where(cond, a, b) to choose between tensors' : `if needs a bool, got ${describe(c)}`,
            s.cond.span,
          );
          return;
        }
        if (c.v) this.block(s.then, new Env(env), f);
        else if (s.else) this.block(s.else, new Env(env), f);
      }
    }
  }

  unpack(v: Value, n: number, span: Span): Value[] {
    if (v.t === 'poison') return Array.from({ length: n }, () => POISON);
    if ((v.t === 'tuple' || v.t === 'list') && v.items.length === n) return v.items;
    this.error(`expected ${n} values to unpack, got ${describe(v)}`, span);
    return Array.from({ length: n }, () => POISON);
  }

  param(s: Extract<Stmt, { kind: 'param' }>, env: Env, f: Frame): void {
    const name = f.path ? `${f.path}.${s.name}` : s.name;
    const dims = s.shape.map((e) => this.expr(e, env, f));
    if (dims.some((d) => d.t === 'poison')) {
      env.vars.set(s.name, POISON);
      return;
    }
    const bad = dims.findIndex((d) => d.t !== 'int' || d.v < 1);
    if (bad >= 0) {
      this.error(`parameter '${s.name}': dimension ${bad} must be a positive int, got ${describe(dims[bad]!)}`, s.shape[bad]!.span);
      env.vars.set(s.name, POISON);
      return;
    }
    const shape = dims.map((d) => (d as { v: number }).v);
    let init: ParamInfo['init'] = { kind: shape.length >= 2 ? 'xavier' : 'zeros', args: [] };
    if (s.init) {
      const iv = this.expr(s.init, env, f);
      if (iv.t === 'poison') {
        env.vars.set(s.name, POISON);
        return;
      }
      if (iv.t !== 'init') {
        this.error(`parameter '${s.name}': initialiser must be init.<kind>(...), got ${describe(iv)}`, s.init.span);
        env.vars.set(s.name, POISON);
        return;
      }
      init = { kind: iv.kind, args: iv.args, ...(iv.table && { table: iv.table }) };
      const msg = checkInit(init, shape, this.opts.namespaces.text as { tokenizer?: string; vocab?: number } | undefined);
      if (msg) {
        this.error(`parameter '${s.name}': ${msg}`, s.init.span);
        env.vars.set(s.name, POISON);
        return;
      }
    }
    const existing = this.paramByName.get(name);
    if (existing && this.sharing > 0) {
      if (existing.shape.join() !== shape.join()) {
        this.error(`parameter '${name}' is re-declared as ${fmtShape(shape)}, was ${fmtShape(existing.shape)}`, s.span);
        env.vars.set(s.name, POISON);
        return;
      }
      env.vars.set(s.name, { t: 'tensor', v: this.paramVar.get(name)! });
      return;
    }
    if (existing) {
      this.error(`parameter '${name}' is defined twice (name the calls apart with 'as', e.g. linear(x, d) as q)`, s.span);
      throw new Abort();
    }
    if (numel(shape) * 4 > 2 ** 31) {
      this.error(`parameter '${name}' ${fmtShape(shape)} is larger than 2 GiB`, s.span);
      env.vars.set(s.name, POISON);
      return;
    }
    const v = this.b.input(name, shape, 'f32', s.trainable ? 'param' : 'state');
    const info = { name, shape, init, trainable: s.trainable, span: s.span };
    this.params.push(info);
    this.paramByName.set(name, info);
    this.paramVar.set(name, v);
    env.vars.set(s.name, { t: 'tensor', v });
  }

  expr(e: Expr, env: Env, f: Frame): Value {
    switch (e.kind) {
      case 'num':
        return e.isInt
          ? Number.isSafeInteger(e.value)
            ? { t: 'int', v: e.value }
            : this.error(`integer ${e.value} is too large`, e.span)
          : Number.isFinite(e.value)
            ? { t: 'float', v: e.value }
            : this.error('number is too large', e.span);
      case 'str':
        return { t: 'str', v: e.value };
      case 'bool':
        return { t: 'bool', v: e.value };
      case 'none':
        return NONE;
      case 'training':
        return { t: 'bool', v: this.opts.training };
      case 'name': {
        const v = env.lookup(e.name);
        if (v) return v;
        if (this.fns.has(e.name) || BUILTINS[e.name]) return { t: 'fn', name: e.name };
        if (e.name === 'init') return { t: 'ns', name: 'init', fields: {} };
        return this.error(`unknown name '${e.name}'`, e.span);
      }
      case 'list':
        return { t: 'list', items: e.items.map((x) => this.expr(x, env, f)) };
      case 'member': {
        const o = this.expr(e.object, env, f);
        if (o.t === 'poison') return POISON;
        if (o.t === 'ns') {
          if (o.name === 'init')
            return INITS[e.name]
              ? { t: 'fn', name: `init.${e.name}` }
              : this.error(`unknown initialiser 'init.${e.name}' (known: ${Object.keys(INITS).join(', ')})`, e.span);
          if (!(e.name in o.fields)) return this.error(`'${o.name}' has no key '${e.name}'${suggest(e.name, Object.keys(o.fields))}`, e.span);
          return fromConfig(`${o.name}.${e.name}`, o.fields[e.name]);
        }
        if (o.t === 'tensor' && e.name === 'shape') return { t: 'list', items: o.v.shape.map((d) => ({ t: 'int', v: d })) };
        if (o.t === 'tensor' && e.name === 'dtype') return { t: 'str', v: o.v.dtype };
        return this.error(`${describe(o)} has no field '${e.name}'`, e.span);
      }
      case 'index': {
        const o = this.expr(e.object, env, f),
          i = this.expr(e.index, env, f);
        if (o.t === 'poison' || i.t === 'poison') return POISON;
        if ((o.t !== 'list' && o.t !== 'tuple') || i.t !== 'int')
          return this.error(`cannot index ${describe(o)} with ${describe(i)} (index lists with ints; slice tensors with slice())`, e.span);
        const k = i.v < 0 ? i.v + o.items.length : i.v;
        return k >= 0 && k < o.items.length ? o.items[k]! : this.error(`index ${i.v} is out of range for ${o.items.length} items`, e.span);
      }
      case 'unary': {
        const a = this.expr(e.arg, env, f);
        if (a.t === 'poison') return POISON;
        if (e.op === '!') {
          if (a.t === 'bool') return { t: 'bool', v: !a.v };
          if (a.t === 'tensor' && a.v.dtype === 'bool') return { t: 'tensor', v: this.b.eq(a.v, this.b.constant(0, [], 'bool')) };
          return this.error(`'!' needs a bool, got ${describe(a)}`, e.span);
        }
        if (a.t === 'int' || a.t === 'float') return { t: a.t, v: -a.v };
        if (a.t === 'tensor' && a.v.dtype !== 'bool') return { t: 'tensor', v: this.b.neg(a.v) };
        return this.error(`cannot negate ${describe(a)}`, e.span);
      }
      case 'binary':
        return binaryOp(this, e.op, this.expr(e.left, env, f), this.expr(e.right, env, f), e.span);
      case 'call':
        return this.call(e, env, f);
    }
  }

  call(e: Extract<Expr, { kind: 'call' }>, env: Env, f: Frame): Value {
    const callee = this.expr(e.callee, env, f);
    if (callee.t === 'poison') return POISON;
    if (callee.t !== 'fn') return this.error(`${describe(callee)} is not a function`, e.callee.span);
    const args = e.args.map((a) => ({ a, v: this.expr(a.value, env, f) }));
    if (callee.name.startsWith('init.')) return this.builtin(callee.name, INITS[callee.name.slice(5)]!, args, e, f);
    const user = this.fns.get(callee.name);
    if (!user) return this.builtin(callee.name, BUILTINS[callee.name]!, args, e, f);
    if (e.scope?.includes('.')) return this.error(`scope name '${e.scope}' may not contain '.'`, e.span);
    if (this.frames.length >= MAX_DEPTH) return this.error(`calls nested deeper than ${MAX_DEPTH}`, e.span);
    const bound = bindArgs(
      this,
      callee.name,
      user.params.map((p) => ({ name: p.name, hasDefault: !!p.default })),
      args,
      e.span,
    );
    if (!bound) return POISON;
    const n = f.counts.get(callee.name) ?? 0;
    f.counts.set(callee.name, n + 1);
    const seg = e.scope ?? `${callee.name}_${n}`;
    const frame: Frame = { fn: user, path: f.path ? `${f.path}.${seg}` : seg, callSpan: e.span, counts: new Map() };
    const local = new Env(this.globals);
    this.frames.push(frame);
    // Equations record the user's call site, so compile-time limit errors point at the spec.
    const savedSource = this.b.source;
    if (!this.opts.libraryFiles.has(e.span.file)) this.b.source = { at: { file: e.span.file, line: e.span.line, col: e.span.col } };
    try {
      const dims = new Map<string, { v: number; from: string }>();
      for (const [i, p] of user.params.entries()) {
        let v = bound[i];
        if (v === undefined) v = this.expr(p.default!, local, frame);
        if (v.t !== 'poison' && p.type) {
          const msg = this.checkType(p.type, v, p.name, dims, local, frame);
          if (msg) {
            this.error(`argument '${p.name}' of ${user.name}: ${msg}`, args.find((x) => x.a.name === p.name)?.a.span ?? args[i]?.a.span ?? e.span);
            return POISON;
          }
        }
        if (v.t === 'poison') return POISON;
        local.vars.set(p.name, v);
      }
      for (const [k, d] of dims) if (!local.vars.has(k)) local.vars.set(k, { t: 'int', v: d.v });
      this.block(user.body, local, frame);
      return NONE;
    } catch (r) {
      if (r instanceof Return) return r.value;
      if (r instanceof Abort) return POISON;
      throw r;
    } finally {
      this.frames.pop();
      this.b.source = savedSource;
    }
  }

  builtin(name: string, bi: Builtin, args: { a: Arg; v: Value }[], e: Extract<Expr, { kind: 'call' }>, f: Frame): Value {
    const bound = bindArgs(
      this,
      name,
      bi.params.map((p) => ({ name: p.name, hasDefault: p.default !== undefined })),
      args,
      e.span,
    );
    if (!bound) return POISON;
    const vals = bi.params.map((p, i) => bound[i] ?? p.default!);
    if (vals.some((v) => v.t === 'poison')) return POISON;
    const ctx: BuiltinCtx = {
      b: this.b,
      span: e.span,
      error: (m) => this.error(name === 'error' ? m : `${name}: ${m.replace(new RegExp(`^${name.replace('.', '\\.')}: `), '')}`, e.span),
      rand: (shape) => {
        this.rngKey ??= this.b.input(RNG_KEY, [], 'u32', 'data');
        const seed = parseInt(fnv1a(`${f.path}#${this.rands++}`), 16) >>> 0;
        return this.b.randomUniform(this.rngKey, shape, seed);
      },
      attention: this.opts.attention ?? 'auto',
      bindingBytes: this.opts.bindingBytes ?? BASELINE_BINDING_BYTES,
    };
    let out: Value;
    // A builtin called from the spec records its call site too (a user fn call already does).
    const savedSource = this.b.source;
    if (!this.opts.libraryFiles.has(e.span.file)) this.b.source = { at: { file: e.span.file, line: e.span.line, col: e.span.col } };
    try {
      out = bi.run(ctx, vals);
    } catch (err) {
      return this.error(`${name}: ${(err as Error).message}`, e.span);
    } finally {
      this.b.source = savedSource;
    }
    if (name === 'error') throw new Abort();
    return out;
  }

  /** Match a value against a declared type, binding symbolic dims; returns an error message or null. */
  checkType(t: TypeAnn, v: Value, argName: string, dims: Map<string, { v: number; from: string }>, env: Env, f: Frame): string | null {
    if (t.kind === 'scalar') {
      const ok = t.type === 'float' ? v.t === 'float' || v.t === 'int' : v.t === t.type;
      return ok ? null : `expected ${t.type}, got ${describe(v)}`;
    }
    if (v.t !== 'tensor') return `expected a tensor ${annText(t)}, got ${describe(v)}`;
    const shape = v.v.shape;
    if (t.dtype && v.v.dtype !== t.dtype) return `expected dtype ${t.dtype}, got ${describe(v)}`;
    const restAt = t.dims.findIndex((d) => d.kind === 'rest');
    const fixed = restAt < 0 ? t.dims : t.dims.filter((d) => d.kind !== 'rest');
    if (restAt < 0 ? shape.length !== fixed.length : shape.length < fixed.length) {
      return `expected shape ${annText(t)} (rank ${restAt < 0 ? '' : '>= '}${fixed.length}), got ${describe(v)}`;
    }
    const lead = restAt < 0 ? 0 : shape.length - fixed.length;
    for (const [i, d] of t.dims.entries()) {
      if (d.kind === 'rest') {
        if (d.name) env.vars.set(d.name, { t: 'list', items: shape.slice(restAt, restAt + lead).map((x) => ({ t: 'int', v: x })) });
        continue;
      }
      const axis = restAt >= 0 && i > restAt ? i - 1 + lead : i;
      const actual = shape[axis]!;
      if (d.kind === 'sym') {
        const prev = dims.get(d.name);
        if (prev && prev.v !== actual) return `dimension ${d.name} is ${actual} here but ${prev.v} from ${prev.from} (got ${describe(v)})`;
        dims.set(d.name, { v: actual, from: `argument '${argName}'` });
        if (!prev) env.vars.set(d.name, { t: 'int', v: actual });
      } else {
        const want = this.expr(d.expr, env, f);
        if (want.t === 'poison') return null;
        if (want.t !== 'int') return `dimension ${i} of the declared shape is not an int (${describe(want)})`;
        if (want.v !== actual) return `dimension ${i} must be ${want.v}, got ${describe(v)}`;
      }
    }
    return null;
  }
}

function annText(t: TypeAnn): string {
  if (t.kind === 'scalar') return t.type;
  return `[${t.dims.map((d) => (d.kind === 'rest' ? `...${d.name ?? ''}` : d.kind === 'sym' ? d.name : 'expr')).join(', ')}]${t.dtype ? ` ${t.dtype}` : ''}`;
}

function checkInit({ kind, args, table }: ParamInfo['init'], shape: number[], text: { tokenizer?: string; vocab?: number } | undefined): string | null {
  if (kind === 'word_vectors') {
    const t = WORD_VECTOR_TABLES[table!]!;
    if (shape.length !== 2 || shape[1] !== t.dim) return `init.word_vectors("${table}") needs shape [vocab, ${t.dim}], got ${fmtShape(shape)}`;
    if (text?.tokenizer !== t.tokenizer)
      return `init.word_vectors("${table}") rows are ${t.tokenizer} token ids; the spec's text.tokenizer is ${text?.tokenizer}`;
  }
  if (kind === 'sincos_2d') {
    const [r, c] = args;
    if (shape.length !== 2 || r! * c! !== shape[0] || shape[1]! % 4 !== 0)
      return `init.sincos_2d(${r}, ${c}) needs shape [${r}·${c}, D] with D divisible by 4, got ${fmtShape(shape)}`;
  }
  if (kind === 'sincos_1d' && (shape.length !== 2 || shape[1]! % 2 !== 0)) return `init.sincos_1d needs shape [N, D] with even D, got ${fmtShape(shape)}`;
  if ((kind === 'normal' || kind === 'uniform') && !(args[0]! > 0)) return `init.${kind} needs a positive scale, got ${args[0]}`;
  if (kind === 'xavier' && shape.length < 2) return `init.xavier needs a rank >= 2 shape, got ${fmtShape(shape)}`;
  return null;
}
