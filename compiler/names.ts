// The names the compiler gives graph inputs and outputs and the runtime relies on: one place, so
// a rename is a compile error on both sides instead of a silent mismatch.

/** Data inputs of a model's entry function and of the training step. */
export const MEL = 'mel';
export const TOKENS = 'tokens';
/** The counter-based RNG's key (random masking); the trainer writes one per step. */
export const RNG_KEY = 'rng.key';
/** Step-dependent optimizer scalars (learning rate, bias corrections). */
export const HYPER_NAME = 'opt.hyper';

/** Outputs of the training step and of the evaluation step. */
export const LOSS = 'loss';
export const GRAD_NORM = 'grad_norm';
export const AUDIO_EMB = 'audio_emb';
export const TEXT_EMB = 'text_emb';
export const LOSS_PREFIX = 'loss.';
export const lossTerm = (name: string): string => `${LOSS_PREFIX}${name}`;

/**
 * Pretrained word-vector tables a spec can start an embedding from (init.word_vectors), by name:
 * their width and the tokenizer whose ids index their rows. The runtime reads the table itself
 * (models/vectors/<name>.safetensors, derived by tools/derive-word-vectors.ts).
 */
export const WORD_VECTOR_TABLES: Record<string, { dim: number; tokenizer: string }> = {
  'glove-100d': { dim: 100, tokenizer: 'bert-base-uncased' },
};

/** AdamW moments of a parameter (graph state inputs; checkpoint tensors of a training state). */
export const OPT_PREFIX = 'opt.';
export const moment1 = (param: string): string => `${OPT_PREFIX}m.${param}`;
export const moment2 = (param: string): string => `${OPT_PREFIX}v.${param}`;
