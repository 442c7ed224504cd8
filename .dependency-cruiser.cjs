// Layering rules, checked in CI (`npm run check:layers`): no import cycles, the compiler never
// imports the runtime, modules the web page bundles never import Node built-ins, and product
// code never imports tests.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'an import cycle', from: {}, to: { circular: true } },
    { name: 'compiler-not-runtime', severity: 'error', comment: 'the compiler has one public entry and never imports the runtime', from: { path: '^compiler/' }, to: { path: '^runtime/' } },
    {
      name: 'browser-modules-node-free', severity: 'error', comment: 'bundled into the web page (runtime/web/app.ts): no Node built-ins',
      from: { path: '^(runtime/web/(app|weights)|runtime/gpu/gpu|runtime/data/(features|wordpiece|fbank|resample)|runtime/exec/executor|runtime/eval/(embed|retrieval)|runtime/train/init|compiler/(names|caps)|compiler/plan/plan|compiler/ir/(types|lcg))\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    { name: 'no-test-imports', severity: 'error', comment: 'product code imports no test file', from: { pathNot: '\\.test\\.ts$' }, to: { path: '\\.test\\.ts$' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^|/)node_modules/' },
  },
};
