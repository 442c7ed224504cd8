// Learning-rate schedule (docs/design.md section 4): linear warm-up, then cosine decay to zero at the
// last step. The warm-up is capped at a quarter of the run so short runs still decay.
export function learningRate(step: number, total: number, base: number, warmup: number): number {
  const w = Math.max(1, Math.min(warmup, Math.floor(total / 4)));
  if (step <= w) return (base * step) / w;
  const p = (step - w) / Math.max(1, total - w);
  return base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, p)));
}

/**
 * The learning rate of a step of a run of `total` steps under the spec's train section: one
 * warm-up + cosine schedule, or with train.unmasked_steps = N two of them: the masked steps
 * 1..total-N on their own, then the N unmasked steps (FLIP's tuning) from unmasked_lr
 * (default lr / 4) with a warm-up of N/10.
 */
export function scheduledRate(step: number, total: number, t: { lr: number; warmup: number; unmasked_steps: number; unmasked_lr: number }): number {
  const n = t.unmasked_steps;
  if (n <= 0) return learningRate(step, total, t.lr, t.warmup);
  const masked = total - n;
  if (step <= masked) return learningRate(step, masked, t.lr, t.warmup);
  return learningRate(step - masked, n, t.unmasked_lr || t.lr / 4, Math.ceil(n / 10));
}
