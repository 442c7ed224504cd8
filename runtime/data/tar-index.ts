// Index of a tar file's regular members (name, data offset, size), read header by header without
// loading the archive. WebDataset shards are tars; streaming extractors do not expose member
// offsets, and the loader needs them for random access (seeded shuffles across shards). Handles
// ustar prefixes, GNU long names ('L') and pax headers ('x' path=); verifies header checksums.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface TarMember {
  name: string;
  offset: number;
  size: number;
}
export interface TarIndex {
  members: TarMember[];
  size: number;
  error?: string;
}

const BLOCK = 512;

function cstr(b: Uint8Array, o: number, n: number): string {
  let e = o;
  while (e < o + n && b[e] !== 0) e++;
  return new TextDecoder().decode(b.subarray(o, e));
}

function octal(b: Uint8Array, o: number, n: number): number | undefined {
  if (b[o]! & 0x80) {
    // GNU base-256 for sizes >= 8 GiB
    let v = b[o]! & 0x7f;
    for (let i = 1; i < n; i++) v = v * 256 + b[o + i]!;
    return v;
  }
  const s = cstr(b, o, n).trim();
  if (s === '') return 0;
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : undefined;
}

function checksumOk(h: Uint8Array): boolean {
  const want = octal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return want === sum;
}

function paxPath(data: Uint8Array): string | undefined {
  // Records are "<len> key=value\n"; the length counts the whole record.
  const text = new TextDecoder().decode(data);
  let o = 0,
    path: string | undefined;
  while (o < text.length) {
    const sp = text.indexOf(' ', o);
    const len = parseInt(text.slice(o, sp), 10);
    if (!(sp > o && len > 0)) break;
    const rec = text.slice(sp + 1, o + len - 1);
    if (rec.startsWith('path=')) path = rec.slice(5);
    o += len;
  }
  return path;
}

export function indexTar(path: string): TarIndex {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const members: TarMember[] = [];
    const h = new Uint8Array(BLOCK);
    let pos = 0,
      longName: string | undefined;
    const fail = (why: string): TarIndex => ({ members, size, error: `${why} at byte ${pos}` });
    while (pos + BLOCK <= size) {
      readSync(fd, h, 0, BLOCK, pos);
      if (h.every((x) => x === 0)) return { members, size }; // end-of-archive marker
      if (!checksumOk(h)) return fail('corrupt tar header (bad checksum)');
      const len = octal(h, 124, 12);
      if (len === undefined) return fail('corrupt tar header (bad size field)');
      const type = String.fromCharCode(h[156]!);
      const dataAt = pos + BLOCK;
      if (dataAt + len > size) return fail(`truncated tar: member needs ${len} bytes, ${size - dataAt} remain`);
      if (type === 'L' || type === 'x') {
        const data = new Uint8Array(len);
        readSync(fd, data, 0, len, dataAt);
        longName = type === 'L' ? cstr(data, 0, len) : (paxPath(data) ?? longName);
      } else if (type === '0' || type === '\0' || type === '7') {
        const prefix = cstr(h, 345, 155);
        const name = longName ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
        members.push({ name, offset: dataAt, size: len });
        longName = undefined;
      } else {
        longName = undefined; // directories, links, global pax headers: nothing to read
      }
      pos = dataAt + Math.ceil(len / BLOCK) * BLOCK;
    }
    // A tar always ends in zero blocks; without them a cut at a member boundary would go unseen.
    return fail(pos < size ? 'truncated tar header' : 'truncated tar: no end-of-archive blocks');
  } finally {
    closeSync(fd);
  }
}

export function readRange(path: string, offset: number, size: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(size);
    const got = readSync(fd, buf, 0, size, offset);
    if (got !== size) throw new Error(`short read: ${got} of ${size} bytes at ${offset}`);
    return buf;
  } finally {
    closeSync(fd);
  }
}
