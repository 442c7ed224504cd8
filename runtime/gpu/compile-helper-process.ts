// A compile helper (compile-helpers.ts explains why): a process of its own with its own device on
// the same adapter, which creates each pipeline it is sent and dispatches it once on zero buffers,
// so that the driver compiles it into Mesa's shader cache. Each batch is walked from its last
// pipeline back. It exits when its parent disconnects, after the pipeline in hand.
import { acquireGpu } from './device.ts';
import { compileOnce } from './compile-once.ts';
import type { WarmPipeline } from './gpu.ts';
import type { HelperMessage, HelperReport } from './compile-helpers.ts';
import { settle } from './quiet-wait.ts';

const queue: { batch: number; p: WarmPipeline }[] = [];
let stopping = false;
let wake: (() => void) | undefined;
const report: HelperReport = { received: 0, compiled: 0, dropped: 0, failed: 0, idle: true };

process.on('message', (m: HelperMessage) => {
  if ('drop' in m) {
    const kept = queue.filter((q) => q.batch !== m.drop);
    report.dropped += queue.length - kept.length;
    queue.splice(0, queue.length, ...kept);
  } else {
    report.received += m.items.length;
    queue.push(...[...m.items].reverse().map((p) => ({ batch: m.batch, p })));
  }
  wake?.();
});
process.on('disconnect', () => {
  stopping = true;
  wake?.();
});

/** Report to the parent, if it is still there to hear it. */
function tell(): void {
  if (process.connected) process.send?.(report);
}

async function main(): Promise<void> {
  const gpu = await acquireGpu();
  while (!stopping) {
    const p = queue.shift()?.p;
    if (!p) {
      report.idle = true;
      tell();
      await new Promise<void>((res) => (wake = res));
      continue;
    }
    report.idle = false;
    gpu.device.pushErrorScope('validation');
    let error = await compileOnce(gpu, p).then(
      () => undefined,
      (e: Error) => e.message,
    );
    error = (await settle(gpu.caps, () => gpu.device.popErrorScope()))?.message ?? error;
    if (error === undefined) report.compiled++;
    else {
      report.failed++;
      report.error = error;
    }
    tell();
  }
  gpu.destroy();
  process.exit(0);
}

main().catch(() => process.exit(1));
