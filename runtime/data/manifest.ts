// Dataset readers: Clotho CSV, AudioCaps CSV, JSONL manifests, WebDataset tar shards and plain
// folders of audio with caption sidecars. Each produces clips (audio source + captions + tags);
// an item that cannot be used is a BadItem with its path and reason, never dropped silently. A
// manifest that is itself malformed throws a ManifestError located at file:line.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { indexTar, readRange } from './tar-index.ts';
import { UserError } from '../errors.ts';

export type ClipSource = { kind: 'file'; path: string } | { kind: 'tar'; path: string; member: string; offset: number; size: number };

export interface Clip {
  id: string;
  source: ClipSource;
  captions: string[];
  tags: string[];
  /** LLM/rule-augmented captions (from `flapc data augment`), index-aligned with `captions`. */
  augmented?: string[];
  /** Where the clip was listed: manifest:line, shard:member or the sidecar file. */
  origin: string;
}

export interface BadItem {
  item: string;
  reason: string;
  origin?: string;
}

export type ManifestFormat = 'clotho' | 'audiocaps' | 'jsonl' | 'webdataset' | 'folder';

export interface Dataset {
  clips: Clip[];
  bad: BadItem[];
  manifests: { path: string; format: ManifestFormat; clips: number; bad: number }[];
  /** Files in a scanned folder that are not manifests (e.g. Clotho's metadata CSVs). */
  skipped: { path: string; reason: string }[];
}

export class ManifestError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

export const AUDIO_EXTS = ['.wav', '.flac', '.mp3', '.ogg'];
const isAudio = (name: string): boolean => AUDIO_EXTS.includes(extname(name).toLowerCase());

export function sourceName(s: ClipSource): string {
  return s.kind === 'file' ? s.path : `${s.path}:${s.member}`;
}

const cleanCaptions = (xs: unknown[]): string[] =>
  xs
    .filter((x): x is string => typeof x === 'string')
    .map((x) => x.replace(/\s+/g, ' ').trim())
    .filter((x) => x.length > 0);

function parseTags(v: unknown): string[] {
  const xs = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[;,]/) : [];
  return xs
    .filter((x): x is string => typeof x === 'string')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Lists a directory once; resolution tries many names per clip. */
class DirCache {
  private dirs = new Map<string, Set<string>>();
  has(dir: string, name: string): boolean {
    let s = this.dirs.get(dir);
    if (!s) {
      s = new Set();
      try {
        for (const e of readdirSync(dir)) s.add(e);
      } catch {
        /* not a directory: nothing there */
      }
      this.dirs.set(dir, s);
    }
    return s.has(name);
  }
}

class Collector {
  clips: Clip[] = [];
  bad: BadItem[] = [];
  add(item: string, origin: string, source: ClipSource | undefined, captions: string[], tags: string[], id: string): void {
    if (!source) {
      this.bad.push({ item, reason: 'missing file', origin });
      return;
    }
    if (captions.length === 0) {
      this.bad.push({ item, reason: 'no caption', origin });
      return;
    }
    this.clips.push({ id, source, captions, tags, origin });
  }
}

function readCsv(file: string): { header: string[]; rows: { cells: string[]; line: number }[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestError(file, 0, `cannot read: ${(e as Error).message}`);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new ManifestError(file, err.lines ?? 0, `malformed CSV: ${err.message.replace(/^[A-Za-z ]+: /, '')}`);
  }
  if (records.length === 0) throw new ManifestError(file, 1, 'empty CSV (no header row)');
  return { header: records[0]!.record.map((h) => h.trim()), rows: records.slice(1).map((r) => ({ cells: r.record, line: r.info.lines })) };
}

function csvFormat(header: string[]): 'clotho' | 'audiocaps' | undefined {
  if (header.includes('file_name') && header.some((h) => /^caption_\d+$/.test(h))) return 'clotho';
  if (header.includes('caption') && (header.includes('youtube_id') || header.includes('file_name'))) return 'audiocaps';
  return undefined;
}

/** Candidate folders for a CSV's audio: beside it, in a folder named after the split, or audio/. */
function audioDirs(file: string): string[] {
  const dir = dirname(file);
  const stem = basename(file, extname(file));
  const split = /^clotho_captions_(\w+)$/.exec(stem)?.[1] ?? stem;
  return [dir, join(dir, split), join(dir, 'audio'), join(dir, 'audio', split)];
}

/** Event tags by file name from a `tags.jsonl` beside a Clotho CSV (what `flapc data build` writes); optional side data. */
function sideTags(file: string): Map<string, string[]> {
  const p = join(dirname(file), 'tags.jsonl');
  const tags = new Map<string, string[]>();
  if (!existsSync(p)) return tags;
  for (const line of readFileSync(p, 'utf8').split('\n')) {
    try {
      const o = JSON.parse(line) as { file_name?: unknown; tags?: unknown };
      if (typeof o.file_name === 'string') tags.set(o.file_name, parseTags(o.tags));
    } catch {
      /* blank or foreign line: side data only */
    }
  }
  return tags;
}

function readClotho(file: string, header: string[], rows: { cells: string[]; line: number }[], dirs: DirCache, out: Collector): void {
  const fi = header.indexOf('file_name');
  const ci = header.map((h, i) => (/^caption_\d+$/.test(h) ? i : -1)).filter((i) => i >= 0);
  const where = audioDirs(file);
  const tags = sideTags(file);
  for (const { cells, line } of rows) {
    const name = cells[fi]!.trim();
    const origin = `${file}:${line}`;
    if (!name) {
      out.bad.push({ item: origin, reason: 'empty file_name', origin });
      continue;
    }
    const dir = where.find((d) => dirs.has(d, name));
    out.add(
      join(where[0]!, name),
      origin,
      dir ? { kind: 'file', path: join(dir, name) } : undefined,
      cleanCaptions(ci.map((i) => cells[i])),
      tags.get(name) ?? [],
      name,
    );
  }
}

function readAudioCaps(file: string, header: string[], rows: { cells: string[]; line: number }[], dirs: DirCache, out: Collector): void {
  const col = (n: string): number => header.indexOf(n);
  const [yi, si, ci, fi, ai] = [col('youtube_id'), col('start_time'), col('caption'), col('file_name'), col('audiocap_id')];
  // One row per caption: group rows by clip, keeping first-seen order.
  const groups = new Map<string, { names: string[]; captions: string[]; line: number }>();
  for (const { cells, line } of rows) {
    const yt = yi >= 0 ? cells[yi]!.trim() : '';
    const start = si >= 0 ? cells[si]!.trim() : '';
    const fname = fi >= 0 ? cells[fi]!.trim() : '';
    const key = fname || `${yt}_${start}`;
    if (!fname && !yt) throw new ManifestError(file, line, 'row has neither youtube_id nor file_name');
    let g = groups.get(key);
    if (!g) {
      const s = Number(start);
      const starts = [...new Set([start, Number.isFinite(s) ? String(Math.trunc(s)) : start, Number.isFinite(s) ? String(Math.round(s * 1000)) : start])];
      const names = fname ? [fname] : [...starts.flatMap((t) => [`${yt}_${t}`, `Y${yt}_${t}`]), yt, `Y${yt}`, ai >= 0 ? cells[ai]!.trim() : ''].filter(Boolean);
      g = { names, captions: [], line };
      groups.set(key, g);
    }
    g.captions.push(cells[ci]!);
  }
  const where = audioDirs(file);
  for (const [key, g] of groups) {
    let found: string | undefined;
    outer: for (const d of where) {
      for (const n of g.names) {
        for (const cand of extname(n) ? [n] : AUDIO_EXTS.map((e) => n + e))
          if (dirs.has(d, cand)) {
            found = join(d, cand);
            break outer;
          }
      }
    }
    const item = found ?? join(where[0]!, extname(g.names[0]!) ? g.names[0]! : `${g.names[0]}.wav`);
    out.add(item, `${file}:${g.line}`, found ? { kind: 'file', path: found } : undefined, cleanCaptions(g.captions), [], key);
  }
}

const PATH_KEYS = ['audio', 'path', 'file', 'file_name', 'audio_path', 'wav'];

function jsonCaptions(o: Record<string, unknown>): string[] {
  const c = o.captions ?? o.caption ?? o.text;
  return cleanCaptions(Array.isArray(c) ? c : [c]);
}

function readJsonl(file: string, out: Collector): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestError(file, 0, `cannot read: ${(e as Error).message}`);
  }
  const base = dirname(file);
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let o: unknown;
    try {
      o = JSON.parse(raw);
    } catch (e) {
      throw new ManifestError(file, line, `malformed JSON: ${(e as Error).message}`);
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ManifestError(file, line, 'each line must be a JSON object');
    const rec = o as Record<string, unknown>;
    const key = PATH_KEYS.find((k) => typeof rec[k] === 'string');
    if (!key) throw new ManifestError(file, line, `no audio path (one of: ${PATH_KEYS.join(', ')})`);
    const given = rec[key] as string;
    const p = isAbsolute(given) ? given : join(base, given);
    const origin = `${file}:${line}`;
    const exists = existsSync(p) && statSync(p).isFile();
    const before = out.clips.length;
    out.add(
      p,
      origin,
      exists ? { kind: 'file', path: p } : undefined,
      jsonCaptions(rec),
      parseTags(rec.tags),
      typeof rec.id === 'string' ? rec.id : basename(p),
    );
    if (out.clips.length > before && Array.isArray(rec.augmented)) {
      const aug = rec.augmented.map((x) => (typeof x === 'string' ? x.replace(/\s+/g, ' ').trim() : ''));
      const caps = out.clips.at(-1)!.captions;
      if (aug.length !== caps.length || aug.some((x) => !x))
        throw new ManifestError(file, line, `"augmented" must hold one non-empty caption per caption (${caps.length})`);
      out.clips.at(-1)!.augmented = aug;
    }
  });
}

function jsonlHasCaptions(file: string): boolean {
  const first = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.trim());
  try {
    const o = JSON.parse(first ?? '{}') as Record<string, unknown>;
    return 'captions' in o || 'caption' in o || 'text' in o;
  } catch {
    return true;
  }
}

/** WebDataset: members grouped by key (path up to the first dot of the basename). */
function readShard(file: string, out: Collector): void {
  const idx = indexTar(file);
  const groups = new Map<
    string,
    { audio?: { member: string; offset: number; size: number }; json?: Record<string, unknown>; jsonError?: string; txt?: string }
  >();
  for (const m of idx.members) {
    const slash = m.name.lastIndexOf('/');
    const dot = m.name.indexOf('.', slash + 1);
    if (dot < 0) continue;
    const key = m.name.slice(0, dot),
      ext = m.name.slice(dot + 1).toLowerCase();
    const g = groups.get(key) ?? {};
    groups.set(key, g);
    if (AUDIO_EXTS.includes(`.${ext}`)) g.audio = { member: m.name, offset: m.offset, size: m.size };
    else if (ext === 'json') {
      try {
        const o = JSON.parse(new TextDecoder().decode(readRange(file, m.offset, m.size)));
        if (typeof o === 'object' && o !== null && !Array.isArray(o)) g.json = o;
        else g.jsonError = `${m.name}: not a JSON object`;
      } catch (e) {
        g.jsonError = `${m.name}: malformed JSON (${(e as Error).message})`;
      }
    } else if (ext === 'txt') g.txt = new TextDecoder().decode(readRange(file, m.offset, m.size));
  }
  for (const [key, g] of groups) {
    const item = `${file}:${key}`;
    if (!g.audio) {
      out.bad.push({ item, reason: 'no audio member (.flac, .wav, .mp3 or .ogg)', origin: file });
      continue;
    }
    if (g.jsonError && g.txt === undefined) {
      out.bad.push({ item, reason: g.jsonError, origin: file });
      continue;
    }
    const captions = [...(g.json ? jsonCaptions(g.json) : []), ...cleanCaptions((g.txt ?? '').split('\n'))];
    out.add(item, `${file}:${g.audio.member}`, { kind: 'tar', path: file, ...g.audio }, captions, parseTags(g.json?.tags), key);
  }
  if (idx.error) out.bad.push({ item: file, reason: `${idx.error}; ${idx.members.length} members before it were read`, origin: file });
}

/** A folder of audio files with `name.txt` (a caption per line) or `name.json` sidecars. */
function readFolder(dir: string, out: Collector): void {
  const names = readdirSync(dir).sort();
  const have = new Set(names);
  for (const n of names.filter(isAudio)) {
    const p = join(dir, n),
      stem = n.slice(0, n.length - extname(n).length);
    let captions: string[] = [],
      tags: string[] = [];
    if (have.has(`${stem}.json`)) {
      try {
        const o = JSON.parse(readFileSync(join(dir, `${stem}.json`), 'utf8')) as Record<string, unknown>;
        captions = jsonCaptions(o);
        tags = parseTags(o.tags);
      } catch (e) {
        out.bad.push({ item: p, reason: `malformed sidecar ${stem}.json: ${(e as Error).message}`, origin: p });
        continue;
      }
    }
    if (have.has(`${stem}.txt`)) captions.push(...cleanCaptions(readFileSync(join(dir, `${stem}.txt`), 'utf8').split('\n')));
    out.add(p, p, { kind: 'file', path: p }, captions, tags, stem);
  }
}

/** Reads one or more manifests, shards or folders into a single dataset. */
export function openDataset(inputs: string[]): Dataset {
  const ds: Dataset = { clips: [], bad: [], manifests: [], skipped: [] };
  const dirs = new DirCache();
  const readOne = (file: string, fromFolder: boolean): void => {
    const out = new Collector();
    const ext = extname(file).toLowerCase();
    let format: ManifestFormat;
    if (ext === '.tar') {
      format = 'webdataset';
      readShard(file, out);
    } else if (ext === '.jsonl' || ext === '.ndjson') {
      // In a scanned folder, a JSONL without captions is side data (e.g. a corpus's tags.jsonl).
      if (fromFolder && !jsonlHasCaptions(file)) {
        ds.skipped.push({ path: file, reason: 'not a caption manifest (no caption field)' });
        return;
      }
      format = 'jsonl';
      readJsonl(file, out);
    } else if (ext === '.csv') {
      const { header, rows } = readCsv(file);
      const f = csvFormat(header);
      if (!f) {
        const why = `not a caption manifest (header: ${header.slice(0, 6).join(',')})`;
        if (fromFolder) {
          ds.skipped.push({ path: file, reason: why });
          return;
        }
        throw new ManifestError(file, 1, `${why}; expected Clotho (file_name,caption_1..caption_5) or AudioCaps (audiocap_id,youtube_id,start_time,caption)`);
      }
      format = f;
      if (f === 'clotho') readClotho(file, header, rows, dirs, out);
      else readAudioCaps(file, header, rows, dirs, out);
    } else throw new ManifestError(file, 0, 'unknown manifest type (expected .csv, .jsonl, .tar or a folder)');
    ds.clips.push(...out.clips);
    ds.bad.push(...out.bad);
    ds.manifests.push({ path: file, format, clips: out.clips.length, bad: out.bad.length });
  };
  for (const input of inputs) {
    if (!existsSync(input)) throw new ManifestError(input, 0, 'no such file or folder');
    if (!statSync(input).isDirectory()) {
      readOne(input, false);
      continue;
    }
    const entries = readdirSync(input).sort();
    const manifests = entries.filter((e) => ['.csv', '.jsonl', '.ndjson', '.tar'].includes(extname(e).toLowerCase()));
    if (manifests.length > 0) for (const m of manifests) readOne(join(input, m), true);
    else {
      const out = new Collector();
      readFolder(input, out);
      ds.clips.push(...out.clips);
      ds.bad.push(...out.bad);
      ds.manifests.push({ path: input, format: 'folder', clips: out.clips.length, bad: out.bad.length });
    }
  }
  return ds;
}

/** The clip's encoded bytes, from its file or its shard. */
export function readClipBytes(s: ClipSource): Uint8Array {
  if (s.kind === 'file') return new Uint8Array(readFileSync(s.path));
  return readRange(s.path, s.offset, s.size);
}
