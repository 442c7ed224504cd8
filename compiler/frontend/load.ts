// Spec files: YAML (via the `yaml` package, keeping source positions) with an embedded
// model DSL. Handles `extends:` (deep merge, cycle detection), validates every section
// against the schema below, and reports each problem at its file:line:col.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YNode, Scalar } from 'yaml';
import type { SourceOrigin } from '../dsl/parser.ts';
import { editDistance } from '../dsl/suggest.ts';
import type { Diagnostics, Span } from './diagnostics.ts';

/** A YAML value with the place it came from (merged trees keep each leaf's own file). */
export type Located =
  | { kind: 'map'; entries: Map<string, { key: Span; value: Located }>; span: Span }
  | { kind: 'seq'; items: Located[]; span: Span }
  | { kind: 'scalar'; value: unknown; span: Span; origin?: SourceOrigin };

export interface LoadedSpec {
  file: string;
  tree: Located;
  /** Plain config (sections as objects), validated. */
  config: SpecConfig;
  model: { text: string; origin: SourceOrigin; entry: string; entrySpan: Span };
}

type Check = {
  type: 'int' | 'number' | 'bool' | 'string';
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  oneOf?: readonly string[];
  default?: unknown;
};

/** The schema of the fixed sections; `hyper` and `data` are free-form (values only). The config
 *  types below are derived from it, so a new key is typed everywhere it is read. */
const SCHEMA = {
  audio: {
    sample_rate: { type: 'int', min: 1000, max: 192000, default: 16000 },
    mel_bins: { type: 'int', min: 8, max: 512, default: 128 },
    frames: { type: 'int', min: 1, max: 100000, default: 1024 },
    win_ms: { type: 'number', min: 1, max: 1000, default: 25 },
    hop_ms: { type: 'number', min: 1, max: 1000, default: 10 },
    window: { type: 'string', oneOf: ['povey', 'hann'], default: 'hann' },
    patch: { type: 'int', min: 1, max: 128, default: 16 },
    long_audio: { type: 'string', oneOf: ['crop', 'chunks'], default: 'crop' },
  },
  text: {
    tokenizer: { type: 'string', oneOf: ['bert-base-uncased'], default: 'bert-base-uncased' },
    vocab: { type: 'int', min: 2, max: 1000000, default: 30522 },
    max_tokens: { type: 'int', min: 2, max: 4096, default: 32 },
  },
  train: {
    batch: { type: 'int', min: 1, max: 65536, default: 8 },
    steps: { type: 'int', min: 1, max: 1e9, default: 1000 },
    lr: { type: 'number', min: 0, minExclusive: true, max: 10, default: 1e-4 },
    warmup: { type: 'int', min: 0, max: 1e9, default: 0 },
    weight_decay: { type: 'number', min: 0, max: 10, default: 0.05 },
    clip: { type: 'number', min: 0, max: 1e6, default: 1 },
    beta1: { type: 'number', min: 0, max: 1, maxExclusive: true, default: 0.9 },
    beta2: { type: 'number', min: 0, max: 1, maxExclusive: true, default: 0.999 },
    eps: { type: 'number', min: 0, minExclusive: true, max: 1, default: 1e-8 },
    seed: { type: 'int', min: 0, max: 2 ** 32 - 1, default: 0 },
    augmented_caption_prob: { type: 'number', min: 0, max: 1, default: 0 },
    // FLIP's unmasked tuning: the last N steps train with hyper.mask = "none" (every token
    // through the encoder), at their own learning rate (default lr / 4), warm-up and cosine decay.
    unmasked_steps: { type: 'int', min: 0, max: 1e9, default: 0 },
    unmasked_lr: { type: 'number', min: 0, max: 10, default: 0 },
    // Validate, keep and save an exponential moving average of the weights with this decay per
    // step (0 = off; runtime/train/ema.ts).
    ema_decay: { type: 'number', min: 0, max: 1, maxExclusive: true, default: 0 },
    // Audio augmentation of training crops (runtime/data/augment-audio.ts); all off by default.
    aug_gain_db: { type: 'number', min: 0, max: 60, default: 0 },
    aug_shift: { type: 'number', min: 0, max: 1, default: 0 },
    aug_time_masks: { type: 'int', min: 0, max: 100, default: 0 },
    aug_time_width: { type: 'int', min: 0, max: 100000, default: 0 },
    aug_freq_masks: { type: 'int', min: 0, max: 100, default: 0 },
    aug_freq_width: { type: 'int', min: 0, max: 512, default: 0 },
    aug_mix_prob: { type: 'number', min: 0, max: 1, default: 0 },
    // "f16": the training steps store their large temporaries (activations, backward values) as
    // f16 and compute in f32; weights, moments and the gradients AdamW reads stay f32
    // (compiler/plan/precision.ts). Needs an adapter with shader-f16. Evaluation stays f32.
    precision: { type: 'string', oneOf: ['f32', 'f16'], default: 'f32' },
  },
} as const satisfies Record<string, Record<string, Check>>;

/** The TypeScript type of a schema entry's value (every entry has a default, so every key is set). */
type ValueOf<C> = C extends { oneOf: readonly (infer S)[] } ? S : C extends { type: 'int' | 'number' } ? number : C extends { type: 'bool' } ? boolean : string;
type Section<S> = { -readonly [K in keyof S]: ValueOf<S[K]> };
export type AudioConfig = Section<typeof SCHEMA.audio>;
export type TextConfig = Section<typeof SCHEMA.text>;
export type TrainConfig = Section<typeof SCHEMA.train>;

export interface SpecConfig {
  name: string;
  hyper: Record<string, unknown>;
  audio: AudioConfig;
  text: TextConfig;
  train: TrainConfig;
  data: Record<string, unknown>;
}
const TOP_KEYS = ['extends', 'name', 'description', 'hyper', 'audio', 'text', 'train', 'data', 'model'];
const MODEL_KEYS = ['entry', 'source', 'file'];

function spanAt(file: string, lc: LineCounter, offset: number, len = 1): Span {
  const p = lc.linePos(offset);
  return { file, line: p.line, col: p.col, len: Math.max(1, len) };
}

function toLocated(n: YNode | null | undefined, file: string, text: string, lc: LineCounter, fallback: Span): Located {
  const span = n?.range ? spanAt(file, lc, n.range[0], Math.min(n.range[1] - n.range[0], 60)) : fallback;
  if (isMap(n)) {
    const entries = new Map<string, { key: Span; value: Located }>();
    for (const it of n.items) {
      const k = isScalar(it.key) ? String(it.key.value) : String(it.key);
      const ks = isScalar(it.key) && it.key.range ? spanAt(file, lc, it.key.range[0], k.length) : span;
      entries.set(k, { key: ks, value: toLocated(it.value as YNode, file, text, lc, ks) });
    }
    return { kind: 'map', entries, span };
  }
  if (isSeq(n)) return { kind: 'seq', items: n.items.map((x) => toLocated(x as YNode, file, text, lc, span)), span };
  const value = isScalar(n) ? n.value : null;
  const out: Located = { kind: 'scalar', value, span };
  if (isScalar(n) && n.type === Scalar.BLOCK_LITERAL && n.range) {
    // DSL line 1 is the line after the '|' header; its columns shift by the block's indent.
    const header = lc.linePos(n.range[0]).line;
    const body = text.slice(n.range[0]).split('\n').slice(1);
    const first = body.find((l) => l.trim() !== '') ?? '';
    out.origin = { file, lineOffset: header, colOffset: first.length - first.trimStart().length };
  }
  return out;
}

/** Deep merge: `over` wins; maps merge key by key, everything else is replaced. */
function merge(base: Located, over: Located): Located {
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  const entries = new Map(base.entries);
  // A child's model.source or model.file replaces whichever of the two the base had.
  if (over.entries.has('source') || over.entries.has('file')) {
    entries.delete('source');
    entries.delete('file');
  }
  for (const [k, v] of over.entries) {
    const b = entries.get(k);
    entries.set(k, b && k !== 'source' ? { key: v.key, value: merge(b.value, v.value) } : v);
  }
  return { kind: 'map', entries, span: over.span };
}

function readYaml(path: string, display: string, diags: Diagnostics, from?: Span): Located | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    diags.error(`cannot read spec '${display}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, from);
    return undefined;
  }
  diags.sources.set(display, text);
  const lc = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    diags.error('YAML: the document is nested too deeply', { file: display, line: 1, col: 1 });
    return undefined;
  }
  for (const e of doc.errors) {
    const msg = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    diags.error(`YAML: ${msg}`, spanAt(display, lc, e.pos[0], e.pos[1] - e.pos[0]));
  }
  if (doc.errors.length) return undefined;
  let root: Located;
  try {
    root = toLocated(doc.contents as YNode, display, text, lc, { file: display, line: 1, col: 1 });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    diags.error('YAML: the document is nested too deeply', { file: display, line: 1, col: 1 });
    return undefined;
  }
  if (root.kind !== 'map') {
    diags.error('a spec must be a YAML mapping (key: value lines)', root.span);
    return undefined;
  }
  return root;
}

/** Load a spec and everything it extends; returns undefined when errors were reported. */
export function loadSpec(path: string, diags: Diagnostics, cwd = process.cwd()): LoadedSpec | undefined {
  const display = (p: string): string => {
    const r = relative(cwd, p);
    return r.startsWith('..') ? p : r;
  };
  const chain: string[] = [];
  const load = (abs: string, from?: Span): Located | undefined => {
    if (chain.includes(abs)) {
      diags.error(`'extends' cycle: ${[...chain.slice(chain.indexOf(abs)), abs].map(display).join(' -> ')}`, from);
      return undefined;
    }
    chain.push(abs);
    const tree = readYaml(abs, display(abs), diags, from);
    if (tree?.kind !== 'map') {
      chain.pop();
      return undefined;
    }
    const ext = tree.entries.get('extends');
    let out: Located = tree;
    if (ext) {
      if (ext.value.kind !== 'scalar' || typeof ext.value.value !== 'string') diags.error("'extends' must be a file path", ext.value.span);
      else {
        const base = load(resolve(dirname(abs), ext.value.value), ext.value.span);
        if (!base) {
          chain.pop();
          return undefined;
        }
        tree.entries.delete('extends');
        out = merge(base, tree);
      }
    }
    chain.pop();
    return out;
  };
  const abs = resolve(cwd, path);
  const tree = load(abs);
  if (tree?.kind !== 'map') return undefined;
  return validate(display(abs), tree, diags, dirname(abs), display);
}

function plain(l: Located): unknown {
  if (l.kind === 'scalar') return l.value;
  if (l.kind === 'seq') return l.items.map(plain);
  return Object.fromEntries([...l.entries].map(([k, v]) => [k, plain(v.value)]));
}

function unknownKey(diags: Diagnostics, where: string, k: string, span: Span, known: string[]): void {
  const near = known.filter((x) => editDistance(x, k) <= 2);
  diags.error(`unknown key '${k}' in ${where}${near.length ? ` (did you mean '${near[0]}'?)` : ` (known: ${known.join(', ')})`}`, span);
}

function checkValue(diags: Diagnostics, where: string, c: Check, v: Located): unknown {
  const x = v.kind === 'scalar' ? v.value : undefined;
  const bad = (why: string): undefined => {
    diags.error(`${where}: ${why}`, v.span);
    return undefined;
  };
  if (c.type === 'int' && !(typeof x === 'number' && Number.isInteger(x))) return bad(`must be an integer, got ${show(v)}`);
  if (c.type === 'number' && !(typeof x === 'number' && Number.isFinite(x))) return bad(`must be a number, got ${show(v)}`);
  if (c.type === 'bool' && typeof x !== 'boolean') return bad(`must be true or false, got ${show(v)}`);
  if (c.type === 'string' && typeof x !== 'string') return bad(`must be a string, got ${show(v)}`);
  if (typeof x === 'number') {
    if (c.min !== undefined && (c.minExclusive ? x <= c.min : x < c.min)) return bad(`must be ${c.minExclusive ? '>' : '>='} ${c.min}, got ${x}`);
    if (c.max !== undefined && (c.maxExclusive ? x >= c.max : x > c.max)) return bad(`must be ${c.maxExclusive ? '<' : '<='} ${c.max}, got ${x}`);
  }
  if (c.oneOf && !c.oneOf.includes(x as string)) return bad(`must be one of ${c.oneOf.join(', ')}, got ${show(v)}`);
  return x;
}

function show(v: Located): string {
  if (v.kind !== 'scalar') return v.kind === 'map' ? 'a mapping' : 'a list';
  return v.value === null ? 'nothing' : typeof v.value === 'string' ? `'${v.value}'` : String(v.value);
}

function validate(
  file: string,
  tree: Extract<Located, { kind: 'map' }>,
  diags: Diagnostics,
  dir: string,
  display: (p: string) => string,
): LoadedSpec | undefined {
  for (const [k, e] of tree.entries) if (!TOP_KEYS.includes(k)) unknownKey(diags, 'the spec', k, e.key, TOP_KEYS);
  const section = (name: string): Extract<Located, { kind: 'map' }> | undefined => {
    const e = tree.entries.get(name);
    if (!e) return undefined;
    if (e.value.kind !== 'map') {
      diags.error(`'${name}' must be a mapping`, e.value.span);
      return undefined;
    }
    return e.value;
  };
  const nameE = tree.entries.get('name');
  const name = nameE?.value.kind === 'scalar' && typeof nameE.value.value === 'string' ? nameE.value.value : file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  const checked: Record<string, Record<string, unknown>> = {};
  for (const [sec, fields] of Object.entries(SCHEMA) as [string, Record<string, Check>][]) {
    const m = section(sec);
    const out: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(fields)) out[k] = c.default;
    if (m) {
      for (const [k, e] of m.entries) {
        const c = fields[k];
        if (!c) {
          unknownKey(diags, `'${sec}'`, k, e.key, Object.keys(fields));
          continue;
        }
        const v = checkValue(diags, `${sec}.${k}`, c, e.value);
        if (v !== undefined) out[k] = v;
      }
    }
    checked[sec] = out;
  }
  // Every key was defaulted and every given value checked against SCHEMA: the sections have their types.
  const config: SpecConfig = {
    name,
    hyper: {},
    audio: checked.audio as AudioConfig,
    text: checked.text as TextConfig,
    train: checked.train as TrainConfig,
    data: {},
  };
  for (const sec of ['hyper', 'data'] as const) {
    const m = section(sec);
    if (!m) continue;
    for (const [k, e] of m.entries) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) diags.error(`${sec} key '${k}' is not a valid name (letters, digits, _)`, e.key);
      if (sec === 'hyper' && (e.value.kind !== 'scalar' || e.value.value === null))
        diags.error(`hyper.${k} must be a number, bool or string, got ${show(e.value)}`, e.value.span);
      else config[sec][k] = plain(e.value);
    }
  }
  const model = section('model');
  if (!model) {
    diags.error("the spec has no 'model' section (model: { entry: ..., source: | ... })", tree.span);
    return undefined;
  }
  for (const [k, e] of model.entries) if (!MODEL_KEYS.includes(k)) unknownKey(diags, "'model'", k, e.key, MODEL_KEYS);
  const entryE = model.entries.get('entry');
  const entry = entryE?.value.kind === 'scalar' && typeof entryE.value.value === 'string' ? entryE.value.value : 'flap';
  if (entryE && (entryE.value.kind !== 'scalar' || typeof entryE.value.value !== 'string'))
    diags.error('model.entry must be a function name', entryE.value.span);
  const src = model.entries.get('source'),
    fileE = model.entries.get('file');
  let text: string | undefined, origin: SourceOrigin | undefined;
  if (src && fileE) diags.error("model: give either 'source' or 'file', not both", fileE.key);
  else if (src) {
    if (src.value.kind !== 'scalar' || typeof src.value.value !== 'string' || !src.value.origin) {
      diags.error('model.source must be a literal block (source: | followed by indented DSL lines)', src.value.span);
    } else {
      text = src.value.value;
      origin = src.value.origin;
    }
  } else if (fileE) {
    if (fileE.value.kind !== 'scalar' || typeof fileE.value.value !== 'string') diags.error('model.file must be a path', fileE.value.span);
    else {
      const p = resolve(dir, fileE.value.value);
      try {
        text = readFileSync(p, 'utf8');
        diags.sources.set(display(p), text);
        origin = { file: display(p), lineOffset: 0, colOffset: 0 };
      } catch {
        diags.error(`cannot read model file '${fileE.value.value}'`, fileE.value.span);
      }
    }
  } else diags.error("model needs 'source: |' (the DSL inline) or 'file:' (a .flap file)", model.span);
  if (diags.hasErrors || text === undefined || !origin) return undefined;
  return { file, tree, config, model: { text, origin, entry, entrySpan: entryE?.value.span ?? model.span } };
}
