// `flapc run report DIR`: one self-contained HTML file (works offline, no network) from a run
// folder: loss terms, learning rate and logit scale over steps, validation R@k and mAP@10 over
// steps, the final metrics table, a similarity heatmap of validation clips vs their captions,
// and recall per tag. Curves are drawn by uPlot, inlined into the page.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { UserError } from '../errors.ts';

interface Row {
  step: number;
  [k: string]: unknown;
}
export interface ReportData {
  title: string;
  run: Record<string, unknown> | null;
  steps: Row[];
  vals: Row[];
  validation: {
    step: number;
    metrics: Record<string, unknown>;
    similarity: { clips: string[]; captions: string[]; sim: number[][] };
    byTag: { tag: string; clips: number; queries: number; r1: number; r10: number }[];
  } | null;
}

export function readRun(dir: string): ReportData {
  const metrics = join(dir, 'metrics.jsonl');
  if (!existsSync(metrics)) throw new UserError(`${dir} has no metrics.jsonl: is it a run folder? (flapc run train --out ${dir} writes one)`);
  const rows: Row[] = [];
  readFileSync(metrics, 'utf8')
    .split('\n')
    .forEach((l) => {
      if (l.trim()) {
        try {
          rows.push(JSON.parse(l) as Row);
        } catch {
          /* a line cut by a kill */
        }
      }
    });
  const json = (f: string): unknown => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : null);
  const run = json('run.json') as Record<string, unknown> | null;
  return {
    title: String(run?.model ?? dir),
    run,
    steps: rows.filter((r) => !('val' in r)),
    vals: rows.filter((r) => 'val' in r),
    validation: json('validation.json') as ReportData['validation'],
  };
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: unknown): string => (typeof x === 'number' ? (100 * x).toFixed(1) : '-');

function metricsTable(d: ReportData): string {
  const m = d.validation?.metrics as { a2t: Record<string, number>; t2a: Record<string, number>; clips: number; captions: number } | undefined;
  const lastRow = d.vals[d.vals.length - 1];
  const last = lastRow?.val as { a2t: Record<string, number>; t2a: Record<string, number>; clips: number; captions: number } | undefined;
  const src = m ?? last;
  const at = d.validation?.step ?? lastRow?.step;
  const best = d.vals.reduce<Row | undefined>((b, r) => (!b || (r.val as { map10: number }).map10 > (b.val as { map10: number }).map10 ? r : b), undefined);
  if (!src) return '<p>No validation in this run (train with <code>--val</code> to get retrieval metrics here).</p>';
  const row = (dir: string, x: Record<string, number>): string =>
    `<tr><td>${dir}</td><td>${pct(x.r1)}</td><td>${pct(x.r5)}</td><td>${pct(x.r10)}</td><td>${pct(x.map10)}</td><td>${x.meanRank?.toFixed(1) ?? '-'}</td><td>${x.medianRank ?? '-'}</td></tr>`;
  return `<table class="metrics"><thead><tr><th></th><th>R@1</th><th>R@5</th><th>R@10</th><th>mAP@10</th><th>mean rank</th><th>median rank</th></tr></thead><tbody>${row('audio → text', src.a2t)}${row('text → audio', src.t2a)}</tbody></table>
<p class="note">Validation at step ${at}: ${src.clips} clips, ${src.captions} captions; chance R@1 = ${pct(1 / src.clips)} %.${best && best.step !== at ? ` The best validation (mean mAP@10 ${pct((best.val as { map10: number }).map10)} %) was at step ${best.step}: that checkpoint is best.safetensors.` : ''}</p>`;
}

function heatmap(d: ReportData): string {
  const s = d.validation?.similarity;
  if (!s || s.sim.length === 0) return '';
  const all = s.sim.flat(),
    lo = Math.min(...all),
    hi = Math.max(...all);
  const colour = (v: number): string => {
    const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    return `hsl(${220 - 220 * t}, 70%, ${92 - 45 * t}%)`;
  };
  const head = s.captions.map((c, j) => `<th title="${esc(c)}">${j + 1}</th>`).join('');
  const body = s.sim
    .map(
      (r, i) =>
        `<tr><th title="${esc(s.clips[i]!)}">${esc(s.clips[i]!.slice(0, 28))}</th>${r.map((v, j) => `<td style="background:${colour(v)}" title="${esc(s.clips[i]!)} vs &quot;${esc(s.captions[j]!)}&quot;: ${v.toFixed(3)}"${i === j ? ' class="diag"' : ''}>${v.toFixed(2)}</td>`).join('')}</tr>`,
    )
    .join('');
  const legend = s.captions.map((c) => `<li>${esc(c)}</li>`).join('');
  return `<h2>Similarity: validation clips × their captions (step ${d.validation!.step})</h2>
<p class="note">Cosine similarity of audio and text embeddings; the matching pairs are on the diagonal (outlined). A good model makes the diagonal the hottest cell of each row.</p>
<div class="scroll"><table class="heat"><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table></div><ol class="captions">${legend}</ol>`;
}

function byTag(d: ReportData, most = 30): string {
  const all = d.validation?.byTag;
  if (!all || all.length === 0) return '';
  const t = all.slice(0, most);
  const rows = t
    .map(
      (x) =>
        `<tr><td>${esc(x.tag)}</td><td>${x.clips}</td><td>${x.queries}</td><td><span class="bar" style="width:${(100 * x.r1).toFixed(0)}px"></span>${pct(x.r1)}</td><td><span class="bar" style="width:${(100 * x.r10).toFixed(0)}px"></span>${pct(x.r10)}</td></tr>`,
    )
    .join('');
  const more = all.length > most ? `<p class="note">The ${most} tags with the most clips of ${all.length}; validation.json has them all.</p>` : '';
  return `<h2>Text → audio recall per tag (validation at step ${d.validation!.step})</h2>${more}<table class="metrics"><thead><tr><th>tag</th><th>clips</th><th>queries</th><th>R@1 %</th><th>R@10 %</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Series for the charts: x = steps, one array per curve (null where a row lacks it). */
export function chartData(d: ReportData): { id: string; title: string; x: number[]; series: { label: string; values: (number | null)[] }[] }[] {
  const lossKeys = [...new Set(d.steps.flatMap((r) => Object.keys(r).filter((k) => k === 'loss' || k.startsWith('loss.'))))];
  const col = (rows: Row[], f: (r: Row) => unknown): (number | null)[] =>
    rows.map((r) => {
      const v = f(r);
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    });
  const x = d.steps.map((r) => r.step),
    vx = d.vals.map((r) => r.step);
  const charts = [
    { id: 'loss', title: 'Loss terms', x, series: lossKeys.map((k) => ({ label: k === 'loss' ? 'total' : k.slice(5), values: col(d.steps, (r) => r[k]) })) },
    { id: 'lr', title: 'Learning rate', x, series: [{ label: 'lr', values: col(d.steps, (r) => r.lr) }] },
    { id: 'scale', title: 'Logit scale (1 / temperature)', x, series: [{ label: 'logit scale', values: col(d.steps, (r) => r.logit_scale) }] },
  ];
  if (d.vals.length) {
    const v = (dir: 'a2t' | 't2a', k: string) => col(d.vals, (r) => (r.val as Record<string, Record<string, number>>)[dir]?.[k]);
    charts.push({
      id: 'val',
      title: 'Validation retrieval (%)',
      x: vx,
      series: [
        { label: 'A→T R@1', values: v('a2t', 'r1') },
        { label: 'A→T R@10', values: v('a2t', 'r10') },
        { label: 'T→A R@1', values: v('t2a', 'r1') },
        { label: 'T→A R@10', values: v('t2a', 'r10') },
        { label: 'mAP@10 (mean)', values: col(d.vals, (r) => (r.val as { map10: number }).map10) },
      ].map((s) => ({ ...s, values: s.values.map((y) => (y === null ? null : 100 * y)) })),
    });
  }
  return charts.filter((c) => c.series.some((s) => s.values.some((y) => y !== null)));
}

export function renderReport(d: ReportData): string {
  const require = createRequire(import.meta.url);
  const uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const charts = chartData(d);
  const last = d.steps[d.steps.length - 1];
  const run = d.run ?? {};
  const facts = [
    ['model', run.model],
    ['spec', run.spec],
    ['steps', last ? `${last.step} of ${run.steps ?? '?'}` : '-'],
    ['adapter', run.adapter],
    ['command', Array.isArray(run.command) ? (run.command as string[]).join(' ') : run.command],
    ['started', run.started],
  ]
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${k}</th><td>${esc(String(v))}</td></tr>`)
    .join('');
  const speed = last
    ? `<p class="note">Last step: ${Number(last.ms).toFixed(0)} ms, ${Number(last.clips_per_s).toFixed(1)} clips/s, ${Number(last.data_wait_ms).toFixed(0)} ms waiting for data.</p>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(d.title)} — flapc run report</title>
<style>${uplotCss}
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse}td,th{padding:3px 8px;text-align:right}table.facts th,table.metrics td:first-child{text-align:left}table.metrics{margin:8px 0}table.metrics tr{border-bottom:1px solid #eee}
.note{color:#666;font-size:13px}.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:16px}.chart h3{font-size:14px;margin:4px 0}
table.heat td{font-size:11px;width:34px;text-align:center}table.heat td.diag{outline:2px solid #222}table.heat th{font-size:11px;font-weight:normal}.scroll{overflow-x:auto}
ol.captions{font-size:12px;color:#444;columns:2}.bar{display:inline-block;height:9px;background:#4a7fd6;margin-right:6px;vertical-align:middle}</style></head>
<body><h1>${esc(d.title)}: training run</h1><table class="facts">${facts}</table>${speed}
<h2>Final metrics</h2>${metricsTable(d)}
<h2>Curves</h2><div class="charts">${charts.map((c) => `<div class="chart" id="chart-${c.id}"><h3>${esc(c.title)}</h3></div>`).join('')}</div>
${heatmap(d)}${byTag(d)}
<script>${uplotJs}</script>
<script type="application/json" id="chart-data">${JSON.stringify(charts).replace(/</g, '\\u003c')}</script>
<script>
const charts = JSON.parse(document.getElementById('chart-data').textContent);
const palette = ['#1f5fbf', '#d9582b', '#2e9e58', '#8a4fc7', '#b0902a', '#555'];
let drawn = 0;
for (const c of charts) {
  const el = document.getElementById('chart-' + c.id);
  // Small values (learning rates) in exponent form; uPlot's default rounds them to 0.001 and 0.
  const fmt = (v) => (v !== 0 && Math.abs(v) < 0.01 ? v.toExponential(1) : String(+v.toPrecision(3)));
  const opts = { width: Math.min(520, el.clientWidth || 520), height: 240, scales: { x: { time: false } },
    axes: [{ label: 'step' }, { values: (u, splits) => splits.map(fmt), size: 60 }],
    series: [{ label: 'step' }, ...c.series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length], width: 1.5, spanGaps: true }))] };
  new uPlot(opts, [c.x, ...c.series.map((s) => s.values)], el);
  drawn++;
}
document.body.dataset.chartsDrawn = String(drawn);
</script></body></html>`;
}

export function writeReport(dir: string): string {
  const html = renderReport(readRun(dir));
  const path = join(dir, 'report.html');
  writeFileSync(`${path}.tmp`, html);
  renameSync(`${path}.tmp`, path);
  return path;
}
