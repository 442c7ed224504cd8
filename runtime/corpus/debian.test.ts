// Fetching from Debian's archive with stand-in apt tools on PATH: an unreachable archive and a
// corrupted download give clear errors and leave nothing half-unpacked.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorpusToolError, fetchPackage, sha256File } from './debian.ts';

const dir = mkdtempSync(join(tmpdir(), 'flapc-apt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeTools(aptGet: string, sha = '0'.repeat(64)): string {
  const bin = join(dir, `bin-${Math.random().toString(36).slice(2)}`);
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'apt-cache'),
    `#!/bin/sh
[ "$3" = "no-such-pkg" ] && { echo "E: No packages found" >&2; exit 100; }
printf 'Package: %s\\nVersion: 1.0-1\\nFilename: pool/main/f/%s/%s_1.0-1_all.deb\\nSize: 12\\nSHA256: ${sha}\\n' "$3" "$3" "$3"
`,
  );
  writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\n${aptGet}\n`);
  for (const f of ['apt-cache', 'apt-get']) chmodSync(join(bin, f), 0o755);
  return bin;
}

async function withPath<T>(bin: string, f: () => Promise<T>): Promise<T> {
  const old = process.env.PATH;
  process.env.PATH = `${bin}:${old}`;
  try {
    return await f();
  } finally {
    process.env.PATH = old;
  }
}

describe('Debian package fetch', () => {
  it('an unreachable archive names the failure and the fix', async () => {
    const bin = fakeTools(`echo "E: Failed to fetch http://deb.debian.org/...: Could not resolve 'deb.debian.org'" >&2; exit 100`);
    await expect(withPath(bin, () => fetchPackage('fake-pkg', join(dir, 'c1'), () => {}))).rejects.toThrow(
      /apt-get download fake-pkg failed: .*Could not resolve 'deb.debian.org'.*is Debian's archive reachable\?/,
    );
  });

  it("a package missing from apt's index says to run apt-get update", async () => {
    const bin = fakeTools('exit 0');
    await expect(withPath(bin, () => fetchPackage('no-such-pkg', join(dir, 'c2'), () => {}))).rejects.toThrow(/not in apt's index .*apt-get update/);
  });

  it('a download whose SHA256 does not match the index is refused and deleted', async () => {
    const bin = fakeTools(`printf 'not a deb...' > fake-pkg_1.0-1_all.deb`);
    const cache = join(dir, 'c3');
    const err = await withPath(bin, () => fetchPackage('fake-pkg', cache, () => {})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorpusToolError);
    expect((err as Error).message).toMatch(/SHA256 [0-9a-f]{64} does not match the archive's 0{64}/);
    expect(existsSync(join(cache, 'debs', 'fake-pkg_1.0-1_all.deb'))).toBe(false);
    expect(existsSync(join(cache, 'pkgs'))).toBe(false);
  });

  it('prepares the unpacked files before moving them into place; a failed preparation leaves nothing', async () => {
    // A real (tiny) package, so the SHA256 check and dpkg-deb -x run as in a build.
    const src = join(dir, 'deb-src');
    mkdirSync(join(src, 'DEBIAN'), { recursive: true });
    mkdirSync(join(src, 'usr/share/x'), { recursive: true });
    writeFileSync(join(src, 'DEBIAN/control'), 'Package: fake-pkg\nVersion: 1.0-1\nArchitecture: all\nMaintainer: t <t@t>\nDescription: t\n');
    writeFileSync(join(src, 'usr/share/x/archive.bin'), 'one;two');
    const deb = join(dir, 'fake.deb');
    execFileSync('dpkg-deb', ['--build', '--root-owner-group', src, deb], { stdio: 'ignore' });
    const bin = fakeTools(`cp ${deb} fake-pkg_1.0-1_all.deb`, await sha256File(deb));
    const split = (root: string): void => {
      const parts = readFileSync(join(root, 'usr/share/x/archive.bin'), 'utf8').split(';');
      parts.forEach((p, i) => writeFileSync(join(root, `usr/share/x/${i}.txt`), p));
    };
    const failing = (): void => {
      throw new CorpusToolError('bad archive');
    };
    const cache = join(dir, 'c4');
    await expect(withPath(bin, () => fetchPackage('fake-pkg', cache, () => {}, failing))).rejects.toThrow(/bad archive/);
    expect(existsSync(join(cache, 'pkgs', 'fake-pkg_1.0-1'))).toBe(false);
    const root = await withPath(bin, () => fetchPackage('fake-pkg', cache, () => {}, split));
    expect(readFileSync(join(root, 'usr/share/x/1.txt'), 'utf8')).toBe('two');
  });
});
