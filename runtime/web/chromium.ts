// Debian's Chromium for the tests, benchmarks and screenshots that open flapc's pages (driven by
// puppeteer-core with the system browser; nothing is downloaded).
import { existsSync } from 'node:fs';

/** The system Chromium, or undefined (scripts/setup.sh --swiftshader installs it). */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

/** Headless Chromium with WebGPU on its bundled SwiftShader Vulkan driver: no GPU needed. */
export const WEBGPU_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
];
