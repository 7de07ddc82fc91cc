// Before the browser tests: make sure the generated models exist (a no-op when they are up to date), and start
// the per-run reports afresh.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export default function globalSetup(): void {
  execFileSync('npx', ['tsx', 'scripts/gen-models.ts'], { stdio: 'inherit' });
  fs.rmSync('test-results/parity.json', { force: true });
}
