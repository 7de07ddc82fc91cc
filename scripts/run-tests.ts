// The README's test command: type-check, generate the test models, unit tests (Node), build the site and the
// library, browser tests (Chromium). Ends with one summary line, 'tests: N passed, N failed, N skipped', and exits non-zero on any
// failure. Extra arguments go to Playwright (e.g. `npm test -- e2e/parity.spec.ts`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const extra = process.argv.slice(2);
const steps: { name: string; cmd: string[]; report?: 'vitest' | 'playwright' }[] = [
  { name: 'typecheck', cmd: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'test models', cmd: ['npx', 'tsx', 'scripts/gen-models.ts'] },
  { name: 'unit tests', cmd: ['npx', 'vitest', 'run'], report: 'vitest' },
  // The deployable site (dist/, what e2e/static-site.spec.ts serves as a static host would), then the test build
  // (dist-test/: the same demo plus the pages the browser tests drive, served by `vite preview --mode test`).
  { name: 'site build', cmd: ['npx', 'vite', 'build', '--logLevel', 'warn'] },
  { name: 'test site build', cmd: ['npx', 'vite', 'build', '--mode', 'test', '--logLevel', 'warn'] },
  // After the site (whose build empties dist/): the standalone build lands in dist/standalone, which the no-bundler
  // example page imports (the test build's preview serves it at /standalone/).
  { name: 'library build', cmd: ['npm', 'run', '--silent', 'build:lib'] },
  { name: 'browser tests', cmd: ['npx', 'playwright', 'test', ...extra], report: 'playwright' },
];

fs.rmSync('test-results/unit.json', { force: true });
fs.rmSync('test-results/e2e.json', { force: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps: string[] = [];
for (const step of steps) {
  if (failedSteps.length > 0) {
    console.log(`\n[test] skipping ${step.name}: ${failedSteps.join(', ')} failed`);
    continue;
  }
  console.log(`\n[test] ${step.name}: ${step.cmd.join(' ')}`);
  const r = spawnSync(step.cmd[0]!, step.cmd.slice(1), { stdio: 'inherit' });
  if (step.report === 'vitest' && fs.existsSync('test-results/unit.json')) {
    const j = JSON.parse(fs.readFileSync('test-results/unit.json', 'utf8'));
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += j.numPendingTests + (j.numTodoTests ?? 0);
  }
  if (step.report === 'playwright' && fs.existsSync('test-results/e2e.json')) {
    const s = JSON.parse(fs.readFileSync('test-results/e2e.json', 'utf8')).stats;
    totals.passed += s.expected + s.flaky;
    totals.failed += s.unexpected;
    totals.skipped += s.skipped;
  }
  if (r.status !== 0) failedSteps.push(step.name);
}
if (failedSteps.length > 0 && totals.failed === 0) totals.failed = failedSteps.length; // a step that ran no tests
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length > 0 ? 1 : 0);
