// The bad-item report: one JSON object per line ({item, reason, origin}), written atomically.
import { renameSync, writeFileSync } from 'node:fs';
import type { BadItem } from './manifest.ts';

export function writeReport(path: string, bad: BadItem[]): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, bad.map((b) => JSON.stringify(b)).join('\n') + (bad.length ? '\n' : ''));
  renameSync(tmp, path);
}
