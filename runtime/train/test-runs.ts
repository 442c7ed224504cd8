// Shared by the training tests that drive `flapc run train` as a child process (resume,
// unmasked tuning): its argument list and the metrics it writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FLAPC_BIN = fileURLToPath(new URL('../../bin/flapc.js', import.meta.url));

export interface TrainRun {
  spec: string;
  data: string;
  steps: number;
  saveEvery: number;
}

/** node's argv for `flapc run train <spec> ... --out <out> --json [extra]`. */
export const trainArgs = (r: TrainRun, out: string, extra: string[] = []): string[] => [
  FLAPC_BIN,
  'run',
  'train',
  r.spec,
  '--data',
  r.data,
  '--steps',
  String(r.steps),
  '--save-every',
  String(r.saveEvery),
  '--out',
  out,
  '--json',
  ...extra,
];

export type MetricsRow = { step: number; loss: number; lr: number; [k: string]: number };

/** The rows of a run's metrics.jsonl. */
export const metricsRows = (out: string): MetricsRow[] =>
  readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as MetricsRow);
