// The in-browser audio search page: the same evaluation plan, executor, resampler, Kaldi log-mel
// and tokenizer as `flapc run embed`/`search` in Node, here on the browser's WebGPU. Audio is
// decoded by the browser (WebAudio decodeAudioData at the file's own rate when its header says
// it, so the resampling is flapc's), embedded on the GPU in batches, and ranked against a typed
// query. Nothing leaves the page. `window.flapc` exposes the state for tests and tinkering.
import { parsePlan } from '../../compiler/plan/plan.ts';
import { downmix, evalBatches, type Features, type FrontEnd, featurizeSamples, silenceLevel } from '../data/features.ts';
import { WordPieceTokenizer } from '../data/wordpiece.ts';
import { Embedder } from '../eval/embed.ts';
import { gpuFromAdapter } from '../gpu/gpu.ts';
import type { ParamSpec } from '../train/init.ts';
import { parseSafetensors } from './weights.ts';

/** meta.json, written by `flapc run web` (runtime/web/site.ts). */
export interface SiteMeta {
  model: string;
  specHash: string;
  checkpointHash: string;
  weights: 'f32' | 'f16';
  fe: FrontEnd;
  norm: { mean: number; std: number };
  params: ParamSpec[];
}

interface Clip {
  name: string;
  url: string;
  seconds: number;
  vector: Float32Array;
}
interface Hit {
  name: string;
  score: number;
  seconds: number;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const state = { clips: [] as Clip[], skipped: [] as { name: string; reason: string }[], clipsPerSecond: 0 };

/** Native sample rate from a WAV or FLAC header, so the browser decodes without resampling. */
export function sniffRate(b: Uint8Array): number | undefined {
  const ascii = (o: number, n: number): string => String.fromCharCode(...b.subarray(o, o + n));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 28 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WAVE') {
    for (let o = 12; o + 8 <= b.length; ) {
      // find the fmt chunk
      const id = ascii(o, 4),
        size = dv.getUint32(o + 4, true);
      if (id === 'fmt ' && o + 16 <= b.length) return dv.getUint32(o + 12, true);
      o += 8 + size + (size & 1);
    }
  }
  if (b.length >= 22 && ascii(0, 4) === 'fLaC') return (b[18]! << 12) | (b[19]! << 4) | (b[20]! >> 4); // STREAMINFO
  return undefined;
}

async function decode(file: File, fe: FrontEnd): Promise<Features> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const rate = sniffRate(bytes) ?? 48000;
  const ctx = new OfflineAudioContext(1, 1, Math.min(384000, Math.max(3000, rate)));
  let buf: AudioBuffer;
  try {
    buf = await ctx.decodeAudioData(bytes.buffer.slice(0));
  } catch {
    throw new Error('the browser cannot decode it');
  }
  const channels = Array.from({ length: buf.numberOfChannels }, (_, i) => buf.getChannelData(i));
  return featurizeSamples(downmix(channels), buf.sampleRate, fe);
}

async function boot(): Promise<void> {
  const status = $('status');
  const gpuApi = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = gpuApi ? await gpuApi.requestAdapter() : null;
  if (!adapter) {
    $('nogpu').hidden = false;
    $('app').hidden = true;
    throw new Error('no WebGPU adapter');
  }
  status.textContent = 'loading the model…';
  const get = async (f: string): Promise<Response> => {
    const r = await fetch(f);
    if (!r.ok) throw new Error(`${f}: HTTP ${r.status}`);
    return r;
  };
  const meta = (await (await get('meta.json')).json()) as SiteMeta;
  const [planText, weightBytes, vocab] = await Promise.all([
    get('eval.plan.json').then((r) => r.text()),
    get('weights.safetensors').then((r) => r.arrayBuffer()),
    get('vocab.txt').then((r) => r.text()),
  ]);
  const gpu = await gpuFromAdapter(adapter);
  const weights = new Map([...parseSafetensors(weightBytes).tensors].map(([n, t]) => [n, t.data]));
  const emb = await Embedder.create(gpu, parsePlan(planText, 'eval.plan.json'), meta.params, weights, 0);
  const tok = new WordPieceTokenizer(vocab.split('\n'));
  const fe = { ...meta.fe, frames: emb.frames };
  $('model').textContent =
    `${meta.model} (${emb.dim}-d embeddings, ${meta.weights} weights) on ${adapter.info.vendor || 'this GPU'} ${adapter.info.architecture || ''}`;
  status.textContent = 'drop audio files here or pick them';

  async function embedFiles(files: File[]): Promise<void> {
    const progress = $<HTMLProgressElement>('progress');
    progress.hidden = false;
    progress.max = files.length;
    progress.value = 0;
    const t0 = performance.now();
    const base = state.clips.length;
    const decoded: (Features | undefined)[] = [];
    async function* items(): AsyncGenerator<{ clip: number; f: Features | undefined }> {
      for (const [i, file] of files.entries()) {
        let f: Features | undefined;
        try {
          f = await decode(file, fe);
        } catch (e) {
          state.skipped.push({ name: file.name, reason: (e as Error).message });
        }
        decoded.push(f);
        progress.value = i + 1;
        status.textContent = `embedding ${i + 1}/${files.length}…`;
        yield { clip: i, f };
      }
    }
    const out = await emb.embedBatches(evalBatches(items(), fe, meta.norm, emb.batch));
    out.clips.forEach((c, k) =>
      state.clips.push({
        name: files[c]!.name,
        url: URL.createObjectURL(files[c]!),
        seconds: decoded[c]!.seconds,
        vector: out.emb.slice(k * emb.dim, (k + 1) * emb.dim),
      }),
    );
    state.clipsPerSecond = out.clips.length / ((performance.now() - t0) / 1000);
    progress.hidden = true;
    status.textContent = `embedded ${state.clips.length - base} clips (${state.clipsPerSecond.toFixed(1)} clips/s); ${state.clips.length} in all`;
    $('skipped').innerHTML = state.skipped.map((s) => `<li>skipped ${escapeHtml(s.name)}: ${escapeHtml(s.reason)}</li>`).join('');
    if ($<HTMLInputElement>('query').value) await showResults();
  }

  async function textEmbedding(q: string): Promise<Float32Array> {
    return emb.embedText([q], tok, silenceLevel(meta.norm));
  }

  async function search(q: string, k = 10): Promise<Hit[]> {
    const t = await textEmbedding(q);
    return state.clips
      .map((c) => ({ name: c.name, seconds: c.seconds, score: c.vector.reduce((s, x, i) => s + x * t[i]!, 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }

  async function showResults(): Promise<void> {
    const q = $<HTMLInputElement>('query').value.trim();
    if (!q) return;
    const hits = await search(q);
    $('results').innerHTML =
      hits
        .map((h) => {
          const c = state.clips.find((x) => x.name === h.name)!;
          return `<li><span class="score">${h.score.toFixed(3)}</span> <span class="name">${escapeHtml(h.name)}</span> <span class="dur">${h.seconds.toFixed(1)} s</span><audio controls preload="none" src="${c.url}"></audio></li>`;
        })
        .join('') || '<li>no clips yet: add some audio first</li>';
  }

  const input = $<HTMLInputElement>('files');
  input.addEventListener('change', () => {
    void embedFiles([...(input.files ?? [])]);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    void embedFiles([...(e.dataTransfer?.files ?? [])]);
  });
  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    void showResults();
  });
  Object.assign(window, { flapc: { state, embedFiles, search, textEmbedding: async (q: string) => Array.from(await textEmbedding(q)), meta } });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const ready = boot();
Object.assign(window, {
  flapcReady: ready.then(
    () => true,
    (e: Error) => {
      const el = document.getElementById('status');
      if (el && e.message !== 'no WebGPU adapter') el.textContent = `error: ${e.message}`;
      return false;
    },
  ),
});
