// Progress for long work. On a terminal: one live line, redrawn in place with Node's own TTY
// calls (cursorTo/clearLine), at most every 100 ms. On a pipe: plain lines, one every
// `pipeEvery` updates and at the end, never escape codes. The launcher (bin/flapc.js) filters
// the child's stderr, so it tells the child whether the real stderr is a terminal.
import { clearLine, cursorTo } from 'node:readline';

export interface Progress {
  /** Replace the live line (terminal) or maybe print it (pipe). */
  update(line: string): void;
  /** A line that stays (validation results, warnings). */
  log(line: string): void;
  /** Leave the live line as it is and move on. */
  done(): void;
}

export function stderrIsTerminal(): boolean {
  return process.env.FLAPC_STDERR_TTY === '1' || !!process.stderr.isTTY;
}

export function createProgress(opts: { quiet?: boolean; pipeEvery?: number; stream?: NodeJS.WritableStream; terminal?: boolean } = {}): Progress {
  const out = opts.stream ?? process.stderr;
  if (opts.quiet) return { update: () => {}, log: () => {}, done: () => {} };
  const terminal = opts.terminal ?? stderrIsTerminal();
  const every = Math.max(1, opts.pipeEvery ?? 10);
  let live = '',
    n = 0,
    last = 0;
  const columns = (): number => (out as { columns?: number }).columns ?? (Number(process.env.COLUMNS) || 120);
  const draw = (): void => {
    cursorTo(out, 0);
    out.write(live.length > columns() - 1 ? live.slice(0, columns() - 1) : live);
    clearLine(out, 1);
  };
  return {
    update(line) {
      live = line;
      if (!terminal) {
        if (n++ % every === 0) out.write(`${line}\n`);
        return;
      }
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        draw();
      }
    },
    log(line) {
      if (terminal && live) {
        cursorTo(out, 0);
        clearLine(out, 0);
      }
      out.write(`${line}\n`);
      if (terminal && live) draw();
    },
    done() {
      if (terminal && live) {
        draw();
        out.write('\n');
      } else if (!terminal && live && (n - 1) % every !== 0) out.write(`${live}\n`);
      live = '';
    },
  };
}

/** "1h 02m", "3m 05s", "42s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}
