// Source packages from Debian's archive: `apt-get download` into a cache, verified against the
// SHA256 in apt's package index, unpacked with `dpkg-deb -x` into a versioned folder (renamed into
// place when complete, so an interrupted build resumes cleanly). Nothing is installed system-wide.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class CorpusToolError extends Error {}

export interface PackageInfo {
  name: string;
  version: string;
  sha256: string;
  size: number;
  filename: string;
}

/** The candidate version's record from `apt-cache show` (what `apt-get download` fetches). */
export async function packageInfo(name: string): Promise<PackageInfo> {
  let out: string;
  try {
    ({ stdout: out } = await run('apt-cache', ['show', '--no-all-versions', name], { maxBuffer: 16 << 20 }));
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new CorpusToolError('apt-cache not found: building the corpus needs a Debian-based system with apt');
    throw new CorpusToolError(
      `package ${name} is not in apt's index (${(err.stderr ?? '').trim() || 'no record'}); run 'apt-get update' (bookworm's main archive has it)`,
    );
  }
  const field = (f: string): string | undefined => new RegExp(`^${f}: (.+)$`, 'm').exec(out)?.[1]?.trim();
  const version = field('Version'),
    sha256 = field('SHA256'),
    size = field('Size'),
    filename = field('Filename');
  if (!version || !sha256 || !size || !filename) throw new CorpusToolError(`apt-cache show ${name}: incomplete record (run 'apt-get update')`);
  return { name, version, sha256, size: Number(size), filename };
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Ensures `name` is downloaded, verified and unpacked under cacheDir; returns the unpacked root.
 * `prepare` runs on the unpacked files before they are moved into place (e.g. splitting a sound
 * archive into files), so a cached root is always a prepared one.
 */
export async function fetchPackage(
  name: string,
  cacheDir: string,
  log: (s: string) => void,
  prepare?: (root: string) => void | Promise<void>,
): Promise<string> {
  const info = await packageInfo(name);
  const safeVersion = info.version.replace(/[^A-Za-z0-9.+~-]/g, '_');
  const root = join(cacheDir, 'pkgs', `${name}_${safeVersion}`);
  if (existsSync(root)) return root;
  const debDir = join(cacheDir, 'debs');
  mkdirSync(debDir, { recursive: true });
  const deb = join(debDir, basename(info.filename));
  if (!existsSync(deb) || (await sha256File(deb)) !== info.sha256) {
    log(`downloading ${name} ${info.version} (${(info.size / 2 ** 20).toFixed(1)} MiB)`);
    rmSync(deb, { force: true });
    try {
      await run('apt-get', ['download', `${name}=${info.version}`], { cwd: debDir, maxBuffer: 16 << 20 });
    } catch (e) {
      const err = e as { stderr?: string };
      throw new CorpusToolError(
        `apt-get download ${name} failed: ${(err.stderr ?? '').trim().split('\n').slice(-2).join(' ')} (is Debian's archive reachable?)`,
      );
    }
    // apt names the file after the pool file name, with ':' in epochs escaped as %3a.
    const got = readdirSync(debDir).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb') && f.includes(info.version.replace(/^\d+:/, '')));
    if (!got) throw new CorpusToolError(`apt-get download ${name} produced no .deb in ${debDir}`);
    if (join(debDir, got) !== deb) renameSync(join(debDir, got), deb);
    const sum = await sha256File(deb);
    if (sum !== info.sha256) {
      rmSync(deb, { force: true });
      throw new CorpusToolError(`${deb}: SHA256 ${sum} does not match the archive's ${info.sha256}`);
    }
  }
  const tmp = `${root}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await run('dpkg-deb', ['-x', deb, tmp], { maxBuffer: 16 << 20 });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const err = e as { code?: string; stderr?: string };
    throw new CorpusToolError(err.code === 'ENOENT' ? 'dpkg-deb not found (install dpkg)' : `dpkg-deb -x ${deb}: ${(err.stderr ?? '').trim()}`);
  }
  try {
    await prepare?.(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  renameSync(tmp, root);
  return root;
}

/** External programs the build runs, with the Debian packages that provide them. */
export const TOOLS: { cmd: string; args: string[]; pkg: string }[] = [
  { cmd: 'sox', args: ['--version'], pkg: 'sox libsox-fmt-all' },
  { cmd: 'fluidsynth', args: ['--version'], pkg: 'fluidsynth' },
  { cmd: 'espeak-ng', args: ['--version'], pkg: 'espeak-ng' },
  { cmd: 'apt-get', args: ['--version'], pkg: 'apt' },
  { cmd: 'dpkg-deb', args: ['--version'], pkg: 'dpkg' },
];

export async function checkTools(): Promise<void> {
  const missing: string[] = [];
  for (const t of TOOLS) {
    try {
      await run(t.cmd, t.args);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') missing.push(t.pkg);
    }
  }
  if (missing.length === 0) {
    // sox must read Ogg Vorbis (most source recordings) — that is libsox-fmt-all's vorbis handler.
    const { stdout } = await run('sox', ['-h'], { maxBuffer: 1 << 20 }).catch(() => ({ stdout: '' }));
    if (!/\bvorbis\b/.test(stdout)) missing.push('libsox-fmt-all');
  }
  if (missing.length) throw new CorpusToolError(`missing tools for the corpus build; install them with: apt-get install ${[...new Set(missing)].join(' ')}`);
}
