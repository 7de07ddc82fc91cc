// Before the browser tests: make sure the generated models exist (a no-op when they are up to date), and start
// the per-run reports afresh.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export default function globalSetup(): void {
  execFileSync('npx', ['tsx', 'scripts/gen-models.ts'], { stdio: 'inherit' });
  for (const f of ['parity.json', 'reliability.json']) fs.rmSync(`test-results/${f}`, { force: true });
}
