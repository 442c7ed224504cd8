import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorpusToolError } from './debian.ts';
import { OPENSFX_ENTRIES, OPENSFX_SPLIT, readCatalogue, splitOpensfx } from './opensfx.ts';

/** An OpenTTD sample catalogue: (offset, size) table, then length-prefixed titles and data. */
function catalogue(entries: { name: string; data: Buffer }[]): Buffer {
  const bodies = entries.map((e) => Buffer.concat([Buffer.from([e.name.length]), Buffer.from(e.name, 'latin1'), e.data]));
  const table = Buffer.alloc(entries.length * 8);
  let off = table.length;
  bodies.forEach((b, i) => {
    table.writeUInt32LE(off, i * 8);
    table.writeUInt32LE(b.length, i * 8 + 4);
    off += b.length;
  });
  return Buffer.concat([table, ...bodies]);
}
const wave = (tag: string): Buffer => Buffer.from(`RIFF....WAVE${tag}`, 'latin1');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('OpenSFX sample catalogue', () => {
  it("reads titles (the quoted part of the credit line) and each entry's bytes", () => {
    const cat = catalogue([
      { name: '"Cow". Original "Cow - Moan 2.wav" by "X". License: CC0.\0', data: wave('cow') },
      { name: '"Unused/Nothing". Trivial empty sound file.\0', data: Buffer.alloc(0) },
    ]);
    const e = readCatalogue(cat, 'x.cat');
    expect(e.map((x) => x.title)).toEqual(['Cow', 'Unused/Nothing']);
    expect(e[0]!.data.toString('latin1')).toBe('RIFF....WAVEcow');
    expect(e[1]!.data.length).toBe(0);
  });

  it('rejects a file that is not a catalogue, naming it', () => {
    expect(() => readCatalogue(Buffer.from('RIFF'), 'x.cat')).toThrow(/x.cat: not an OpenTTD sample catalogue \(too short\)/);
    const bad = Buffer.alloc(16);
    bad.writeUInt32LE(8, 0);
    bad.writeUInt32LE(400, 4);
    expect(() => readCatalogue(bad, 'y.cat')).toThrow(CorpusToolError);
  });

  it('splits every reviewed entry into its own WAVE, and refuses a renumbered catalogue', () => {
    const n = Math.max(...OPENSFX_ENTRIES.map((e) => e.index)) + 1;
    // The reviewed indices carry their titles, as in the real catalogue; filler elsewhere.
    const make = (shift: number): Buffer =>
      catalogue(
        Array.from({ length: n + shift }, (_, i) => {
          const e = OPENSFX_ENTRIES.find((x) => x.index === i - shift);
          return { name: `"${e ? e.title : 'filler'}". By someone.`, data: wave(String(i)) };
        }),
      );
    const root = mkdtempSync(join(tmpdir(), 'opensfx-'));
    dirs.push(root);
    const cat = join(root, 'usr/share/games/openttd/baseset/opensfx/opensfx.cat');
    mkdirSync(join(cat, '..'), { recursive: true });
    writeFileSync(cat, make(0));
    splitOpensfx(root);
    for (const { index, source } of OPENSFX_ENTRIES) {
      expect(source.path).toBe(`${OPENSFX_SPLIT}${String(index).padStart(2, '0')}.wav`);
      expect(readFileSync(join(root, source.path), 'latin1')).toBe(`RIFF....WAVE${index}`);
    }
    writeFileSync(cat, make(1));
    expect(() => splitOpensfx(root)).toThrow(/entry \d+ is "[^"]*", expected a WAVE titled "[^"]+" \(another package version\?\)/);
  });
});
