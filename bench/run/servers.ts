// The two local servers a run needs: the hub stand-in (e2e/support/hub-server.ts, as a child process; JSON gzipped,
// ONNX files not, as the real hub sends them) and the bench page (built with vite.bench.config.ts and served by vite
// preview with COOP/COEP and HTTP compression, .wasm included). Both stop in close().
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONFIG = path.join(ROOT, 'vite.bench.config.ts');

/** A port nobody listens on right now, preferring the given one (not 4190: fetch blocks it as a "bad port"). */
async function freePort(preferred: number): Promise<number> {
  const tryPort = (p: number) => new Promise<number | null>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(null));
    s.listen(p, '127.0.0.1', () => {
      const got = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(got));
    });
  });
  return (await tryPort(preferred)) ?? (await tryPort(0))!;
}

async function waitFor(url: string, child: ChildProcess, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the hub server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

export interface Servers {
  hubUrl: string;
  pageUrl: string;
  close(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  // RERANK_PORT_BASE (as for Playwright) keeps side-by-side checkouts in their own ports: base + 10 and + 11.
  const base = process.env.RERANK_PORT_BASE ? Number(process.env.RERANK_PORT_BASE) + 10 : 4280;
  const hubPort = await freePort(base);
  // The hub exits when our end of its stdin closes, so that it never outlives this process, however that ends.
  const entry = `process.stdin.on('close', () => process.exit(0)); process.stdin.resume(); await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'e2e/support/hub-server.ts')).href)});`;
  const hub = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry], {
    cwd: ROOT, stdio: ['pipe', 'ignore', 'inherit'], env: { ...process.env, HUB_PORT: String(hubPort), HUB_GZIP: '1' },
  });
  let site: PreviewServer | null = null;
  const close = async () => {
    if (hub.exitCode === null) hub.kill('SIGTERM');
    if (site) await new Promise<void>((r) => site!.httpServer.close(() => r()));
    site = null;
  };
  try {
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    await waitFor(`${hubUrl}/__requests`, hub);
    await build({ configFile: CONFIG, logLevel: 'warn' });
    const sitePort = await freePort(base + 1);
    site = await preview({ configFile: CONFIG, preview: { port: sitePort, strictPort: true, host: '127.0.0.1', open: false } });
    return { hubUrl, pageUrl: `http://127.0.0.1:${sitePort}/index.html`, close };
  } catch (e) {
    await close();
    throw e;
  }
}
