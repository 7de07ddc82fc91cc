// Package facts a consumer relies on (issue 24): the licence package.json states is in the repository, and the
// onnxruntime-web range cannot resolve a minor version other than the one every documented figure was measured on.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));

describe('package', () => {
  it('ships a LICENSE whose text matches the license field', () => {
    // package.json said MIT and the repository had no LICENSE file.
    expect(pkg.license).toBe('MIT');
    const text = fs.readFileSync('LICENSE', 'utf8');
    expect(text).toMatch(/^MIT License/);
    expect(text).toMatch(/Copyright \(c\) 2026 rerank-web contributors/);
  });

  it('pins onnxruntime-web to the minor version installed here (patches only), the one docs/install.md names', () => {
    // '^1.30.0' let consumers resolve 1.31 while the figures are 1.30's; '~1.30.0' allows 1.30.x only.
    const range = pkg.dependencies['onnxruntime-web'] as string;
    const installed = JSON.parse(fs.readFileSync('node_modules/onnxruntime-web/package.json', 'utf8')).version as string;
    const [major, minor] = installed.split('.');
    expect(range).toBe(`~${major}.${minor}.0`);
    expect(fs.readFileSync('docs/install.md', 'utf8')).toContain(`onnxruntime-web ${range}`);
  });
});
