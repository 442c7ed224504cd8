// The language's conformance suite. Every spec-tests/cases/*.yaml is compiled to graph IR:
// a valid spec must match its golden IR summary (<name>.out), an invalid one its golden
// diagnostics, exact text with file:line:col and carets. Names starting with v are valid,
// with e invalid. Regenerate goldens after an intended change with
//   UPDATE_GOLDEN=1 npx vitest run spec-tests   (then review the diff).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildModel, irSummary } from '../compiler/frontend/compile-spec.ts';
import { Diagnostics, renderDiagnostics } from '../compiler/frontend/diagnostics.ts';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const CASES = readdirSync(join(DIR, 'cases'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function runCase(file: string): { ok: boolean; text: string } {
  const diags = new Diagnostics();
  const m = buildModel(join('cases', file), diags, DIR);
  return m ? { ok: true, text: `${irSummary(m)}\n` } : { ok: false, text: `${renderDiagnostics(diags.list, diags.sources)}\n` };
}

describe('spec-tests', () => {
  it('has at least 60 cases, valid and invalid', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(CASES.filter((c) => c.startsWith('v')).length).toBeGreaterThanOrEqual(15);
    expect(CASES.filter((c) => c.startsWith('e')).length).toBeGreaterThanOrEqual(45);
  });

  for (const file of CASES) {
    it(file.replace(/\.yaml$/, ''), () => {
      const { ok, text } = runCase(file);
      const golden = join(DIR, 'cases', file.replace(/\.yaml$/, '.out'));
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
      expect(ok, text).toBe(file.startsWith('v'));
      expect(existsSync(golden), `missing golden ${golden}`).toBe(true);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
