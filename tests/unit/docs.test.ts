// The front page and the reference pages stay true to the repository: links resolve, named commands exist, the
// README's code compiles against the public types, and the figure tables' writer leaves the prose alone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, brokenLinks, npmRunNames, slug, tsSamples } from '../../scripts/docs/check.ts';
import { markers, replaceBetweenMarkers } from '../../scripts/docs/markers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

describe('links', () => {
  it.each(DOCS)('every relative link and anchor in %s resolves', (file) => {
    expect(brokenLinks(path.join(ROOT, file))).toEqual([]);
  });

  it('catches a missing file and a missing heading (else an empty list proves nothing)', () => {
    const files: Record<string, string> = {
      '/x/a.md': '# A\n\n## Real heading\n\n[ok](b.md#options-of-createreranker-all-optional) [self](#real-heading) [gone](c.md) [bad](b.md#nope)\n```\n[in code](ignored.md)\n```',
      '/x/b.md': '# B\n\n## Options of `createReranker` (all optional)\n',
    };
    expect(brokenLinks('/x/a.md', (f) => files[f] ?? null)).toEqual(['c.md (no such file)', 'b.md#nope (no such heading)']);
  });

  it('makes anchors as GitHub does', () => {
    expect(slug('Parity with native ONNX Runtime')).toBe('parity-with-native-onnx-runtime');
    expect(slug('Options of `rerank` and `score`')).toBe('options-of-rerank-and-score');
    expect([...anchors('## Tests\n\n## Tests\n')]).toEqual(['tests', 'tests-1']);
  });
});

describe('commands', () => {
  const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
  it.each(DOCS)('every `npm run` in %s exists in package.json', (file) => {
    expect(npmRunNames(read(file)).filter((n) => !scripts.includes(n))).toEqual([]);
  });
});

describe('README code samples', () => {
  it('type-check against the public types', () => {
    const samples = tsSamples(read('README.md'));
    expect(samples.length).toBeGreaterThanOrEqual(2);
    const dir = path.join(ROOT, 'test-results/readme-samples');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // What the samples take as given: the page's own results and rendering, and a MiniSearch index.
    fs.writeFileSync(path.join(dir, 'prelude.d.ts'), [
      'declare const results: { title: string; body: string }[];',
      'declare const query: string;',
      "declare const miniSearch: import('minisearch').default<{ title: string; text: string }>;",
      'declare function show(document: { title: string; body: string }, score: number): void;',
      'declare function render(result: unknown, score: number | null): void;',
    ].join('\n'));
    samples.forEach((s, i) => fs.writeFileSync(path.join(dir, `sample-${i}.ts`), s));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      extends: '../../tsconfig.base.json',
      compilerOptions: { lib: ['ES2023', 'DOM'], types: [], paths: { 'rerank-web': ['../../src/index.ts'] } },
      include: ['*.ts'],
    }));
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });
});

describe('figure tables between markers', () => {
  it('replace only what lies between the markers', () => {
    const { start, end } = markers('t');
    const doc = `intro\n${start}\nold\n${end}\noutro`;
    expect(replaceBetweenMarkers(doc, 't', '| new |')).toBe(`intro\n${start}\n| new |\n${end}\noutro`);
    expect(() => replaceBetweenMarkers('no markers', 't', 'x')).toThrow(/not found/);
  });

  it.each(DOCS)('markers in %s come in start/end pairs', (file) => {
    const text = read(file);
    for (const m of text.matchAll(/<!-- ([\w-]+):start -->/g)) expect(text).toContain(markers(m[1]!).end);
  });
});

describe('README as a front page', () => {
  const readme = read('README.md');
  it('stays under 100 lines', () => {
    // Why: reference material belongs in docs/; a front page that grows past a screenful stops being read.
    expect(readme.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').length).toBeLessThan(100);
  });

  it('holds one figure per headline line: no table line past 200 characters', () => {
    // Why: comparators, targets and caveats go to docs/benchmark.md; a 600-character cell is a status report.
    const section = readme.slice(readme.indexOf('## Headline figures'), readme.indexOf('\n## ', readme.indexOf('## Headline figures') + 1));
    const rows = section.split('\n').filter((l) => l.startsWith('|'));
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.filter((l) => l.length > 200)).toEqual([]);
  });

  it('shows the install command and the example before the repository set-up', () => {
    // Why: most readers use the library; the contributors' commands come after what a user needs.
    expect(readme.indexOf('npm install rerank-web')).toBeGreaterThan(0);
    expect(readme.indexOf('npm install rerank-web')).toBeLessThan(readme.indexOf('npm install && npm run dev'));
    expect(readme.indexOf("import { createReranker } from 'rerank-web'")).toBeLessThan(readme.indexOf('npm test '));
  });
});
