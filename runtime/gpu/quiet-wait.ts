// Waiting for GPU work without spinning a CPU core.
//
// Dawn's Node binding settles its promises (mapAsync, onSubmittedWorkDone, popErrorScope,
// createComputePipelineAsync) by ticking the device from a loop of `setImmediate` callbacks,
// which it looks up on globalThis at every turn, for as long as any of them is pending: the main
// thread runs at 100 % of a core until the GPU is done. On a CPU adapter that core is one of the
// ones the "GPU" runs on: on the 2-core host, flap-small-quick's step took 420 ms with the loop
// spinning (main thread 3.6 s of CPU in 4.3 s of wall) and 234 ms with it ticking from a 1 ms
// timer (main thread 0.1-0.2 s of CPU); bench/RESULTS.md, session 13. So while flapc waits on a
// CPU adapter, the global setImmediate is swapped for a 1 ms timer; every other caller of it in
// that window (the main thread is idle then) waits at most 1 ms more. On a real GPU the spin
// costs no GPU time and its latency is lower, so nothing changes there.
import type { DeviceCaps } from '../../compiler/caps.ts';

/** How often Dawn's events are processed while flapc waits on a CPU adapter. */
const TICK_MS = 1;

type Immediate = typeof globalThis.setImmediate;
type ClearImmediate = typeof globalThis.clearImmediate;

let waiters = 0;
let native: { set: Immediate; clear: ClearImmediate } | undefined;
const timers = new WeakSet<object>();

const timedImmediate = ((callback: (...args: unknown[]) => void, ...args: unknown[]) => {
  const t = setTimeout(callback, TICK_MS, ...args);
  timers.add(t);
  return t;
}) as unknown as Immediate;

const timedClear = ((handle: unknown) => {
  // A handle from timedImmediate is a Timeout: clearImmediate would corrupt the immediate queue's count.
  if (handle && typeof handle === 'object' && timers.has(handle)) clearTimeout(handle as ReturnType<typeof setTimeout>);
  else native?.clear(handle as Parameters<ClearImmediate>[0]);
}) as ClearImmediate;

function enter(): void {
  if (waiters++ > 0) return;
  native = { set: globalThis.setImmediate, clear: globalThis.clearImmediate };
  globalThis.setImmediate = timedImmediate;
  globalThis.clearImmediate = timedClear;
}

function leave(): void {
  if (--waiters > 0 || !native) return;
  globalThis.setImmediate = native.set;
  globalThis.clearImmediate = native.clear;
  native = undefined;
}

/** Whether waits on this adapter tick from a timer (a CPU adapter, in a runtime with setImmediate). */
export const quietWaits = (caps: Pick<DeviceCaps, 'cpu'>): boolean => caps.cpu && typeof globalThis.setImmediate === 'function';

/**
 * Await GPU work started by `start` (called inside the quiet window, so the binding's first tick
 * is already a timer). Windows nest and overlap: the global is restored when the last one ends.
 */
export async function settle<T>(caps: Pick<DeviceCaps, 'cpu'>, start: () => Promise<T>): Promise<T> {
  if (!quietWaits(caps)) return start();
  enter();
  try {
    return await start();
  } finally {
    leave();
  }
}
