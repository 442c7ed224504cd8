// The compiled plan in a real browser: `flapc run web` builds the site, a local server serves it,
// headless Chromium (Debian's, WebGPU on its SwiftShader Vulkan driver, driven by puppeteer-core)
// loads clips of the test corpus and runs a query. The page's audio and text embeddings must equal
// Node's (`flapc run embed` / the same model in this process) within f32 tolerance, its top result
// must be Node's search's, and the console must stay clean; a screenshot is saved.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestCorpus } from '../data/test-corpus.ts';
import { silenceLevel } from '../data/features.ts';
import { Embedder } from '../eval/embed.ts';
import { VectorIndex } from '../index/store.ts';
import { loadModel, modelTokenizer } from '../model/model.ts';
import { testGpu } from '../testing/harness.ts';
import { loadCheckpoint, weightsFor } from '../train/state.ts';
import { serveSite } from './serve.ts';
import { bundleApp } from './site.ts';
import { CHROMIUM, WEBGPU_ARGS } from './chromium.ts';

const BIN = fileURLToPath(new URL('../../bin/flapc.js', import.meta.url));
const MICRO = fileURLToPath(new URL('../exec/fixtures/micro-flap.yaml', import.meta.url));
const TOL = 1e-4; // unit vectors from two drivers (lavapipe, SwiftShader) and two kernel sets (tuned, baseline)

let dir: string, spec: string, ckpt: string, site: string, env: NodeJS.ProcessEnv;
const flapc = (args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-web-'));
  await writeTestCorpus(join(dir, 'corpus'));
  env = { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') };
  spec = join(dir, 'micro.yaml');
  writeFileSync(spec, `extends: ${MICRO}\nname: micro-web\ntext:\n  vocab: 30522\n`);
  const t = flapc(['run', 'train', spec, '--data', join(dir, 'corpus', 'clotho'), '--steps', '4', '--out', join(dir, 'run')]);
  if (t.code !== 0) throw new Error(t.err);
  ckpt = join(dir, 'run', 'last.safetensors');
  site = join(dir, 'site');
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openPage(browser: Browser, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewport({ width: 900, height: 800 });
  await page.goto(url);
  return page;
}

describe('flapc run web', () => {
  it('bundles the page from node-free modules only', async () => {
    const js = await bundleApp();
    expect(js).not.toMatch(/["']node:/);
    expect(js.length).toBeGreaterThan(5000);
  });

  it('builds the site; refuses a checkpoint of another model at build time', () => {
    const r = flapc(['run', 'web', spec, '--checkpoint', ckpt, '--out', site, '--json']);
    expect(r.code, r.err).toBe(0);
    const files = (JSON.parse(r.out) as { files: { name: string }[] }).files.map((f) => f.name).sort();
    expect(files).toEqual(['app.js', 'eval.plan.json', 'index.html', 'meta.json', 'vocab.txt', 'weights.safetensors']);
    const other = join(dir, 'other.yaml');
    writeFileSync(other, `extends: ${spec}\nname: other\nhyper:\n  width: 24\n`);
    const bad = flapc(['run', 'web', other, '--checkpoint', ckpt, '--out', join(dir, 'site2')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/does not fit other: changed shape/);
    expect(existsSync(join(dir, 'site2'))).toBe(false);
    // f16 weights: half the bytes.
    const half = flapc(['run', 'web', spec, '--checkpoint', ckpt, '--out', join(dir, 'site16'), '--weights', 'f16']);
    expect(half.code, half.err).toBe(0);
    const size = (d: string): number => statSync(join(d, 'weights.safetensors')).size;
    expect(size(join(dir, 'site16'))).toBeLessThan(0.55 * size(site));
  });

  it('embeds and searches in headless Chromium exactly as Node does', async () => {
    if (!CHROMIUM) throw new Error('Debian chromium is missing: bash scripts/setup.sh --swiftshader installs it');
    const folder = join(dir, 'corpus', 'folder');
    const files = [join(folder, 'bell.wav'), join(folder, 'rain.wav'), join(dir, 'corpus', 'clotho', 'development', 'garbage.wav')];
    // Node: the same files through `flapc run embed`, and a search.
    const index = join(dir, 'node.lance');
    expect(flapc(['run', 'embed', spec, '--checkpoint', ckpt, ...files, '--index', index]).code).toBe(0);
    const query = 'rain falling on a roof';
    const s = flapc(['run', 'search', '--index', index, query, '--json']);
    expect(s.code, s.err).toBe(0);
    const nodeHits = (JSON.parse(s.out) as { results: { path: string; score: number }[] }).results;
    const ix = await VectorIndex.open(index);
    const nodeVec = new Map((await ix.all()).map((r) => [basename(r.path), Array.from(r.vector)]));
    ix.close();
    // Node's text embedding of the query, in this process.
    const gpu = await testGpu();
    const model = loadModel(gpu, spec);
    const ck = loadCheckpoint(ckpt);
    const emb = await Embedder.create(gpu, model.evalPlan, model.params, weightsFor(ck, model.params, model), 0);
    const nodeText = Array.from(await emb.embedText([query], modelTokenizer(model), silenceLevel({ mean: ck.meta.normMean!, std: ck.meta.normStd! })));
    emb.destroy();

    const { server, url } = await serveSite(site);
    const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: WEBGPU_ARGS });
    try {
      const errors: string[] = [];
      const page = await openPage(browser, url, errors);
      expect(await page.evaluate(() => (window as unknown as { flapcReady: Promise<boolean> }).flapcReady)).toBe(true);
      await (await page.$('input#files'))!.uploadFile(...files);
      await page.waitForFunction(() => /^embedded/.test(document.getElementById('status')!.textContent ?? ''), { timeout: 120_000 });
      expect(await page.$eval('#skipped', (e) => e.textContent)).toMatch(/skipped garbage\.wav: the browser cannot decode it/);
      const clips = await page.evaluate(() =>
        (window as unknown as { flapc: { state: { clips: { name: string; vector: Float32Array }[] } } }).flapc.state.clips.map((c) => ({
          name: c.name,
          vector: Array.from(c.vector),
        })),
      );
      expect(clips.map((c) => c.name).sort()).toEqual(['bell.wav', 'rain.wav']);
      for (const c of clips) {
        const ref = nodeVec.get(c.name)!;
        expect(Math.max(...c.vector.map((x, i) => Math.abs(x - ref[i]!))), c.name).toBeLessThan(TOL);
      }
      const pageText = await page.evaluate(
        (q) => (window as unknown as { flapc: { textEmbedding(q: string): Promise<number[]> } }).flapc.textEmbedding(q),
        query,
      );
      expect(Math.max(...pageText.map((x, i) => Math.abs(x - nodeText[i]!)))).toBeLessThan(TOL);
      // The query through the page's own form: ranked results with scores and players.
      await page.type('#query', query);
      await page.click('#search button');
      await page.waitForSelector('#results li audio');
      const shown = await page.$$eval('#results li', (lis) =>
        lis.map((li) => ({ name: li.querySelector('.name')!.textContent, score: Number(li.querySelector('.score')!.textContent) })),
      );
      expect(shown[0]!.name).toBe(basename(nodeHits[0]!.path));
      for (const h of shown) expect(Math.abs(h.score - nodeHits.find((n) => basename(n.path) === h.name)!.score)).toBeLessThan(2e-3); // shown to 3 decimals
      expect(errors).toEqual([]);
      const shot = join(site, 'screenshot.png');
      await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      if (process.env.FLAPC_SCREENSHOT_DIR) writeFileSync(join(process.env.FLAPC_SCREENSHOT_DIR, 'web.png'), readFileSync(shot));
    } finally {
      await browser.close();
      server.close();
    }
  });

  it('says so, instead of a blank page, when the browser has no WebGPU', async () => {
    const { server, url } = await serveSite(site);
    const browser = await puppeteer.launch({ executablePath: CHROMIUM!, headless: true, args: ['--no-sandbox'] });
    try {
      const errors: string[] = [];
      const page = await browser.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.evaluateOnNewDocument(() => {
        Object.defineProperty(navigator, 'gpu', { value: undefined });
      });
      await page.goto(url);
      expect(await page.evaluate(() => (window as unknown as { flapcReady: Promise<boolean> }).flapcReady)).toBe(false);
      expect(await page.$eval('#nogpu', (e) => (e as HTMLElement).hidden)).toBe(false);
      expect(await page.$eval('#nogpu', (e) => e.textContent)).toMatch(/no WebGPU adapter/);
      expect(await page.$eval('#app', (e) => (e as HTMLElement).hidden)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
