// Worker-thread entry: runs featurize jobs posted by WorkerPool, one at a time.
import { parentPort } from 'node:worker_threads';
import { type FeaturizeJob, runFeaturizeJob } from './featurize-job.ts';

parentPort!.on('message', (msg: { id: number; job: FeaturizeJob }) => {
  void runFeaturizeJob(msg.job).then((r) => {
    const transfer = r.ok ? [r.features.mel.buffer as ArrayBuffer] : [];
    parentPort!.postMessage({ id: msg.id, result: r }, transfer);
  });
});
