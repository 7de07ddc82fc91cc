// Cache API against the Origin Private File System for keeping one large model file, in Chromium, from a dedicated
// worker as the library runs: write time, read time (into memory, as a load needs the bytes), and the renderer's peak
// memory above its level before each step (VmHWM from /proc, so no peak is missed between samples).
// Usage: npx tsx scripts/storage-bench.ts [--mb 300] [--rounds 5] [--port 4210]. Rounds alternate which store goes
// first; a persistent profile in a temporary folder keeps storage on disk (an incognito context keeps it in memory).
import { chromium, type Page } from '@playwright/test';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { peakBytes, rendererPids, resetPeaks, rssBytes } from '../e2e/support/renderer-memory.ts';

const arg = (k: string, d: number) => (process.argv.includes(k) ? Number(process.argv[process.argv.indexOf(k) + 1]) : d);
const MB = arg('--mb', 300);
const ROUNDS = arg('--rounds', 5);
const PORT = arg('--port', 4210);

// The worker: fills a buffer (a stand-in for a downloaded file), then writes, reads or clears on request.
const WORKER = `
let bytes = null;
const SIZE = ${MB} * 2 ** 20;
const stores = {
  cache: {
    async write() { const c = await caches.open('bench'); await c.put('/model.onnx', new Response(bytes, { headers: { 'content-length': String(SIZE) } })); },
    async read() { const c = await caches.open('bench'); return new Uint8Array(await (await c.match('/model.onnx')).arrayBuffer()); },
    async clear() { await caches.delete('bench'); },
  },
  opfs: {
    async write() {
      const root = await navigator.storage.getDirectory();
      const h = await (await root.getFileHandle('model.onnx', { create: true })).createSyncAccessHandle();
      h.truncate(0); const n = h.write(bytes, { at: 0 }); h.flush(); h.close();
      if (n !== SIZE) throw new Error('short write ' + n);
    },
    async read() {
      const root = await navigator.storage.getDirectory();
      const h = await (await root.getFileHandle('model.onnx')).createSyncAccessHandle();
      const out = new Uint8Array(h.getSize()); const n = h.read(out, { at: 0 }); h.close();
      if (n !== SIZE) throw new Error('short read ' + n);
      return out;
    },
    async clear() { const root = await navigator.storage.getDirectory(); await root.removeEntry('model.onnx').catch(() => {}); },
  },
};
onmessage = async ({ data: [op, store] }) => {
  try {
    if (op === 'fill') { bytes = new Uint8Array(SIZE); for (let i = 0; i < SIZE; i += 4096) bytes[i] = i & 255; postMessage(0); return; }
    const t0 = performance.now();
    if (op === 'read') { const b = await stores[store].read(); if (b.byteLength !== SIZE || b[4096] !== (4096 & 255)) throw new Error('bad read'); }
    else await stores[store][op]();
    postMessage(performance.now() - t0);
  } catch (e) { postMessage('error: ' + e); }
};`;

const server = http.createServer((req, res) => {
  const js = req.url === '/worker.js';
  res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
  res.end(js ? WORKER : '<!doctype html><title>storage bench</title>');
});

async function inWorker(page: Page, op: string, store?: string): Promise<number> {
  const r = await page.evaluate(([o, s]) => new Promise<number | string>((resolve) => {
    const w = ((window as unknown as { w?: Worker }).w ??= new Worker('/worker.js'));
    w.onmessage = (e) => resolve(e.data as number | string);
    w.postMessage([o, s]);
  }), [op, store] as const);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

/** Runs op in a fresh page (so nothing of a previous step stays resident); time and peak bytes above the start. */
async function step(open: () => Promise<Page>, op: 'write' | 'read', store: string): Promise<{ ms: number; peak: number }> {
  const page = await open();
  if (op === 'write') await inWorker(page, 'fill');
  else await inWorker(page, 'clear', 'none').catch(() => 0); // starts the worker, touches nothing
  const pids = rendererPids();
  const before = rssBytes(pids);
  resetPeaks(pids);
  const ms = await inWorker(page, op, store);
  const peak = peakBytes(pids) - before;
  await page.close();
  return { ms, peak };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const fmt = (v: number[], f: (x: number) => string) => `${f(median(v))} [${f(Math.min(...v))}-${f(Math.max(...v))}]`;

async function main(): Promise<void> {
  await new Promise<void>((r) => server.listen(PORT, '127.0.0.1', r));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rerank-storage-bench-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: process.env.RERANK_BROWSER ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const open = async () => {
    const p = await ctx.newPage();
    await p.goto(`http://127.0.0.1:${PORT}/`);
    return p;
  };
  const res: Record<string, { write: number[]; read: number[]; wpeak: number[]; rpeak: number[] }> = {};
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['cache', 'opfs'] : ['opfs', 'cache'];
      for (const store of order) {
        const w = await step(open, 'write', store);
        const r = await step(open, 'read', store);
        const p = await open();
        await inWorker(p, 'clear', store);
        await p.close();
        const e = (res[store] ??= { write: [], read: [], wpeak: [], rpeak: [] });
        e.write.push(w.ms); e.read.push(r.ms); e.wpeak.push(w.peak); e.rpeak.push(r.peak);
        console.log(`round ${round + 1} ${store}: write ${w.ms.toFixed(0)} ms (+${(w.peak / 2 ** 20).toFixed(0)} MiB), read ${r.ms.toFixed(0)} ms (+${(r.peak / 2 ** 20).toFixed(0)} MiB)`);
      }
    }
  } finally {
    await ctx.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const mib = (x: number) => `${(x / 2 ** 20).toFixed(0)}`;
  console.log(`\n${MB} MiB file, ${ROUNDS} interleaved rounds, median [min-max]; memory: renderer peak above its level before the step, MiB`);
  console.log('| store | write | read | write peak MiB | read peak MiB |\n|---|---|---|---|---|');
  for (const [store, e] of Object.entries(res)) {
    console.log(`| ${store === 'cache' ? 'Cache API' : 'OPFS (sync access handle)'} | ${fmt(e.write, ms)} | ${fmt(e.read, ms)} | ${fmt(e.wpeak, mib)} | ${fmt(e.rpeak, mib)} |`);
  }
}

await main();
