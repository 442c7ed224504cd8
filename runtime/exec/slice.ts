// Which dispatches of a plan a set of its outputs depends on: a backward walk over the program
// in run order, tracking the buffers whose current contents are still needed. A dispatch is kept
// when it writes a needed buffer; then what it writes plainly is produced here (no longer needed
// before it), and what it reads, or updates in place, is. Buffers reused by the memory planner
// are handled by the order: a later write kills the need only for what came before it.
// The evaluation plan computes both towers in one program, so a caption batch runs the audio
// encoder on silence and a clip batch the text encoder on padding; with the slice an embedding
// runs its own tower only.
import type { Plan } from '../../compiler/plan/plan.ts';

export interface PlanSlice {
  /** Per dispatch: whether the outputs need it. */
  dispatches: boolean[];
  /** Per end-of-run copy: whether the outputs need it. */
  copies: boolean[];
  /** Buffers the slice reads before writing them: the inputs (and parameters) it consumes. */
  reads: Set<number>;
}

/** The slice of `plan` that computes `outputs`, or null when the plan does not record its writes (older plans). */
export function sliceFor(plan: Plan, outputs: readonly string[]): PlanSlice | null {
  if (plan.dispatches.some((d) => d.writes === undefined)) return null;
  const needed = new Set<number>();
  for (const name of outputs) {
    const io = plan.outputs.find((o) => o.name === name);
    if (!io) throw new Error(`plan has no output '${name}' (has: ${plan.outputs.map((o) => o.name).join(', ')})`);
    needed.add(io.buffer);
  }
  const copies = plan.copies.map(() => false);
  for (let i = plan.copies.length - 1; i >= 0; i--) {
    const c = plan.copies[i]!;
    if (!needed.has(c.to)) continue;
    copies[i] = true;
    needed.delete(c.to);
    needed.add(c.from);
  }
  const dispatches = plan.dispatches.map(() => false);
  for (let i = plan.dispatches.length - 1; i >= 0; i--) {
    const d = plan.dispatches[i]!;
    const writes = new Set(d.writes);
    const buffer = (slot: number): number => d.bindings[slot]!.buffer;
    if (![...writes].some((s) => needed.has(buffer(s)))) continue;
    dispatches[i] = true;
    const inPlace = new Set(d.inPlace ?? []);
    for (const s of writes) if (!inPlace.has(s)) needed.delete(buffer(s));
    d.bindings.forEach((b, s) => {
      if (!writes.has(s) || inPlace.has(s)) needed.add(b.buffer);
    });
    if (d.texture) needed.add(d.texture.buffer);
  }
  return { dispatches, copies, reads: needed };
}
