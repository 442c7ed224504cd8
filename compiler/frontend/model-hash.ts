// A model's identity for checkpoints: what decides the parameters' names, shapes and meaning
// (the model source and the hyper/audio/text sections), not how it is trained or on what data.
// A checkpoint records it; eval, embed, search and --resume refuse a spec whose hash differs.
import { fnv1a } from '../plan/plan.ts';
import type { LoadedSpec } from './load.ts';

export function modelHash(spec: Pick<LoadedSpec, 'config' | 'model'>): string {
  const c = spec.config;
  return fnv1a(JSON.stringify({ model: spec.model.text, entry: spec.model.entry, hyper: c.hyper, audio: c.audio, text: c.text }));
}
