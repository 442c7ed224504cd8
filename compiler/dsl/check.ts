// Static checks over every function, called or not: duplicate definitions, unknown
// names, calls to unknown functions, arity of calls with a known signature, and
// recursion (the language unrolls at compile time, so cycles are errors).
import type { Diagnostics, Span } from '../frontend/diagnostics.ts';
import type { Expr, FnDecl, Program, Stmt } from './ast.ts';
import { BUILTINS, INITS } from './builtins.ts';
import { editDistance } from './suggest.ts';

const RESERVED = new Set(['init']);

export function checkProgram(prog: Program, namespaces: readonly string[], diags: Diagnostics): void {
  const fns = new Map<string, FnDecl>();
  for (const f of prog.fns) {
    if (fns.has(f.name)) {
      diags.error(`function '${f.name}' is defined twice (first at line ${fns.get(f.name)!.span.line} of ${fns.get(f.name)!.span.file})`, f.span);
      continue;
    }
    if (BUILTINS[f.name] || RESERVED.has(f.name) || namespaces.includes(f.name)) {
      diags.error(`'${f.name}' is a built-in name and cannot be redefined`, f.span);
      continue;
    }
    fns.set(f.name, f);
  }
  const calls = new Map<string, { callee: string; span: Span }[]>();
  for (const f of fns.values()) {
    const seen = new Set<string>();
    for (const p of f.params) {
      if (seen.has(p.name)) diags.error(`parameter '${p.name}' of ${f.name} is declared twice`, p.span);
      seen.add(p.name);
      const t = p.type;
      if (t?.kind === 'tensor' && t.dtype && !['f32', 'i32', 'u32', 'bool'].includes(t.dtype))
        diags.error(`unknown dtype '${t.dtype}' (expected f32, i32, u32 or bool)`, t.span);
      if (t?.kind === 'scalar' && !['int', 'float', 'bool', 'str'].includes(t.type))
        diags.error(`unknown type '${t.type}' (expected int, float, bool, str or a shape like [B, D])`, t.span);
      if (t?.kind === 'tensor' && t.dims.filter((d) => d.kind === 'rest').length > 1) diags.error('a shape may contain at most one ...', t.span);
    }
    const out: { callee: string; span: Span }[] = [];
    const scope = new Checker(fns, namespaces, diags, out);
    const env = new Set([
      ...f.params.map((p) => p.name),
      ...f.params.flatMap((p) =>
        p.type?.kind === 'tensor' ? p.type.dims.flatMap((d) => (d.kind === 'sym' || (d.kind === 'rest' && d.name) ? [d.name!] : [])) : [],
      ),
    ]);
    for (const p of f.params) if (p.default) scope.expr(p.default, [env]);
    scope.block(f.body, [env]);
    calls.set(f.name, out);
  }
  // Recursion: depth-first search over the call graph.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    state.set(name, 'open');
    for (const c of calls.get(name) ?? []) {
      if (state.get(c.callee) === 'open') {
        const cyc = [...path.slice(path.indexOf(c.callee)), c.callee];
        diags.error(`recursive call cycle ${cyc.join(' -> ')} (recursion is not supported; use repeat)`, c.span);
      } else if (!state.has(c.callee)) visit(c.callee, [...path, c.callee]);
    }
    state.set(name, 'done');
  };
  for (const name of fns.keys()) if (!state.has(name)) visit(name, [name]);
}

class Checker {
  constructor(
    readonly fns: Map<string, FnDecl>,
    readonly namespaces: readonly string[],
    readonly diags: Diagnostics,
    readonly calls: { callee: string; span: Span }[],
  ) {}

  known(name: string, scopes: Set<string>[]): boolean {
    return scopes.some((s) => s.has(name)) || this.fns.has(name) || !!BUILTINS[name] || this.namespaces.includes(name) || RESERVED.has(name);
  }

  unknown(name: string, span: Span, scopes: Set<string>[]): void {
    const all = [...scopes.flatMap((s) => [...s]), ...this.fns.keys(), ...Object.keys(BUILTINS), ...this.namespaces];
    const near = all.filter((k) => editDistance(k, name) <= (name.length > 4 ? 2 : 1)).sort((a, b) => editDistance(a, name) - editDistance(b, name));
    this.diags.error(`unknown name '${name}'${near.length ? ` (did you mean '${near[0]}'?)` : ''}`, span);
  }

  block(stmts: Stmt[], scopes: Set<string>[]): void {
    const local = new Set<string>();
    const inner = [...scopes, local];
    for (const s of stmts) this.stmt(s, inner, local);
  }

  stmt(s: Stmt, scopes: Set<string>[], local: Set<string>): void {
    switch (s.kind) {
      case 'let':
        this.expr(s.value, scopes);
        for (const n of s.names) {
          if (local.has(n)) this.diags.error(`'${n}' is already defined in this block (assign with '${n} = ...' instead)`, s.span);
          if (this.fns.has(n) || BUILTINS[n]) this.diags.error(`'${n}' would shadow a function of the same name`, s.span);
          local.add(n);
        }
        return;
      case 'assign':
        this.expr(s.value, scopes);
        for (const n of s.names) if (!scopes.some((sc) => sc.has(n))) this.diags.error(`'${n}' is not defined (use 'let ${n} = ...' to define it)`, s.span);
        return;
      case 'param':
        s.shape.forEach((e) => this.expr(e, scopes));
        if (s.init) this.expr(s.init, scopes);
        if (local.has(s.name)) this.diags.error(`'${s.name}' is already defined in this block`, s.span);
        local.add(s.name);
        return;
      case 'return':
        s.values.forEach((e) => this.expr(e, scopes));
        return;
      case 'loss':
        this.expr(s.value, scopes);
        if (s.weight) this.expr(s.weight, scopes);
        return;
      case 'output':
        this.expr(s.value, scopes);
        return;
      case 'expr':
        if (s.value.kind !== 'call') this.diags.error('an expression alone is not a statement (did you mean let x = ...?)', s.span);
        this.expr(s.value, scopes);
        return;
      case 'repeat':
        this.expr(s.count, scopes);
        this.block(s.body, scopes);
        return;
      case 'if':
        this.expr(s.cond, scopes);
        this.block(s.then, scopes);
        if (s.else) this.block(s.else, scopes);
    }
  }

  expr(e: Expr, scopes: Set<string>[]): void {
    switch (e.kind) {
      case 'name':
        if (!this.known(e.name, scopes)) this.unknown(e.name, e.span, scopes);
        return;
      case 'list':
        e.items.forEach((x) => this.expr(x, scopes));
        return;
      case 'unary':
        this.expr(e.arg, scopes);
        return;
      case 'binary':
        this.expr(e.left, scopes);
        this.expr(e.right, scopes);
        return;
      case 'member':
        if (e.object.kind === 'name' && e.object.name === 'init' && !INITS[e.name]) {
          this.diags.error(`unknown initialiser 'init.${e.name}' (known: ${Object.keys(INITS).join(', ')})`, e.span);
          return;
        }
        this.expr(e.object, scopes);
        return;
      case 'index':
        this.expr(e.object, scopes);
        this.expr(e.index, scopes);
        return;
      case 'call': {
        const c = e.callee;
        if (c.kind === 'name' && !scopes.some((s) => s.has(c.name))) {
          const f = this.fns.get(c.name);
          if (f) {
            this.calls.push({ callee: c.name, span: e.span });
            this.arity(
              c.name,
              f.params.map((p) => ({ name: p.name, opt: !!p.default })),
              e,
            );
          } else if (BUILTINS[c.name]) {
            this.arity(
              c.name,
              BUILTINS[c.name]!.params.map((p) => ({ name: p.name, opt: p.default !== undefined })),
              e,
            );
          } else if (!this.known(c.name, scopes)) {
            this.unknown(c.name, c.span, scopes);
          }
        } else this.expr(c, scopes);
        e.args.forEach((a) => this.expr(a.value, scopes));
      }
    }
  }

  arity(name: string, params: { name: string; opt: boolean }[], e: Extract<Expr, { kind: 'call' }>): void {
    const positional = e.args.filter((a) => !a.name);
    if (positional.length > params.length) {
      this.diags.error(
        `${name} takes at most ${params.length} argument${params.length === 1 ? '' : 's'}, got ${positional.length}`,
        positional[params.length]!.span,
      );
      return;
    }
    const given = new Set(params.slice(0, positional.length).map((p) => p.name));
    for (const a of e.args.filter((x) => x.name)) {
      if (!params.some((p) => p.name === a.name)) {
        this.diags.error(`${name} has no parameter '${a.name}' (parameters: ${params.map((p) => p.name).join(', ') || 'none'})`, a.span);
        return;
      }
      if (given.has(a.name!)) {
        this.diags.error(`argument '${a.name}' of ${name} is given twice`, a.span);
        return;
      }
      given.add(a.name!);
    }
    const missing = params.find((p) => !p.opt && !given.has(p.name));
    if (missing) this.diags.error(`missing argument '${missing.name}' in call to ${name}`, e.span);
  }
}
