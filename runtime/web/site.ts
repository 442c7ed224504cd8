// `flapc run web`: a static site that runs a trained model in the browser. The evaluation plan
// is compiled for the WebGPU baseline limits (no subgroups, no f16), so it runs on any adapter;
// the page (runtime/web/app.ts and the node-free runtime modules it imports) is bundled by
// esbuild for the browser, which fails on any Node import that slipped in.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { serializePlan } from '../../compiler/index.ts';
import { UserError } from '../errors.ts';
import { frontEndFromSpec } from '../data/frontend.ts';
import { fileHash } from '../index/embed-library.ts';
import { type Model, modelTokenizer } from '../model/model.ts';
import { normOf } from '../eval/checkpoint-eval.ts';
import { type Checkpoint, weightsFor } from '../train/state.ts';
import type { SiteMeta } from './app.ts';
import { encodeSafetensors } from './weights.ts';

const APP = fileURLToPath(new URL('./app.ts', import.meta.url));
const PAGE = fileURLToPath(new URL('./index.html', import.meta.url));

/** The page script: app.ts and its imports as one browser ES module. */
export async function bundleApp(): Promise<string> {
  const r = await build({
    entryPoints: [APP],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}

export interface SiteSummary {
  out: string;
  files: { name: string; bytes: number }[];
  weights: 'f32' | 'f16';
}

export async function buildSite(model: Model, ck: Checkpoint, out: string, o: { weights: 'f32' | 'f16' }): Promise<SiteSummary> {
  const weights = weightsFor(ck, model.params, model); // refuses a checkpoint of another model
  const norm = normOf(ck);
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, 'meta.json')))
    throw new UserError(`${out} exists and is not a flapc site: choose another --out`);
  const shapes = new Map(model.params.map((p) => [p.name, [...p.shape]]));
  const meta: SiteMeta = {
    model: model.name,
    specHash: model.specHash,
    checkpointHash: fileHash(ck.path),
    weights: o.weights,
    fe: { ...frontEndFromSpec(model.audio), longAudio: 'chunks' },
    norm,
    params: model.params.map((p) => ({ name: p.name, shape: [...p.shape], init: p.init, ...(p.trainable !== undefined && { trainable: p.trainable }) })),
  };
  const files: [string, string | Uint8Array][] = [
    ['index.html', readFileSync(PAGE, 'utf8').replaceAll('{{model}}', model.name)],
    ['app.js', await bundleApp()],
    ['meta.json', JSON.stringify(meta)],
    ['eval.plan.json', serializePlan(model.evalPlan)],
    ['vocab.txt', modelTokenizer(model).tokens.join('\n')],
    [
      'weights.safetensors',
      encodeSafetensors(
        [...weights].map(([name, data]) => ({ name, shape: shapes.get(name)!, data })),
        { model: model.name, spec_hash: model.specHash },
        o.weights === 'f16',
      ),
    ],
  ];
  // Written beside the target and renamed: no half-written site.
  const tmp = `${resolve(out)}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const [name, data] of files) writeFileSync(join(tmp, name), data);
  mkdirSync(dirname(resolve(out)), { recursive: true });
  rmSync(out, { recursive: true, force: true });
  renameSync(tmp, out);
  return { out, weights: o.weights, files: files.map(([name, data]) => ({ name, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length })) };
}
