// openttd-opensfx (full corpus only): OpenTTD's free sound set, field recordings from freesound.org
// (CC0, CC-BY 3.0, CC-BY-SA 3.0; the package's copyright file and each entry's own credit line).
// The package ships them in one sample catalogue, opensfx.cat: a table of (offset, size) pairs,
// then at each offset a length-prefixed title ("\"Cow\". Original \"Cow - Moan 2 - 96kHz.wav\" by
// ...") and a RIFF WAVE. The build splits it into one WAVE per entry when the package is unpacked.
// Review rule (catalog.ts): an entry is listed only when its title and the original recording's
// name both say what is audible (opensfx-table.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileSource } from './catalog.ts';
import { CorpusToolError } from './debian.ts';
import { OPENSFX_TABLE } from './opensfx-table.ts';

export const OPENSFX_PKG = 'openttd-opensfx';
const DIR = 'usr/share/games/openttd/baseset/opensfx/';
/** Where the split entries go inside the unpacked package: `NN.wav` by catalogue index. */
export const OPENSFX_SPLIT = `${DIR}entries/`;

export interface CatalogueEntry {
  index: number;
  title: string;
  /** The entry's bytes after its title: a RIFF WAVE, or empty for the placeholder entries. */
  data: Buffer;
}

/** The entries of an OpenTTD sample catalogue; throws CorpusToolError on a malformed file. */
export function readCatalogue(bytes: Buffer, file: string): CatalogueEntry[] {
  const bad = (what: string): never => {
    throw new CorpusToolError(`${file}: not an OpenTTD sample catalogue (${what})`);
  };
  if (bytes.length < 8) bad('too short');
  const count = (bytes.readUInt32LE(0) & 0x7fffffff) / 8;
  if (!Number.isInteger(count) || count < 1 || count * 8 > bytes.length) bad('bad table size');
  return Array.from({ length: count }, (_, index): CatalogueEntry => {
    const off = bytes.readUInt32LE(index * 8) & 0x7fffffff,
      size = bytes.readUInt32LE(index * 8 + 4);
    if (off + size > bytes.length || size < 1) bad(`entry ${index} out of range`);
    const n = bytes[off]!;
    const name = bytes.subarray(off + 1, off + 1 + n).toString('latin1');
    const title = /^"([^"]*)"/.exec(name)?.[1] ?? name.replace(/\0+$/, '');
    return { index, title, data: bytes.subarray(off + 1 + n, off + size) };
  });
}

/**
 * Splits the unpacked package's catalogue into OPENSFX_SPLIT, checking that every listed entry
 * has the title it was reviewed under (another package version could renumber them).
 */
export function splitOpensfx(root: string): void {
  const file = join(root, DIR, 'opensfx.cat');
  const entries = readCatalogue(readFileSync(file), file);
  const out = join(root, OPENSFX_SPLIT);
  mkdirSync(out, { recursive: true });
  for (const { index, title } of OPENSFX_ENTRIES) {
    const e = entries[index];
    if (!e || e.title !== title || e.data.subarray(0, 4).toString('latin1') !== 'RIFF')
      throw new CorpusToolError(`${file}: entry ${index} is "${e?.title ?? 'missing'}", expected a WAVE titled "${title}" (another package version?)`);
    writeFileSync(join(out, `${String(index).padStart(2, '0')}.wav`), e.data);
  }
}

/** Each reviewed entry: its catalogue index, the title it must carry, and the source it becomes. */
export const OPENSFX_ENTRIES: { index: number; title: string; source: FileSource }[] = OPENSFX_TABLE.map(([index, title, id, category, tags, say, repeat]) => ({
  index,
  title,
  source: {
    kind: 'file',
    id: `opensfx/${id}`,
    pkg: OPENSFX_PKG,
    path: `${OPENSFX_SPLIT}${String(index).padStart(2, '0')}.wav`,
    category,
    tags,
    say,
    repeat,
    full: true,
  },
}));

export const OPENSFX_SOURCES: FileSource[] = OPENSFX_ENTRIES.map((e) => e.source);
