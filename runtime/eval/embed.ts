// Embedding clips and captions with a model's compiled evaluation step (every patch token, no
// masking): audio rows come from the loader (one crop per clip, or every chunk, averaged), text
// rows from the tokenizer. The evaluation graph computes both towers, so the other input is fed a
// neutral value (silence-level mel, [CLS] [SEP] captions).
import type { Plan } from '../../compiler/plan/plan.ts';
import type { Gpu } from '../gpu/gpu.ts';
import { Executable } from '../exec/executor.ts';
import type { EvalBatch, Loader } from '../data/loader.ts';
import type { WordPieceTokenizer } from '../data/wordpiece.ts';
import { type ParamSpec, initParam, isStored } from '../train/init.ts';
import { l2normalize } from './retrieval.ts';
import { AUDIO_EMB, MEL, TEXT_EMB, TOKENS } from '../../compiler/names.ts';

export class Embedder {
  private constructor(
    private exe: Executable,
    readonly batch: number,
    readonly frames: number,
    readonly melBins: number,
    readonly maxTokens: number,
    readonly dim: number,
  ) {}

  /** Parameters from `values` (trained or a checkpoint); fixed tables and anything missing from their initialiser. */
  static async create(gpu: Gpu, plan: Plan, params: ParamSpec[], values: Map<string, Float32Array>, seed: number): Promise<Embedder> {
    for (const o of [AUDIO_EMB, TEXT_EMB])
      if (!plan.outputs.some((x) => x.name === o)) throw new Error(`the evaluation step has no '${o}' output (the model must output audio_emb and text_emb)`);
    const exe = await Executable.create(gpu, plan);
    const byName = new Map(params.map((p) => [p.name, p]));
    for (const i of plan.inputs) {
      const v = values.get(i.name);
      const p = byName.get(i.name);
      if (v) exe.write(i.name, v);
      else if (p) {
        if (isStored(p)) throw new Error(`no value for stored parameter '${i.name}'`);
        exe.write(i.name, initParam(p, seed));
      }
    }
    const mel = plan.inputs.find((i) => i.name === MEL)!,
      tokens = plan.inputs.find((i) => i.name === TOKENS)!;
    const emb = plan.outputs.find((o) => o.name === AUDIO_EMB)!;
    return new Embedder(exe, mel.shape[0]!, mel.shape[1]!, mel.shape[2]!, tokens.shape[1]!, emb.shape[1]!);
  }

  private async run(mel: Float32Array, tokens: Int32Array, out: typeof AUDIO_EMB | typeof TEXT_EMB): Promise<Float32Array> {
    // Only the tower `out` needs runs, and only its input is uploaded: a caption batch skips the
    // audio encoder and the 2 MB of silent log-mel, a clip batch the text encoder.
    const only = [out];
    if (this.exe.reads(MEL, only)) this.exe.write(MEL, mel);
    if (this.exe.reads(TOKENS, only)) this.exe.write(TOKENS, tokens);
    this.exe.run(only);
    return (await this.exe.read(out)) as Float32Array;
  }

  private neutralTokens(): Int32Array {
    const t = new Int32Array(this.batch * this.maxTokens);
    for (let b = 0; b < this.batch; b++) {
      t[b * this.maxTokens] = 101;
      t[b * this.maxTokens + 1] = 102;
    }
    return t;
  }

  /** One normalised embedding per clip the loader could load (`clips` = their indices). */
  embedAudio(loader: Loader, progress?: (done: number) => void): Promise<{ emb: Float32Array; clips: number[] }> {
    return this.embedBatches(loader.evalAudio(), progress);
  }

  /** Batches of model-sized rows (several rows of one clip are averaged): the host-neutral core. */
  async embedBatches(batches: AsyncIterable<EvalBatch>, progress?: (done: number) => void): Promise<{ emb: Float32Array; clips: number[] }> {
    const sums = new Map<number, { v: Float64Array; n: number }>();
    const tokens = this.neutralTokens();
    for await (const b of batches) {
      const e = await this.run(b.mel, tokens, AUDIO_EMB);
      for (let r = 0; r < b.valid; r++) {
        const s = sums.get(b.clips[r]!) ?? { v: new Float64Array(this.dim), n: 0 };
        for (let k = 0; k < this.dim; k++) s.v[k] += e[r * this.dim + k]!;
        s.n++;
        sums.set(b.clips[r]!, s);
      }
      progress?.(sums.size);
    }
    const clips = [...sums.keys()].sort((a, b) => a - b);
    const emb = new Float32Array(clips.length * this.dim);
    clips.forEach((c, i) => {
      const s = sums.get(c)!;
      for (let k = 0; k < this.dim; k++) emb[i * this.dim + k] = s.v[k]! / s.n;
    });
    return { emb: l2normalize(emb, clips.length, this.dim), clips };
  }

  async embedText(texts: string[], tok: WordPieceTokenizer, silence: number): Promise<Float32Array> {
    const out = new Float32Array(texts.length * this.dim);
    const mel = new Float32Array(this.batch * this.frames * this.melBins).fill(silence);
    for (let i = 0; i < texts.length; i += this.batch) {
      const tokens = this.neutralTokens();
      const n = Math.min(this.batch, texts.length - i);
      for (let r = 0; r < n; r++) tokens.set(tok.encode(texts[i + r]!, this.maxTokens), r * this.maxTokens);
      const e = await this.run(mel, tokens, TEXT_EMB);
      out.set(e.subarray(0, n * this.dim), i * this.dim);
    }
    return l2normalize(out, texts.length, this.dim);
  }

  destroy(): void {
    this.exe.destroy();
  }
}
