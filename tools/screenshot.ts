import { resolve } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM } from '../runtime/web/chromium.ts';

const [html, png, width = '1200'] = process.argv.slice(2);
if (!html || !png?.endsWith('.png')) {
  console.error('usage: tools/screenshot.ts page.html out.png [width]');
  process.exit(2);
}
const chromium = CHROMIUM;
if (!chromium) {
  console.error('no chromium: bash scripts/setup.sh --swiftshader installs it');
  process.exit(3);
}
const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: Number(width), height: 900 });
  await page.goto(`file://${resolve(html)}`, { waitUntil: 'load' });
  await page.screenshot({ path: png as `${string}.png`, fullPage: true });
  console.log(png);
} finally {
  await browser.close();
}
