// The run report in a real browser: Debian's headless Chromium (driven by puppeteer-core) opens
// report.html from disk with the network off; there must be no console errors, every chart must
// have drawn a canvas, the metrics table and heatmap must be there; a screenshot is saved.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { chartData, readRun, writeReport } from './report.ts';
import { CHROMIUM } from '../web/chromium.ts';

const dir = mkdtempSync(join(tmpdir(), 'flapc-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A run folder as the trainer writes it: 40 steps, validation every 10, a final validation.json. */
function fakeRun(out: string): void {
  mkdirSync(out, { recursive: true });
  const rows: object[] = [];
  for (let s = 1; s <= 40; s++) {
    rows.push({
      step: s,
      loss: 3 - s / 20,
      'loss.contrastive': 2 - s / 30,
      'loss.reconstruction': 1 - s / 60,
      grad_norm: 1,
      lr: 1e-3 * Math.min(1, s / 10),
      ms: 800,
      clips_per_s: 20,
      data_wait_ms: 3,
      epoch: 0,
      logit_scale: 14 + s / 10,
    });
    if (s % 10 === 0)
      rows.push({
        step: s,
        val: {
          a2t: { r1: s / 200, r5: s / 100, r10: s / 80, map10: s / 150, meanRank: 20, medianRank: 10 },
          t2a: { r1: s / 180, r5: s / 90, r10: s / 70, map10: s / 140, meanRank: 19, medianRank: 9 },
          map10: s / 145,
          clips: 16,
          captions: 80,
        },
      });
  }
  writeFileSync(join(out, 'metrics.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  writeFileSync(
    join(out, 'run.json'),
    JSON.stringify({
      model: 'flap-tiny',
      spec: 'models/flap-tiny.yaml',
      steps: 40,
      adapter: 'llvmpipe',
      command: ['flapc', 'run', 'train', 'models/flap-tiny.yaml'],
    }),
  );
  const sim = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? 0.6 : 0.1 * ((i + j) % 3))));
  writeFileSync(
    join(out, 'validation.json'),
    JSON.stringify({
      step: 40,
      metrics: {
        a2t: { r1: 0.2, r5: 0.4, r10: 0.5, map10: 0.27, meanRank: 20, medianRank: 10 },
        t2a: { r1: 0.22, r5: 0.44, r10: 0.57, map10: 0.29, meanRank: 19, medianRank: 9 },
        clips: 16,
        captions: 80,
      },
      similarity: {
        clips: ['a.flac', 'b.flac', 'c.flac', 'd.flac', 'e.flac', 'f.flac'],
        captions: ['a dog barks', 'rain <falls>', 'a bell rings', 'a car passes', 'wind blows', 'a man speaks'],
        sim,
      },
      byTag: [
        { tag: 'dog', clips: 3, queries: 15, r1: 0.4, r10: 0.9 },
        { tag: 'rain', clips: 2, queries: 10, r1: 0.1, r10: 0.6 },
      ],
    }),
  );
}

describe('flapc run report', () => {
  it('collects every curve from metrics.jsonl', () => {
    const out = join(dir, 'data');
    fakeRun(out);
    const c = chartData(readRun(out));
    expect(c.map((x) => x.id)).toEqual(['loss', 'lr', 'scale', 'val']);
    expect(c[0]!.series.map((s) => s.label)).toEqual(['total', 'contrastive', 'reconstruction']);
    expect(c[3]!.x).toEqual([10, 20, 30, 40]);
    expect(c[3]!.series[0]!.values[3]).toBeCloseTo(20);
  });

  it('renders in headless Chromium offline: charts drawn, no console errors, screenshot saved', async () => {
    if (!CHROMIUM) throw new Error('Debian chromium is missing: bash scripts/setup.sh --swiftshader installs it');
    const out = join(dir, 'browser');
    fakeRun(out);
    const html = writeReport(out);
    const browser = await puppeteer.launch({ executablePath: CHROMIUM!, headless: true, args: ['--no-sandbox', '--disable-gpu', '--headless=new'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
      await page.setRequestInterception(true);
      page.on('request', (r) => {
        if (r.url().startsWith('file:')) void r.continue();
        else {
          errors.push(`network request: ${r.url()}`);
          void r.abort();
        }
      });
      await page.setViewport({ width: 1200, height: 1400 });
      await page.goto(`file://${html}`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-charts-drawn]');
      expect(await page.$eval('body', (b) => b.dataset.chartsDrawn)).toBe('4');
      expect(await page.$$eval('.uplot canvas', (cs) => cs.filter((c) => (c as HTMLCanvasElement).width > 0).length)).toBe(4);
      expect(await page.$$eval('table.heat td', (cs) => cs.length)).toBe(36);
      expect(await page.$eval('table.metrics', (t) => t.textContent)).toMatch(/audio → text/);
      expect(errors).toEqual([]);
      const shot = join(out, 'report.png');
      await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      if (process.env.FLAPC_SCREENSHOT_DIR) writeFileSync(join(process.env.FLAPC_SCREENSHOT_DIR, 'report.png'), readFileSync(shot));
    } finally {
      await browser.close();
    }
  });
});
