// What a flapc checkpoint holds (docs/checkpoints.md is the reference): safetensors with the
// trained parameters under their spec names, for a training state also the AdamW moments
// (`opt.m.<name>`, `opt.v.<name>`), and string metadata: format, format version, kind, model,
// spec hash, step, seed, data-stream position, log-mel statistics. Readers accept every
// version up to CHECKPOINT_VERSION and refuse newer ones with a clear message.
import { type ParamSpec, isStored } from './init.ts';
import { CheckpointError, type Tensor, readSafetensors, writeSafetensors, type FileWriter } from './checkpoint.ts';
import { OPT_PREFIX } from '../../compiler/names.ts';

export const CHECKPOINT_FORMAT = 'flapc';
/** 1: weights + norm stats (flapc run --save before 0.2); 2: adds kind, spec hash, step, stream position, moments. */
export const CHECKPOINT_VERSION = 2;

export type CheckpointKind = 'train-state' | 'weights';

export interface CheckpointMeta {
  kind: CheckpointKind;
  model: string;
  specHash: string;
  /** Optimizer steps taken (the next step is step + 1). */
  step: number;
  totalSteps: number;
  seed: number;
  /** Where the training stream goes on: epoch and position in its permutation. */
  dataEpoch: number;
  dataPos: number;
  normMean?: number;
  normStd?: number;
}

export interface Checkpoint {
  path: string;
  version: number;
  meta: CheckpointMeta;
  /** Parameters by name (and opt.m.* / opt.v.* in a training state). */
  tensors: Map<string, Tensor>;
}

/** `extra`: further string metadata (a shipped model's metrics and command); `dtype` F16 halves a weights file. */
export function saveCheckpoint(
  path: string,
  tensors: Tensor[],
  meta: CheckpointMeta,
  io?: FileWriter,
  dtype: 'F32' | 'F16' = 'F32',
  extra: Record<string, string> = {},
): void {
  const m: Record<string, string> = {
    ...extra,
    format: CHECKPOINT_FORMAT,
    format_version: String(CHECKPOINT_VERSION),
    kind: meta.kind,
    model: meta.model,
    spec_hash: meta.specHash,
    step: String(meta.step),
    total_steps: String(meta.totalSteps),
    seed: String(meta.seed),
    data_epoch: String(meta.dataEpoch),
    data_pos: String(meta.dataPos),
  };
  if (meta.normMean !== undefined && meta.normStd !== undefined) {
    m.norm_mean = String(meta.normMean);
    m.norm_std = String(meta.normStd);
  }
  writeSafetensors(path, tensors, m, io, dtype);
}

export function loadCheckpoint(path: string): Checkpoint {
  const { tensors, metadata: md } = readSafetensors(path);
  if (md.format !== CHECKPOINT_FORMAT)
    throw new CheckpointError(`${path} is a safetensors file but not a flapc checkpoint (metadata format '${md.format ?? ''}')`);
  const version = md.format_version === undefined ? 1 : Number(md.format_version);
  if (!Number.isInteger(version) || version < 1) throw new CheckpointError(`${path}: bad format_version '${md.format_version}'`);
  if (version > CHECKPOINT_VERSION)
    throw new CheckpointError(`${path} is checkpoint format ${version}; this flapc reads formats 1-${CHECKPOINT_VERSION}: upgrade flapc`);
  const num = (k: string, dflt: number): number => (md[k] === undefined ? dflt : Number(md[k]));
  const meta: CheckpointMeta = {
    kind: (md.kind as CheckpointKind | undefined) ?? 'weights',
    model: md.model ?? '',
    specHash: md.spec_hash ?? '',
    step: num('step', num('steps', 0)),
    totalSteps: num('total_steps', num('steps', 0)),
    seed: num('seed', 0),
    dataEpoch: num('data_epoch', 0),
    dataPos: num('data_pos', 0),
    ...(md.norm_mean !== undefined && { normMean: Number(md.norm_mean), normStd: Number(md.norm_std) }),
  };
  return { path, version, meta, tensors };
}

export interface Mismatch {
  missing: string[];
  reshaped: string[];
  unused: string[];
}

/** How a checkpoint's tensors differ from the model's trainable parameters. */
export function compareWithModel(ck: Checkpoint, params: ParamSpec[]): Mismatch {
  const trainable = params.filter(isStored);
  const names = new Set(trainable.map((p) => p.name));
  const missing: string[] = [],
    reshaped: string[] = [];
  for (const p of trainable) {
    const t = ck.tensors.get(p.name);
    if (!t) missing.push(p.name);
    else if (t.shape.join(',') !== p.shape.join(',')) reshaped.push(`${p.name} is [${t.shape}] in the checkpoint, [${p.shape}] in the spec`);
  }
  const unused = [...ck.tensors.keys()].filter((n) => !names.has(n) && !n.startsWith(OPT_PREFIX));
  return { missing, reshaped, unused };
}

/** The checkpoint's weights for this model, or a UserError that lists what does not fit. */
export function weightsFor(ck: Checkpoint, params: ParamSpec[], model: { name: string; specHash: string }): Map<string, Float32Array> {
  const d = compareWithModel(ck, params);
  if (d.missing.length || d.reshaped.length) {
    throw new CheckpointError(`${ck.path} does not fit ${model.name}: ${describeMismatch(d)}`);
  }
  if (ck.meta.specHash && ck.meta.specHash !== model.specHash) {
    throw new CheckpointError(
      `${ck.path} was trained from another spec (spec hash ${ck.meta.specHash}, ${model.name} has ${model.specHash}): its tensors fit but the model differs (hyper, audio, text or model source changed)`,
    );
  }
  return new Map([...ck.tensors].filter(([n]) => !n.startsWith(OPT_PREFIX)).map(([n, t]) => [n, t.data]));
}

export function describeMismatch(d: Mismatch): string {
  const list = (xs: string[]): string => (xs.length > 6 ? `${xs.slice(0, 6).join(', ')} and ${xs.length - 6} more` : xs.join(', '));
  const parts: string[] = [];
  if (d.missing.length) parts.push(`missing ${list(d.missing)}`);
  if (d.reshaped.length) parts.push(`changed shape: ${list(d.reshaped)}`);
  if (d.unused.length) parts.push(`not in the spec: ${list(d.unused)}`);
  return parts.join('; ');
}
