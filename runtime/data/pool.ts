// A fixed pool of worker threads running featurize jobs, or the calling thread when workers = 0.
// Jobs queue FIFO; each worker holds one job, so results arrive as fast as cores allow while the
// caller decides how far ahead to submit (the loader's prefetch depth).
import { Worker } from 'node:worker_threads';
import { type FeaturizeJob, type FeaturizeResult, runFeaturizeJob } from './featurize-job.ts';

interface Pending {
  id: number;
  job: FeaturizeJob;
  resolve: (r: FeaturizeResult) => void;
  reject: (e: Error) => void;
}

export class FeaturizePool {
  private workers: { w: Worker; busy?: Pending; done: number }[] = [];
  private broken: Error | undefined;
  private queue: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  private spawn(): void {
    // The bootstrap registers tsx in the worker, so the TypeScript entry runs wherever we are hosted.
    const w = new Worker(new URL('./featurize-worker-boot.js', import.meta.url));
    const slot: { w: Worker; busy?: Pending; done: number } = { w, done: 0 };
    w.on('message', (m: { id: number; result: FeaturizeResult }) => {
      slot.done++;
      const p = slot.busy;
      slot.busy = undefined;
      if (p && p.id === m.id) p.resolve(m.result);
      this.pump();
    });
    w.on('error', (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      // A crashed worker fails its job (as a bad item) and is replaced.
      // A worker that never finished a job is broken (not a bad file): fail loudly, no respawn loop.
      const p = slot.busy;
      slot.busy = undefined;
      this.workers = this.workers.filter((s) => s !== slot);
      if (slot.done === 0) {
        this.broken = e;
        p?.reject(e);
        for (const q of this.queue.splice(0)) q.reject(e);
        return;
      }
      if (p) p.resolve({ ok: false, reason: `decoder crashed: ${e.message}` });
      if (!this.closed) {
        this.spawn();
        this.pump();
      }
    });
    w.unref();
    this.workers.push(slot);
  }

  private pump(): void {
    for (const s of this.workers) {
      if (s.busy || this.queue.length === 0) continue;
      const p = this.queue.shift()!;
      s.busy = p;
      s.w.ref();
      s.w.postMessage({ id: p.id, job: p.job });
    }
    for (const s of this.workers) if (!s.busy) s.w.unref();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  run(job: FeaturizeJob): Promise<FeaturizeResult> {
    if (this.closed) return Promise.reject(new Error('pool closed'));
    if (this.broken) return Promise.reject(this.broken);
    if (this.size === 0) return runFeaturizeJob(job);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue) p.reject(new Error('pool closed'));
    this.queue = [];
    await Promise.all(this.workers.map((s) => s.w.terminate()));
    this.workers = [];
  }
}
