// BERT's uncased WordPiece tokenizer (basic tokenisation + greedy longest-match-first word pieces)
// over a vocab.txt-style token list. No Node imports: the web page bundles it; tokenizer.ts loads
// the bert-base-uncased vocabulary in Node.
export const PAD_ID = 0,
  UNK_ID = 100,
  CLS_ID = 101,
  SEP_ID = 102;
const MAX_WORD_CHARS = 100; // BERT's max_input_chars_per_word: longer words become [UNK]

export class WordPieceTokenizer {
  readonly vocab: Map<string, number>;
  readonly tokens: string[];

  constructor(tokens: string[]) {
    this.tokens = tokens;
    this.vocab = new Map(tokens.map((t, i) => [t, i]));
    if (this.vocab.get('[CLS]') !== CLS_ID || this.vocab.get('[SEP]') !== SEP_ID || this.vocab.get('[UNK]') !== UNK_ID) {
      throw new Error('vocabulary does not have BERT special tokens at ids 100..102');
    }
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Basic tokenisation: clean, split CJK, lower-case, strip accents, split punctuation. */
  basic(text: string): string[] {
    let clean = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
      clean += isWhitespace(ch) ? ' ' : isCjk(cp) ? ` ${ch} ` : ch;
    }
    const out: string[] = [];
    for (const word of clean.split(' ')) {
      if (!word) continue;
      const w = word
        .toLowerCase()
        .normalize('NFD')
        .replace(/\p{Mn}/gu, '');
      let cur = '';
      for (const ch of w) {
        if (isPunctuation(ch)) {
          if (cur) out.push(cur);
          out.push(ch);
          cur = '';
        } else cur += ch;
      }
      if (cur) out.push(cur);
    }
    return out;
  }

  /** Word pieces of one basic token; the whole word becomes [UNK] if any piece is missing. */
  wordPieces(word: string): number[] {
    const chars = [...word];
    if (chars.length > MAX_WORD_CHARS) return [UNK_ID];
    const ids: number[] = [];
    for (let start = 0; start < chars.length; ) {
      let end = chars.length,
        id: number | undefined;
      for (; end > start; end--) {
        const piece = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        id = this.vocab.get(piece);
        if (id !== undefined) break;
      }
      if (id === undefined) return [UNK_ID];
      ids.push(id);
      start = end;
    }
    return ids;
  }

  tokenize(text: string): number[] {
    return this.basic(text).flatMap((w) => this.wordPieces(w));
  }

  /** [CLS] ids [SEP], truncated to maxTokens (keeping [SEP]) and padded with [PAD] = 0. */
  encode(text: string, maxTokens: number): Int32Array {
    if (maxTokens < 2) throw new Error('max_tokens must leave room for [CLS] and [SEP]');
    const ids = this.tokenize(text).slice(0, maxTokens - 2);
    const out = new Int32Array(maxTokens);
    out[0] = CLS_ID;
    out.set(ids, 1);
    out[ids.length + 1] = SEP_ID;
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (const id of Array.from(ids)) {
      if (id === PAD_ID || id === CLS_ID || id === SEP_ID) continue;
      const t = this.tokens[id] ?? '[UNK]';
      s += t.startsWith('##') ? t.slice(2) : (s ? ' ' : '') + t;
    }
    return s;
  }
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || /\p{Zs}/u.test(ch);
}
function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return /[\p{Cc}\p{Cf}]/u.test(ch);
}
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  // BERT treats every non-alphanumeric ASCII symbol as punctuation ("$", "^", "`" are not Unicode P*).
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
}
function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** SentencePiece-style list -> BERT vocab.txt tokens (same order, so the same ids). */
export function bertVocabFromPieces(pieces: string[]): string[] {
  return pieces.map((p, i) => {
    if (p.startsWith('\u2581')) return p.length === 1 ? `[unused${i - 1}]` : p.slice(1);
    if (/^\[[A-Za-z]+\d*\]$/.test(p)) return p;
    return `##${p}`;
  });
}
