// Every shipped spec compiles, variants differ from their base only where they should,
// and `flapc compile` reports the figures, writes plans and fails cleanly on bad specs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BASELINE_CAPS } from '../compiler/caps.ts';
import { type CompiledSpec, compileSpec } from '../compiler/frontend/compile-spec.ts';
import { Diagnostics, renderDiagnostics } from '../compiler/frontend/diagnostics.ts';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(DIR, '..');
const CAPS = { ...BASELINE_CAPS, maxStorageBuffersPerShaderStage: 16 };
const SPECS = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const compiled = new Map<string, CompiledSpec>();

function get(name: string): CompiledSpec {
  let c = compiled.get(name);
  if (!c) {
    const d = new Diagnostics();
    const r = compileSpec(join(DIR, name), CAPS, d, ROOT);
    if (!r) throw new Error(renderDiagnostics(d.list, d.sources));
    compiled.set(name, (c = r));
  }
  return c;
}
const paramNames = (c: CompiledSpec): string[] => c.model.params.map((p) => p.name).sort();
const prims = (c: CompiledSpec): Set<string> => new Set(c.model.train.graph.eqns.map((e) => e.prim));

describe('models/', () => {
  it('ships the paper-scale spec, the tiny one, the CLAP baseline, the ablations and the shipped model with its quickstart size', () => {
    expect(SPECS).toEqual([
      'clap-tiny.yaml',
      'flap-small-quick.yaml',
      'flap-small.yaml',
      'flap-tiny-1view.yaml',
      'flap-tiny-2d.yaml',
      'flap-tiny-norecon.yaml',
      'flap-tiny.yaml',
      'flap.yaml',
    ]);
  });

  for (const name of SPECS) {
    it(`${name} compiles with the figures the summary promises`, () => {
      const s = get(name).summary;
      expect(s.parameters).toBeGreaterThan(0);
      expect(s.train.flops).toBeGreaterThan(s.eval.flops);
      expect(s.train.kernels).toBeGreaterThan(s.eval.kernels);
      expect(s.train.memoryBytes).toBeGreaterThan(0);
      expect(s.outputs.map((o) => o.name)).toEqual(['audio_emb', 'text_emb']);
      expect(s.losses.map((l) => l.name)).toContain('contrastive');
    }, 60_000);
  }

  it('flap.yaml is paper scale: ViT-B over 512 patches, 12-layer text encoder, 512x8 decoder', () => {
    const c = get('flap.yaml');
    const p = new Map(c.model.params.map((x) => [x.name, x.shape]));
    expect(p.get('patch_embed.w')).toEqual([256, 768]);
    expect(p.get('audio_pos.table')).toEqual([512, 768]);
    expect(c.model.params.filter((x) => /^audio_encoder\.blocks\.\d+\.transformer_block_0\.attn\.qkv\.w$/.test(x.name))).toHaveLength(12);
    expect(c.model.params.filter((x) => /^text_encoder\.blocks\.\d+\.transformer_block_0\.attn\.qkv\.w$/.test(x.name))).toHaveLength(12);
    expect(c.model.params.filter((x) => /^decoder\.blocks\.\d+\.transformer_block_0\.attn\.qkv\.w$/.test(x.name))).toHaveLength(8);
    expect(p.get('decoder_embed.w')).toEqual([768, 512]);
    // 2 views x 1-D drop of 75%: the encoder sees 128 of 512 tokens per view
    expect(c.model.train.graph.eqns.filter((e) => e.prim === 'argsort')).toHaveLength(4);
    expect(c.summary.losses).toEqual([
      { name: 'contrastive', weight: 1 },
      { name: 'reconstruction', weight: 1 },
    ]);
  }, 60_000);

  it('variants differ from flap-tiny only by their knob', () => {
    const base = get('flap-tiny.yaml'),
      clap = get('clap-tiny.yaml');
    expect(prims(clap).has('argsort')).toBe(false); // no masking
    expect(clap.summary.losses.map((l) => l.name)).toEqual(['contrastive']);
    expect(paramNames(clap)).toEqual(paramNames(base).filter((n) => !/^(decoder|mask_token)/.test(n)));
    expect(paramNames(get('flap-tiny-1view.yaml'))).toEqual(paramNames(base));
    expect(get('flap-tiny-1view.yaml').model.train.graph.eqns.filter((e) => e.prim === 'argsort').length).toBe(
      base.model.train.graph.eqns.filter((e) => e.prim === 'argsort').length / 2,
    );
    expect(paramNames(get('flap-tiny-norecon.yaml'))).toEqual(paramNames(clap));
    expect(get('flap-tiny-norecon.yaml').summary.losses.map((l) => l.name)).toEqual(['contrastive']);
    expect(paramNames(get('flap-tiny-2d.yaml'))).toEqual(paramNames(base));
    expect(get('flap-tiny-2d.yaml').model.train.graph.eqns.filter((e) => e.prim === 'argsort').length).toBeGreaterThan(
      base.model.train.graph.eqns.filter((e) => e.prim === 'argsort').length,
    );
  }, 120_000);
});

describe('flapc compile', () => {
  const flapc = (args: string[]): { code: number | null; out: string; err: string } => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/flapc.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('--emit summary --json gives parameters, FLOPs, kernels, memory and the limits checked', () => {
    const r = flapc(['compile', 'models/flap-tiny.yaml', '--target', 'baseline', '--json']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as {
      ok: boolean;
      parameters: number;
      train: Record<string, number>;
      eval: Record<string, number>;
      limits: Record<string, unknown>;
      adapter: string;
    };
    expect(s.ok).toBe(true);
    expect(s.parameters).toBe(get('flap-tiny.yaml').summary.parameters);
    expect(s.train.flops).toBeGreaterThan(1e9);
    expect(s.train.kernels).toBeGreaterThan(100);
    expect(s.train.memoryBytes).toBeGreaterThan(1e6);
    expect(s.limits.maxStorageBuffersPerShaderStage).toBe(BASELINE_CAPS.maxStorageBuffersPerShaderStage);
  }, 120_000);

  it('a bad spec exits 2 with located diagnostics and no stack trace; --json gives them as data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flapc-bad-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, `extends: ${join(DIR, 'flap-tiny.yaml')}\ntrain:\n  lr: -1\n`);
    const r = flapc(['compile', bad, '--target', 'baseline']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:3:7: error: train\.lr: must be > 0, got -1\n {4}lr: -1\n {8}\^\^/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const j = flapc(['compile', bad, '--target', 'baseline', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.out)).toMatchObject({ ok: false, diagnostics: [{ severity: 'error', line: 3, col: 7 }] });
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('-o writes manifest, plans and WGSL, and never writes into a foreign directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flapc-out-'));
    const out = join(dir, 'tiny');
    const r = flapc(['compile', 'models/clap-tiny.yaml', '--target', 'baseline', '-o', out]);
    expect(r.code, r.err).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { format: string; params: unknown[] };
    expect(manifest.format).toBe('flapc-compiled');
    expect(manifest.params.length).toBe(get('clap-tiny.yaml').model.params.length);
    expect(JSON.parse(readFileSync(join(out, 'train.plan.json'), 'utf8')).format).toBe('flapc-plan');
    expect(readdirSync(join(out, 'wgsl')).length).toBeGreaterThan(10);
    const foreign = join(dir, 'mine');
    rmSync(foreign, { recursive: true, force: true });
    writeFileSync(join(dir, 'keep.txt'), 'x');
    const f = flapc(['compile', 'models/clap-tiny.yaml', '--target', 'baseline', '-o', dir]);
    expect(f.code).toBe(2);
    expect(f.err).toMatch(/exists and is not a flapc output/);
    expect(existsSync(join(dir, 'keep.txt'))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('flapc run loads a compiled plan and trains it on the GPU (the loss falls on the fixed batch)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flapc-run-'));
    const out = join(dir, 'micro');
    const c = flapc(['compile', 'runtime/exec/fixtures/micro-flap.yaml', '-o', out]);
    expect(c.code, c.err).toBe(0);
    const r = flapc(['run', out, '--steps', '8', '--json', '--out', join(dir, 'run')]);
    expect(r.code, r.err).toBe(0);
    // --json: one JSON line per step, then the summary.
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const history = lines.filter((l) => 'loss' in l) as Record<string, number>[];
    const s = (lines[lines.length - 1] as { summary: { steps: number; first: Record<string, number>; last: Record<string, number> } }).summary;
    expect(history).toHaveLength(8);
    expect(s.steps).toBe(8);
    for (const h of history) for (const k of ['loss', 'grad_norm', 'loss.contrastive', 'loss.reconstruction']) expect(Number.isFinite(h[k])).toBe(true);
    expect(s.last.loss).toBeLessThan(s.first.loss!);
    const bad = flapc(['run', join(dir, 'nothing-here')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/no such spec or compiled directory/);
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it("FLAPC_DEBUG=1..3 prints each step's IR, kernels and WGSL for flapc compile (it once printed nothing)", () => {
    const run = (level: string): string => {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/flapc.js'), 'compile', 'runtime/exec/fixtures/micro-flap.yaml', '--target', 'baseline'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, FLAPC_DEBUG: level },
        timeout: 120_000,
        maxBuffer: 256 << 20,
      });
      expect(r.status, r.stderr).toBe(0);
      return r.stderr;
    };
    const one = run('1'),
      three = run('3');
    expect(one).toMatch(/== micro-flap: training step ==\n== graph IR \(\d+ equations\) ==/);
    expect(one).toMatch(/== micro-flap: evaluation step ==/);
    expect(one).not.toMatch(/kernel matmul/);
    expect(three).toMatch(/kernel matmul .* dispatch \d+x\d+x\d+ {2}pipeline [0-9a-f]{16}/);
    expect(three).toMatch(/@compute @workgroup_size/);
  }, 300_000);

  it('--emit ir|kernels|wgsl|plan print the graph IR, one line per kernel, the WGSL and the plan', () => {
    const emit = (what: string, graph = 'train'): string => {
      const r = flapc(['compile', 'models/clap-tiny.yaml', '--target', 'baseline', '--emit', what, '--graph', graph]);
      expect(r.code, r.err).toBe(0);
      return r.out;
    };
    expect(emit('ir')).toMatch(/= matmul\(%\d+, %\d+\) +# models\/flap.yaml:\d+:\d+/);
    expect(
      emit('ir', 'eval')
        .split('\n')
        .filter((l) => / = /.test(l)).length,
    ).toBeLessThan(
      emit('ir')
        .split('\n')
        .filter((l) => / = /.test(l)).length,
    );
    const k = emit('kernels').trim().split('\n');
    const summary = JSON.parse(flapc(['compile', 'models/clap-tiny.yaml', '--target', 'baseline', '--json']).out) as { train: { kernels: number } };
    expect(k.length).toBe(summary.train.kernels);
    expect(k.every((l) => /^(elementwise|reduce|matmul|argsort|scatter_add)/.test(l))).toBe(true);
    expect((emit('wgsl').match(/@compute/g) ?? []).length).toBe(JSON.parse(emit('plan')).pipelines.length);
    expect(JSON.parse(emit('plan', 'eval')).format).toBe('flapc-plan');
  }, 120_000);
});
