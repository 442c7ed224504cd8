import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'compiler/**/*.test.ts',
      'bench/**/*.test.ts',
      'runtime/**/*.test.ts',
      'spec-tests/**/*.test.ts',
      'models/**/*.test.ts',
      'examples/**/*.test.ts',
      'tools/**/*.test.ts',
    ],
    // GPU tests share one Dawn device per file; lavapipe already uses both cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
