// Located diagnostics: every user mistake becomes `file:line:col: error: message`, the
// source line and a caret. Errors are collected (several per run), never thrown as bare
// exceptions, so the CLI can print them all and exit 2.

export interface Span {
  file: string;
  /** 1-based line and column in `file`. */
  line: number;
  col: number;
  /** Length of the marked text on that line (>= 1). */
  len?: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  span?: Span;
}

/** Collects diagnostics. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];
  /** Text of every file read so far (display path -> text), for rendering carets. */
  readonly sources = new Map<string, string>();
  /** Stop after this many errors: a broken file should not print thousands of lines. */
  static readonly MAX = 50;
  error(message: string, span?: Span): void {
    if (this.list.length < Diagnostics.MAX) this.list.push(span ? { severity: 'error', message, span } : { severity: 'error', message });
  }
  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  const at = d.span ? `${d.span.file}:${d.span.line}:${d.span.col}: ` : '';
  return `${at}${d.severity}: ${d.message}`;
}

/** Text rendering with the offending source line and a caret under the span. */
export function renderDiagnostics(ds: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const out: string[] = [];
  for (const d of ds) {
    out.push(formatDiagnostic(d));
    const text = d.span && sources.get(d.span.file);
    if (!d.span || text === undefined) continue;
    const line = text.split(/\r?\n/)[d.span.line - 1];
    if (line === undefined) continue;
    const shown = line.replace(/\t/g, ' ');
    out.push(`  ${shown}`);
    const width = Math.max(1, Math.min(d.span.len ?? 1, Math.max(1, shown.length - d.span.col + 1)));
    out.push(`  ${' '.repeat(Math.max(0, d.span.col - 1))}${'^'.repeat(width)}`);
  }
  return out.join('\n');
}

/** JSON form for --json (stable field names). */
export function diagnosticsJson(ds: readonly Diagnostic[]): object[] {
  return ds.map((d) => ({ severity: d.severity, message: d.message, ...(d.span && { file: d.span.file, line: d.span.line, col: d.span.col }) }));
}
