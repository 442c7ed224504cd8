#!/usr/bin/env node
// Launcher: run the TypeScript CLI through tsx's ESM loader. A larger young generation
// cuts garbage-collection time while compiling big graphs (flap.yaml: 6.2 s -> 4.4 s).
// Dawn prints driver chatter on stderr ("... artificially reduced ..."); it reaches the user
// only with FLAPC_DEBUG set. The child learns whether the real stderr is a terminal (for the
// live progress line) through FLAPC_STDERR_TTY, since its own stderr is this filter's pipe.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// tsx by absolute URL: a bare '--import tsx' resolves from the caller's working directory.
const tsx = import.meta.resolve('tsx');
const debug = Number(process.env.FLAPC_DEBUG ?? 0) > 0;
const DAWN_CHATTER = /^Warning: max\w+ artificially reduced from \d+ to \d+/;

const env = {
  ...process.env, ...(process.stderr.isTTY && { FLAPC_STDERR_TTY: '1', COLUMNS: String(process.stderr.columns ?? 120) }),
  // LanceDB's own log (e.g. "partition 150 is empty, skipping" while building an IVF-PQ index): errors only unless debugging.
  LANCEDB_LOG: process.env.LANCEDB_LOG ?? (debug ? 'warn' : 'error'),
};
const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', tsx, join(root, 'runtime/cli/main.ts'), ...process.argv.slice(2)], {
  stdio: ['inherit', 'inherit', debug ? 'inherit' : 'pipe'], env,
});
if (!debug) {
  // Lines pass through as they come; a live progress line (\r, no newline) is passed on at once.
  child.stderr.setEncoding('utf8');
  let pending = '';
  child.stderr.on('data', (chunk) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop();
    for (const line of parts) if (!DAWN_CHATTER.test(line)) process.stderr.write(`${line}\n`);
    // A partial line that may still become chatter waits for its newline.
    if (pending && !('Warning: max'.startsWith(pending) || pending.startsWith('Warning: max'))) { process.stderr.write(pending); pending = ''; }
  });
  child.stderr.on('end', () => { if (pending && !DAWN_CHATTER.test(pending)) process.stderr.write(pending); });
}
// Ctrl-C reaches the whole process group, and a signal sent to this process alone is passed on:
// the child may see one Ctrl-C twice, so it ignores a repeat within a second.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { child.kill(sig); });
child.on('exit', (code, signal) => {
  // A crash inside the GPU driver (e.g. a segfault compiling a huge shader) must not exit silently.
  if (signal === 'SIGINT') process.exit(130);
  if (signal) console.error(`flapc: the process died of ${signal} (a crash in the GPU driver or Node, not a user error)`);
  process.exit(code ?? 1);
});
