// Embedding speed in the web page (headless Chromium, WebGPU on SwiftShader) against
// `flapc run embed` in Node (Dawn on the default adapter) for the same files on this machine.
// Both include decoding and the log-mel front end; Node runs with an empty feature cache.
//   node --import tsx bench/web-embed.ts <spec> <checkpoint> <audio folder> [--limit 81]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { serveSite } from '../runtime/web/serve.ts';
import { CHROMIUM, WEBGPU_ARGS } from '../runtime/web/chromium.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { limit: { type: 'string' } } });
const [spec, ckpt, folder] = positionals;
if (!spec || !ckpt || !folder) {
  console.error('usage: bench/web-embed.ts <spec> <checkpoint> <audio folder> [--limit N]');
  process.exit(2);
}
const files = readdirSync(folder)
  .filter((f) => ['.wav', '.flac', '.mp3', '.ogg'].includes(extname(f)))
  .sort()
  .slice(0, Number(values.limit ?? 81))
  .map((f) => resolve(folder, f));
const dir = mkdtempSync(join(tmpdir(), 'flapc-web-bench-'));
const bin = resolve('bin/flapc.js');
try {
  const env = { ...process.env, FLAPC_CACHE_DIR: join(dir, 'cache') };
  const node = spawnSync(process.execPath, [bin, 'run', 'embed', spec, '--checkpoint', ckpt, ...files, '--index', join(dir, 'i.lance'), '--json'], {
    env,
    encoding: 'utf8',
  });
  if (node.status !== 0) throw new Error(node.stderr);
  const n = JSON.parse(node.stdout) as { embedded: number; seconds: number; clipsPerSecond: number };
  const web = spawnSync(process.execPath, [bin, 'run', 'web', spec, '--checkpoint', ckpt, '--out', join(dir, 'site')], { encoding: 'utf8' });
  if (web.status !== 0) throw new Error(web.stderr);
  const { server, url } = await serveSite(join(dir, 'site'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: WEBGPU_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    if (!(await page.evaluate(() => (window as unknown as { flapcReady: Promise<boolean> }).flapcReady))) throw new Error('the page found no WebGPU adapter');
    const t0 = performance.now();
    await (await page.$('input#files'))!.uploadFile(...files);
    await page.waitForFunction(() => /^embedded/.test(document.getElementById('status')!.textContent ?? ''), { timeout: 600_000 });
    const s = (performance.now() - t0) / 1000;
    const inPage = await page.evaluate(() => (window as unknown as { flapc: { state: { clipsPerSecond: number; clips: unknown[] } } }).flapc.state);
    console.log(`${files.length} files from ${folder}`);
    console.log(
      `node (flapc run embed, Dawn default adapter, cold feature cache): ${n.embedded} clips in ${n.seconds.toFixed(1)} s, ${n.clipsPerSecond.toFixed(1)} clips/s`,
    );
    console.log(
      `page (headless Chromium, SwiftShader WebGPU): ${inPage.clips.length} clips, ${inPage.clipsPerSecond.toFixed(1)} clips/s (${s.toFixed(1)} s from upload to done)`,
    );
  } finally {
    await browser.close();
    server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
