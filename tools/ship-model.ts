// Ship a trained model: the weights of a checkpoint (no optimizer moments) as F16 safetensors
// beside its spec (models/<name>.safetensors, which `--checkpoint` defaults to), with the test
// metrics and the commands that made it in the metadata.
//   node --import tsx tools/ship-model.ts models/flap-small.yaml runs/flap-small/best.safetensors \
//     --metrics runs/flap-small/test.json --command "flapc run train ..." --command "flapc run eval ..."
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OPT_PREFIX } from '../compiler/names.ts';
import { type Checkpoint, loadCheckpoint, saveCheckpoint } from '../runtime/train/state.ts';

export function shipWeights(ck: Checkpoint, out: string, extra: Record<string, string>): number {
  const tensors = [...ck.tensors.values()].filter((t) => !t.name.startsWith(OPT_PREFIX));
  saveCheckpoint(out, tensors, { ...ck.meta, kind: 'weights' }, undefined, 'F16', extra);
  return statSync(out).size;
}

if (process.argv[1]?.endsWith('ship-model.ts')) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { metrics: { type: 'string' }, command: { type: 'string', multiple: true } } });
  const [spec, from] = positionals;
  if (!spec?.endsWith('.yaml') || !from) {
    console.error('usage: tools/ship-model.ts models/<name>.yaml <checkpoint> [--metrics test.json] [--command "..."]...');
    process.exit(2);
  }
  const out = spec.replace(/\.yaml$/, '.safetensors');
  const bytes = shipWeights(loadCheckpoint(from), out, {
    shipped_from: from,
    ...(values.metrics && { test_metrics: JSON.stringify(JSON.parse(readFileSync(values.metrics, 'utf8'))) }),
    ...(values.command && { commands: JSON.stringify(values.command) }),
  });
  console.log(`${out}: ${(bytes / 2 ** 20).toFixed(1)} MiB (F16 weights)`);
}
