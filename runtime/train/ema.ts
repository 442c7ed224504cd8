// An exponential moving average of the weights (train.ema_decay): the weights a run validates,
// keeps as best.safetensors and saves, when the spec asks for it. Kept on the host and updated
// every EMA_EVERY steps (and at every validation and checkpoint) from a read-back of the
// weights, with the decay raised to the number of steps since the last update, so reading
// 9 MB of weights back costs one step in ten a few milliseconds rather than every step.
// It starts as the first weights it sees. The average of the trajectory, not its last point,
// is what the run reports: seed-to-seed (and rounding-to-rounding) spread of the last point is
// what it is meant to calm (docs/ablation.md, session 15).

/** Steps between updates when nothing else (validation, checkpoint, the end) asks for one. */
export const EMA_EVERY = 10;

export class WeightAverage {
  private avg: Map<string, Float32Array> | undefined;

  constructor(
    readonly decay: number,
    /** The last step folded in (a resumed run restores it with the average). */
    public step = 0,
    restored?: Map<string, Float32Array>,
  ) {
    if (restored?.size) this.avg = new Map([...restored].map(([n, v]) => [n, Float32Array.from(v)]));
  }

  /** Fold in the weights of `step`: avg = avg·d^(step - last) + w·(1 - d^(step - last)). */
  update(step: number, weights: Map<string, Float32Array>): void {
    if (step <= this.step && this.avg) return;
    if (!this.avg) {
      this.avg = new Map([...weights].map(([n, v]) => [n, Float32Array.from(v)]));
    } else {
      const keep = this.decay ** (step - this.step);
      for (const [n, w] of weights) {
        const a = this.avg.get(n)!;
        for (let i = 0; i < a.length; i++) a[i] = a[i]! * keep + w[i]! * (1 - keep);
      }
    }
    this.step = step;
  }

  get values(): Map<string, Float32Array> | undefined {
    return this.avg;
  }
}
