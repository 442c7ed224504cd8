// Learning-rate schedule (docs/design.md section 4): linear warm-up, then cosine decay to zero at the
// last step. The warm-up is capped at a quarter of the run so short runs still decay.
export function learningRate(step: number, total: number, base: number, warmup: number): number {
  const w = Math.max(1, Math.min(warmup, Math.floor(total / 4)));
  if (step <= w) return (base * step) / w;
  const p = (step - w) / Math.max(1, total - w);
  return base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, p)));
}
