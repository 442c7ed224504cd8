// The LLM client against a local HTTP server speaking the chat-completions protocol, including
// errors, slow replies, malformed JSON and refusals.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augment, readTags } from './augment-dataset.ts';
import { LlmClient, type LlmOptions, cleanReply } from './llm-client.ts';
import { toneWav } from '../data/test-corpus.ts';

type Behaviour = (body: { model: string; messages: { content: string }[] }, n: number) => { status?: number; raw?: string; text?: string; delayMs?: number };
let server: Server, url: string, dir: string;
let behaviour: Behaviour = () => ({ text: 'ok' });
const hits = new Map<string, number>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flapc-llm-'));
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      const body = JSON.parse(data) as { model: string; messages: { content: string }[] };
      const key = body.messages[0]!.content;
      const n = (hits.get(key) ?? 0) + 1;
      hits.set(key, n);
      if (req.url !== '/v1/chat/completions') {
        res.writeHead(404).end('no');
        return;
      }
      const b = behaviour(body, n);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(b.status ?? 200, { 'content-type': 'application/json' });
        res.end(b.raw ?? JSON.stringify({ choices: [{ message: { role: 'assistant', content: b.text ?? '' } }] }));
      }, b.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = (o: Partial<LlmOptions> = {}): LlmClient =>
  new LlmClient({ baseUrl: url, model: 'test-model', timeoutMs: 300, retries: 2, backoffMs: 5, concurrency: 2, cacheDir: join(dir, 'cache'), ...o });
const prompt = (s: string): string => `${s} ${Math.random()}`;

describe('LLM client (OpenAI-compatible chat completions)', () => {
  it('returns the reply and caches it: the second call sends no request', async () => {
    behaviour = (b) => ({ text: `"A richer caption about ${b.messages[0]!.content.split(' ')[0]}."` });
    const p = prompt('dogs');
    const a = await client().complete(p, 'cap', ['dog']);
    expect(a).toEqual({ ok: true, text: 'A richer caption about dogs.', cached: false });
    const b = await client().complete(p, 'cap', ['dog']);
    expect(b).toEqual({ ok: true, text: 'A richer caption about dogs.', cached: true });
    expect(hits.get(p)).toBe(1);
    // Another model is another cache entry.
    await client({ model: 'other' }).complete(p, 'cap', ['dog']);
    expect(hits.get(p)).toBe(2);
  });

  it('retries 5xx and 429 with backoff, then succeeds', async () => {
    behaviour = (_b, n) => (n === 1 ? { status: 500, raw: 'boom' } : n === 2 ? { status: 429, raw: 'slow down' } : { text: 'fine' });
    const p = prompt('retry');
    expect(await client().complete(p, 'c', [])).toMatchObject({ ok: true, text: 'fine' });
    expect(hits.get(p)).toBe(3);
  });

  it('times out slow replies and retries; gives up after the retries', async () => {
    behaviour = (_b, n) => (n === 1 ? { text: 'late', delayMs: 1000 } : { text: 'on time' });
    const p = prompt('slow');
    expect(await client().complete(p, 'c', [])).toMatchObject({ ok: true, text: 'on time' });
    behaviour = () => ({ text: 'never', delayMs: 1000 });
    const q = prompt('always-slow');
    const r = await client({ cacheDir: null }).complete(q, 'c', []);
    expect(r).toEqual({ ok: false, reason: 'timed out after 300 ms' });
    expect(hits.get(q)).toBe(3);
  });

  it('malformed JSON and missing content fail after retries; refusals fail at once; 4xx is not retried', async () => {
    behaviour = () => ({ raw: '{"choices": [' });
    const p = prompt('malformed');
    const r = await client({ cacheDir: null }).complete(p, 'c', []);
    expect(r.ok).toBe(false);
    expect((r as { reason: string }).reason).toMatch(/^malformed JSON reply/);
    expect(hits.get(p)).toBe(3);
    behaviour = () => ({ raw: '{"choices": []}' });
    expect(await client({ cacheDir: null }).complete(prompt('empty'), 'c', [])).toEqual({ ok: false, reason: 'reply has no choices[0].message.content' });
    behaviour = () => ({ text: "I'm sorry, but I can't help with that." });
    const q = prompt('refuse');
    expect((await client().complete(q, 'c', [])).ok).toBe(false);
    expect(hits.get(q)).toBe(1);
    behaviour = () => ({ status: 400, raw: 'bad request' });
    const s = prompt('400');
    expect(await client().complete(s, 'c', [])).toEqual({ ok: false, reason: 'HTTP 400: bad request' });
    expect(hits.get(s)).toBe(1);
    // A failure is never cached: the next run asks again.
    behaviour = () => ({ text: 'now it works' });
    expect(await client().complete(s, 'c', [])).toMatchObject({ ok: true, text: 'now it works' });
  });

  it('an unreachable endpoint is a counted failure, not a crash', async () => {
    const r = await client({ baseUrl: 'http://127.0.0.1:1/v1', retries: 1, cacheDir: null }).complete('x', 'c', []);
    expect(r.ok).toBe(false);
    expect((r as { reason: string }).reason).toMatch(/^request failed/);
  });

  it('cleans replies to one caption line', () => {
    expect(cleanReply('  "A dog barks."\n')).toBe('A dog barks.');
    expect(cleanReply('New caption: A bird sings.\n\nExplanation: ...')).toBe('A bird sings.');
    expect(cleanReply('')).toBeUndefined();
    expect(cleanReply('As an AI language model, I cannot')).toBeUndefined();
  });
});

describe('flapc data augment through the LLM', () => {
  it('keeps the original caption of every failed request and counts it', async () => {
    writeFileSync(join(dir, 'a.wav'), toneWav(440, 0.5));
    writeFileSync(join(dir, 'b.wav'), toneWav(660, 0.5));
    writeFileSync(
      join(dir, 'm.jsonl'),
      `${JSON.stringify({ audio: 'a.wav', captions: ['a tone', 'a beep'] })}\n${JSON.stringify({ audio: 'b.wav', caption: 'a higher tone' })}\n`,
    );
    writeFileSync(
      join(dir, 'tags.jsonl'),
      `${JSON.stringify({ file_name: 'a.wav', tags: ['tone'] })}\n${JSON.stringify({ file_name: 'b.wav', tags: ['tone', 'beep'] })}\n`,
    );
    behaviour = (b) =>
      b.messages[0]!.content.includes('a beep') ? { status: 503, raw: 'down' } : { text: `Rich: ${/Caption: (.*)/.exec(b.messages[0]!.content)![1]}` };
    const out = join(dir, 'aug.jsonl');
    const s = await augment([join(dir, 'm.jsonl')], {
      tags: readTags(join(dir, 'tags.jsonl')),
      out,
      seed: 0,
      llm: client({ cacheDir: join(dir, 'c2') }),
      prompt: 'Caption: {caption}\nTags: {tags}',
    });
    expect(s).toMatchObject({ clips: 2, captions: 3, augmented: 2, kept: 1, reasons: { 'HTTP 503': 1 } });
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { audio: string; captions: string[]; augmented: string[]; tags: string[] });
    expect(lines[0]).toEqual({ audio: 'a.wav', id: 'a.wav', captions: ['a tone', 'a beep'], augmented: ['Rich: a tone', 'a beep'], tags: ['tone'] });
    expect(lines[1]!.augmented).toEqual(['Rich: a higher tone']);
  });
});
