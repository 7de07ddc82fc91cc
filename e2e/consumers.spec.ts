// The package as people install it: `npm pack`, then a fresh Vite app and a fresh webpack 5 app that depend on the
// tarball, build, and rerank in Chromium with no request but to their own server and the model source. And a page
// with no bundler at all, importing the standalone build from its own server.
import { expect, test } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HUB, TINY } from './support/page.ts';

const ROOT = path.resolve('test-results/consumers');
const FILES = path.resolve('e2e/consumers');
const VITE_VERSION = JSON.parse(fs.readFileSync('node_modules/vite/package.json', 'utf8')).version as string;
const env = { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' };
let tarball = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(() => {
  fs.rmSync(ROOT, { recursive: true, force: true });
  fs.mkdirSync(ROOT, { recursive: true });
  // prepack builds the library first (npm run build:lib); the project's .npmrc turns hooks off, so ask for them.
  const out = execFileSync('npm', ['pack', '--ignore-scripts=false', '--pack-destination', ROOT, '--silent'], { env, encoding: 'utf8' }).trim().split('\n');
  tarball = path.join(ROOT, out.at(-1)!);
});

const APPS = {
  vite: {
    devDependencies: { vite: VITE_VERSION },
    files: { 'index.html': 'index.vite.html', 'src/main.js': 'main.js', 'vite.config.js': 'vite.config.js' },
    build: ['npx', 'vite', 'build', '--logLevel', 'warn'],
  },
  webpack: {
    devDependencies: { webpack: '^5', 'webpack-cli': '^6' },
    files: { 'src/main.js': 'main.js', 'webpack.config.cjs': 'webpack.config.cjs' },
    build: ['npx', 'webpack', '--config', 'webpack.config.cjs'],
  },
} as const;

for (const [name, app] of Object.entries(APPS)) {
  test(`a fresh ${name} app installs the packed tarball, builds, and reranks with no CDN request`, async ({ page }) => {
    test.setTimeout(300_000);
    const dir = path.join(ROOT, `${name}-app`);
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    for (const [to, from] of Object.entries(app.files)) fs.copyFileSync(path.join(FILES, from), path.join(dir, to));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
      name: `${name}-consumer`, private: true, type: 'module', dependencies: { 'rerank-web': `file:${tarball}` }, devDependencies: app.devDependencies,
    }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: dir, env, stdio: 'inherit' });
    execFileSync(app.build[0], app.build.slice(1), { cwd: dir, env, stdio: 'inherit' });
    if (name === 'webpack') fs.copyFileSync(path.join(FILES, 'index.webpack.html'), path.join(dir, 'dist/index.html'));
    const port = name === 'vite' ? 4381 : 4382;
    const server: ChildProcess = spawn('node', [path.join(FILES, 'serve.mjs'), path.join(dir, 'dist'), String(port)], { stdio: 'inherit' });
    try {
      const origins = new Set<string>();
      page.context().on('request', (r) => origins.add(new URL(r.url()).origin));
      await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.status, { timeout: 10_000 }).toBe(200);
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const r = await page.evaluate(([h, m]) => (window as unknown as { run(h: string, m: string): Promise<{ ranked: { index: number; score: number }[]; info: { device: string; numThreads: number } }> }).run(h, m), [HUB, TINY] as const);
      expect(r.ranked.map((x) => x.index).sort()).toEqual([0, 1, 2]);
      expect(r.info.device).toBe('wasm');
      expect(r.info.numThreads).toBeGreaterThan(1); // the app is cross-origin isolated: threads work from its bundle
      expect([...origins].filter((o) => o !== `http://127.0.0.1:${port}` && o !== HUB)).toEqual([]);
    } finally {
      server.kill();
    }
  });
}

test('a page with no bundler imports the standalone build from its own server', async ({ page }) => {
  const origins = new Set<string>();
  page.context().on('request', (r) => origins.add(new URL(r.url()).origin));
  await page.goto(`/examples/no-bundler.html?model=${encodeURIComponent(TINY)}&hub=${encodeURIComponent(HUB)}`);
  await expect(page.locator('#status')).toHaveText(/^Reranked on (webgpu|wasm)\./, { timeout: 60_000 });
  await expect(page.locator('#results li')).toHaveCount(3);
  expect([...origins].filter((o) => o !== new URL(page.url()).origin && o !== HUB)).toEqual([]);
});
