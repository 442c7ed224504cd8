// The compiler's public API: the one module runtime/, tools and users import. Everything else
// under compiler/ is internal and may change between releases.
export { compileSpec, buildModel, irSummary, type CompiledSpec, type SpecSummary, type ModelGraphs } from './frontend/compile-spec.ts';
export { Diagnostics, renderDiagnostics, diagnosticsJson, type Diagnostic, type Span } from './frontend/diagnostics.ts';
export { loadSpec, type AudioConfig, type LoadedSpec, type SpecConfig, type TextConfig, type TrainConfig } from './frontend/load.ts';
export { compileGraph, type CompileOptions } from './compile.ts';
export { GraphBuilder } from './ir/builder.ts';
export * as nn from './ir/nn.ts';
export { IRError, numel, type DType, type Graph, type Shape } from './ir/types.ts';
export { printGraph } from './ir/print.ts';
export { interpret, tensor, type Tensor } from './ir/interp.ts';
export { appendTrainStep, adamwConfig, adamwHyper, DEFAULT_ADAMW, HYPER_NAME, type AdamWConfig } from './autodiff/train-step.ts';
export { type Plan, type PlanDispatch, constantsBinding, parsePlan, serializePlan, fnv1a } from './plan/plan.ts';
export { BASELINE_CAPS, type DeviceCaps } from './caps.ts';
export { LARGE_MATMUL_FMAS, MATMUL_VARIANTS, type MatmulTuning, type MatmulVariant, sizeClass, tunedName, usable } from './codegen/matmul.ts';
export { describeKernel } from './fuse/kernel-ir.ts';
export { modelHash } from './frontend/model-hash.ts';
export * as names from './names.ts';
