// `flapc data tag <manifest|folder ...> --checkpoint model.safetensors --spec spec.yaml
//  --labels labels.txt --out tags.jsonl [--top 3] [--prompt "the sound of {label}"]`: zero-shot
// audio-event tags from a trained checkpoint, so `flapc data augment` works on unlabelled data.
// Each label becomes a text prompt; each clip gets the labels whose text embeddings are nearest
// (cosine) to its audio embedding.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ManifestError, openDataset } from '../data/manifest.ts';
import { normOf } from '../eval/checkpoint-eval.ts';
import { acquireGpu } from '../gpu/device.ts';
import { loadModel } from '../model/model.ts';
import { loadCheckpoint } from '../train/state.ts';

import { UserError } from '../errors.ts';
import { zeroShotTags } from '../eval/tags.ts';

export function readLabels(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read labels: ${(e as Error).message}`);
  }
  const labels = [
    ...new Set(
      text
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim())
        .filter(Boolean),
    ),
  ];
  if (labels.length < 2) throw new UserError(`${path}: need at least two labels (one per line)`);
  return labels;
}

export async function tagCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      checkpoint: { type: 'string' },
      spec: { type: 'string' },
      labels: { type: 'string' },
      out: { type: 'string' },
      top: { type: 'string' },
      prompt: { type: 'string' },
      workers: { type: 'string' },
    },
  });
  if (positionals.length === 0 || !values.checkpoint || !values.spec || !values.labels || !values.out) {
    throw new UserError(
      'usage: flapc data tag <manifest|folder ...> --checkpoint model.safetensors --spec spec.yaml --labels labels.txt --out tags.jsonl [--top 3]',
    );
  }
  const top = values.top === undefined ? 3 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UserError(`--top must be a positive integer, got '${values.top}'`);
  const prompt = values.prompt ?? 'the sound of {label}';
  if (!prompt.includes('{label}')) throw new UserError('--prompt must contain {label}');
  const labels = readLabels(values.labels);
  const ckpt = loadCheckpoint(values.checkpoint);
  normOf(ckpt); // a checkpoint without log-mel statistics is refused before the GPU starts
  let ds: ReturnType<typeof openDataset>;
  try {
    ds = openDataset(positionals);
  } catch (e) {
    if (e instanceof ManifestError) throw new UserError(e.message);
    throw e;
  }
  const gpu = await acquireGpu();
  try {
    const r = await zeroShotTags(gpu, loadModel(gpu, values.spec), ckpt, ds, labels, {
      top,
      prompt,
      workers: values.workers === undefined ? 2 : Number(values.workers),
      log,
    });
    const lines = r.rows.map((x) => JSON.stringify(x));
    const tmp = `${values.out}.tmp-${process.pid}`;
    writeFileSync(tmp, lines.join('\n') + (lines.length ? '\n' : ''));
    renameSync(tmp, values.out);
    console.log(
      `${values.out}: top-${top} tags for ${r.rows.length} clips from ${labels.length} labels${r.bad.length ? `; ${r.bad.length} items could not be loaded (flapc data check lists them)` : ''}`,
    );
  } finally {
    gpu.destroy();
  }
  return 0;
}
