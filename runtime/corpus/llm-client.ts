// A client for OpenAI-compatible chat-completions endpoints (llama.cpp server, Ollama, vLLM):
// bounded concurrency, per-request timeout, retries with exponential backoff on network errors,
// timeouts, 429 and 5xx, and an on-disk cache keyed by (backend, model, prompt, caption, tags) so a
// dataset is augmented once. Failures are returned, never thrown: the caller keeps the original.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LlmOptions {
  baseUrl: string; // e.g. http://localhost:8080/v1
  model: string;
  apiKey?: string;
  timeoutMs: number;
  retries: number;
  backoffMs: number; // first retry delay; doubles each time
  concurrency: number;
  cacheDir: string | null;
}

export type LlmResult = { ok: true; text: string; cached: boolean } | { ok: false; reason: string };

export function cacheKey(o: Pick<LlmOptions, 'baseUrl' | 'model'>, prompt: string, caption: string, tags: string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(['openai-chat', o.baseUrl, o.model, prompt, caption, tags]))
    .digest('hex');
}

const REFUSAL = /^(i'?m sorry|i am sorry|i can(?:no|')t|as an ai|sorry,)/i;

/** Cleans a reply to one caption line; undefined when it is empty or a refusal. */
export function cleanReply(s: string): string | undefined {
  let t =
    s
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? '';
  t = t
    .replace(/^(new caption|caption)\s*:\s*/i, '')
    .replace(/^["'“]+|["'”]+$/g, '')
    .trim();
  if (!t || REFUSAL.test(t)) return undefined;
  return t;
}

class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }
  give(): void {
    const w = this.waiting.shift();
    if (w) w();
    else this.free++;
  }
}

export class LlmClient {
  private sem: Semaphore;
  constructor(readonly o: LlmOptions) {
    this.sem = new Semaphore(Math.max(1, o.concurrency));
  }

  private cachePath(key: string): string | undefined {
    return this.o.cacheDir ? join(this.o.cacheDir, key.slice(0, 2), `${key}.txt`) : undefined;
  }

  async complete(prompt: string, caption: string, tags: string[]): Promise<LlmResult> {
    const key = cacheKey(this.o, prompt, caption, tags);
    const path = this.cachePath(key);
    if (path) {
      try {
        return { ok: true, text: readFileSync(path, 'utf8'), cached: true };
      } catch {
        /* not cached */
      }
    }
    await this.sem.take();
    try {
      let last = 'no attempt';
      for (let attempt = 0; attempt <= this.o.retries; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, this.o.backoffMs * 2 ** (attempt - 1)));
        const r = await this.once(prompt);
        if (r.ok) {
          if (path) {
            mkdirSync(join(path, '..'), { recursive: true });
            const tmp = `${path}.tmp-${process.pid}`;
            writeFileSync(tmp, r.text);
            renameSync(tmp, path);
          }
          return { ok: true, text: r.text, cached: false };
        }
        last = r.reason;
        if (!r.retry) break;
      }
      return { ok: false, reason: last };
    } finally {
      this.sem.give();
    }
  }

  private async once(prompt: string): Promise<{ ok: true; text: string } | { ok: false; reason: string; retry: boolean }> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.o.timeoutMs);
    try {
      const res = await fetch(`${this.o.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
        method: 'POST',
        signal: ctrl.signal,
        headers: { 'content-type': 'application/json', ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}) },
        body: JSON.stringify({ model: this.o.model, temperature: 0, messages: [{ role: 'user', content: prompt }] }),
      });
      const body = await res.text();
      if (!res.ok) return { ok: false, reason: `HTTP ${res.status}: ${body.slice(0, 120)}`, retry: res.status === 429 || res.status >= 500 };
      let j: { choices?: { message?: { content?: unknown } }[] };
      try {
        j = JSON.parse(body);
      } catch {
        return { ok: false, reason: `malformed JSON reply: ${body.slice(0, 80)}`, retry: true };
      }
      const content = j.choices?.[0]?.message?.content;
      if (typeof content !== 'string') return { ok: false, reason: 'reply has no choices[0].message.content', retry: true };
      const text = cleanReply(content);
      if (!text) return { ok: false, reason: `refused or empty reply: ${content.slice(0, 80)}`, retry: false };
      return { ok: true, text };
    } catch (e) {
      const aborted = ctrl.signal.aborted;
      return { ok: false, reason: aborted ? `timed out after ${this.o.timeoutMs} ms` : `request failed: ${(e as Error).message}`, retry: true };
    } finally {
      clearTimeout(timer);
    }
  }
}
