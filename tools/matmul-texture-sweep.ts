// A wider correctness sweep of the texture-path matmul (subgroup32x8t) than the test suite
// affords: every (M, K, N) below against float64, on the current adapter. lavapipe's texel
// fetch is buggy in ways that depend on sizes and vector width (bench/RESULTS.md).
//   node --import tsx tools/matmul-texture-sweep.ts            (MS=40 for M=40 only)
//   LP_NATIVE_VECTOR_WIDTH=512 MS=40 node --import tsx tools/matmul-texture-sweep.ts
import { usable } from '../compiler/codegen/matmul.ts';
import { GraphBuilder } from '../compiler/ir/builder.ts';
import { errorRatio, randomInputs, reference, runOnGpu, testGpu } from '../runtime/testing/harness.ts';

const gpu = await testGpu();
const v = usable('subgroup32x8t', gpu.caps);
if (!v) throw new Error('this adapter cannot run subgroup32x8t');
const bad: string[] = [];
let n = 0;
for (const N of [64, 128, 192, 256])
  for (const K of [8, 16, 24, 32, 40, 64, 96, 128, 256])
    for (const M of (process.env.MS ?? '40,130').split(',').map(Number)) {
      const b = new GraphBuilder();
      b.output('y', b.matmul(b.input('a', [M, K]), b.input('b', [K, N])));
      const g = b.build();
      const inputs = randomInputs(g, K * 7 + N);
      const ref = reference(g, inputs).y!;
      const { outputs, plan } = await runOnGpu(g, inputs, { matmulVariant: v });
      if (!plan.dispatches[0]!.texture) throw new Error(`${M}x${K}x${N} did not take the texture path`);
      const { ratio } = errorRatio(outputs.y!, ref.data, 1e-5, 1e-4 * Math.sqrt(K));
      n++;
      if (ratio > 1) bad.push(`${M}x${K}x${N}`);
    }
console.log(`${gpu.report.device}, subgroup size ${gpu.caps.subgroupSize}: ${n} shapes, wrong: ${bad.join(' ') || 'none'}`);
gpu.destroy();
process.exit(bad.length ? 1 : 0);
