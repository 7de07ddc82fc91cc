// The cold row: a first visit in a fresh browser profile (empty user-data-dir: empty HTTP cache and Cache API) to the
// bench site served with HTTP compression, model from the hub stand-in. One visit = navigate, load, rerank one top-K
// list; timed from navigation (the page's time origin) to the first reranked batch and to the full list, with the
// bytes that crossed the network by kind: response bodies as both servers wrote them to their sockets (compressed
// where they compressed; every worker's loads included, none from the browser's cache). Chromium's own count (CDP
// Network.loadingFinished's encodedDataLength less headers, through Playwright's request.sizes()) is kept as a check:
// it reports a worker's own script without a body and, now and then, misses a worker's load altogether. Rounds alternate rerank-web and transformers.js (sorted+chunked), the one going first rotating.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Request } from '@playwright/test';
import type { LoadSpec } from '../types.ts';
import { ARGS, BROWSER } from './browser.ts';
import type { ColdConfig } from './configs.ts';
import { roundOrder, type RowContext } from './rows.ts';

export type ColdImpl = 'rerank-web' | 'transformers.js-chunked';
/** The paths a cold row compares: transformers.js's sorted+chunked path loads the same files as its naive one. */
export const COLD_IMPLS: ColdImpl[] = ['rerank-web', 'transformers.js-chunked'];
export type Kind = 'js' | 'wasm' | 'model' | 'tokenizer' | 'other';
export const KINDS: Kind[] = ['js', 'wasm', 'model', 'tokenizer', 'other'];

export interface FileTransfer {
  /** URL on its server (hub or site). */
  url: string;
  kind: Kind;
  status: number;
  /** Body bytes the server wrote (compressed where it compressed). */
  bytes: number;
  encoding: string | null;
}

/**
 * Chromium's count against the servers': of the loads with a body, how many it reported, and the largest gap in bytes
 * on those (a few dozen: it counts the chunked transfer framing of compressed responses, the servers do not).
 */
export interface BrowserCheck {
  serverLoads: number;
  browserLoads: number;
  maxGapBytes: number | null;
}

export interface ColdVisit {
  impl: ColdImpl;
  /** From navigation to: the page ready to load, the model loaded, the first batch in the page, the whole list. */
  readyMs: number;
  loadedMs: number;
  firstBatchMs: number;
  fullMs: number;
  bytes: Record<Kind, number>;
  files: FileTransfer[];
  browserCheck: BrowserCheck | null;
  /** Chromium's count per load, as reported (the check's raw figures). */
  browserSeen: { url: string; bytes: number }[];
  detail: string;
  error?: string;
}

export interface ColdResult {
  model: string;
  dtype: string;
  topK: number;
  threads: number;
  query: string;
  visits: ColdVisit[];
  /** Bytes the site sends for rerank-web's ORT asyncify .wasm (what every visitor loaded before the CPU-only build). */
  asyncifyWasmBytes: number | null;
  asyncifyWasmFile: string | null;
}

export function kindOf(url: string): Kind {
  const p = new URL(url).pathname;
  if (p.endsWith('.wasm')) return 'wasm';
  if (/\.m?js$/.test(p)) return 'js';
  if (/\.onnx(_data)?$/.test(p)) return 'model';
  // Hub files other than the model: tokenizer, its config and the model's config (and the 404s of optional ones).
  if (/\/resolve\/[^/]+\//.test(p)) return 'tokenizer';
  return 'other';
}

/** Chromium's count of one load's body bytes (0 for a load from its cache). */
async function browserCount(req: Request): Promise<{ url: string; bytes: number } | null> {
  if (!/^https?:/.test(req.url())) return null;
  return { url: req.url(), bytes: Math.max(0, (await req.sizes()).responseBodySize) };
}

type Sent = { url: string; status: number; bytes: number; encoding: string | null };
const sentLog = (origin: string) => new URL('/__sent', origin).href;

/** Pairs each server load that had a body with the browser's nearest count of the same URL (loads overlap). */
export function checkBrowser(files: FileTransfer[], seen: { url: string; bytes: number }[]): BrowserCheck {
  const left = seen.filter((x) => x.bytes > 0);
  let browserLoads = 0;
  let maxGapBytes: number | null = null;
  const withBody = files.filter((f) => f.bytes > 0);
  for (const f of withBody) {
    let best = -1;
    left.forEach((b, i) => {
      if (b.url === f.url && (best < 0 || Math.abs(b.bytes - f.bytes) < Math.abs(left[best]!.bytes - f.bytes))) best = i;
    });
    if (best < 0) continue;
    browserLoads++;
    maxGapBytes = Math.max(maxGapBytes ?? 0, Math.abs(left[best]!.bytes - f.bytes));
    left.splice(best, 1);
  }
  return { serverLoads: withBody.length, browserLoads, maxGapBytes };
}

interface Job { url: string; spec: LoadSpec; query: string; docs: string[] }

async function visit(impl: ColdImpl, job: Job): Promise<ColdVisit> {
  const origins = [new URL(job.url).origin, new URL(job.spec.hubUrl).origin];
  for (const o of origins) await fetch(sentLog(o), { method: 'DELETE' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rerank-cold-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: BROWSER, args: ARGS });
  const pending: Promise<{ url: string; bytes: number } | null>[] = [];
  context.on('requestfinished', (r) => pending.push(browserCount(r).catch(() => null)));
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 404/.test(m.text())) process.stderr.write(`  [page] ${m.text().replace(/\x1b\[[0-9;]*m/g, '')}\n`);
    });
    await page.goto(job.url);
    await page.waitForFunction(() => window.benchReady === true);
    const t = await page.evaluate(async ([spec, q, docs]) => {
      // performance.now() counts from the navigation's start (the document's time origin).
      const readyMs = performance.now();
      const loaded = await window.bench.load(spec);
      const loadedMs = performance.now();
      const r = await window.bench.query(q, docs);
      return { readyMs, loadedMs, firstBatchMs: loadedMs + r.firstBatchMs, fullMs: loadedMs + r.latencyMs, detail: `ORT ${loaded.ortVersion}; ${loaded.detail}`, threads: loaded.threads };
    }, [job.spec, job.query, job.docs] as const);
    await page.evaluate(() => window.bench.dispose()).catch(() => {});
    const seen = (await Promise.all(pending)).filter((f): f is { url: string; bytes: number } => f !== null);
    const files: FileTransfer[] = [];
    for (const o of origins) {
      for (const x of (await (await fetch(sentLog(o))).json()) as Sent[]) files.push({ ...x, url: new URL(x.url, o).href, kind: kindOf(new URL(x.url, o).href) });
    }
    const bytes = Object.fromEntries(KINDS.map((k) => [k, files.filter((f) => f.kind === k).reduce((n, f) => n + f.bytes, 0)])) as Record<Kind, number>;
    return {
      impl, readyMs: t.readyMs, loadedMs: t.loadedMs, firstBatchMs: t.firstBatchMs, fullMs: t.fullMs, bytes, files,
      browserCheck: checkBrowser(files, seen), browserSeen: seen, detail: `${t.detail}, ${t.threads} threads`,
    };
  } finally {
    await context.close().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Body bytes of one GET with Accept-Encoding: gzip, as they come off the socket (no decoding). */
function wireBytes(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.byteLength));
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
}

/** rerank-web's ORT asyncify .wasm in the built site (the same size as the package's), and what the site sends for it. */
async function asyncifyBaseline(pageUrl: string, siteDir: string, ortDist: string): Promise<{ file: string; bytes: number } | null> {
  const want = path.join(ortDist, 'ort-wasm-simd-threaded.asyncify.wasm');
  if (!fs.existsSync(want)) return null;
  const size = fs.statSync(want).size;
  const name = fs.readdirSync(path.join(siteDir, 'assets')).find((f) => /^ort-wasm-simd-threaded\.asyncify.*\.wasm$/.test(f) && fs.statSync(path.join(siteDir, 'assets', f)).size === size);
  if (!name) return null;
  return { file: `assets/${name}`, bytes: await wireBytes(new URL(`/assets/${name}`, pageUrl).href) };
}

export type { ColdConfig };

export async function runCold(cfg: ColdConfig, query: { text: string; docs: string[] }, ctx: RowContext & { siteDir: string; ortDist: string }): Promise<ColdResult> {
  const visits: ColdVisit[] = [];
  for (let r = 0; r < cfg.rounds; r++) {
    for (const impl of roundOrder(COLD_IMPLS, r) as ColdImpl[]) {
      ctx.log(`cold ${cfg.model.label} ${cfg.dtype} top-${cfg.topK}: round ${r + 1}/${cfg.rounds}, ${impl}`);
      const spec: LoadSpec = { impl, model: `${ctx.org}/${cfg.model.name}`, hubUrl: ctx.hubUrl, dtype: cfg.dtype, device: 'wasm', threads: cfg.threads, maxLength: ctx.maxLength };
      try {
        const v = await visit(impl, { url: ctx.pageUrl, spec, query: query.text, docs: query.docs });
        const mb = (k: Kind) => (v.bytes[k] / 1e6).toFixed(2);
        ctx.log(`  first batch ${(v.firstBatchMs / 1000).toFixed(2)} s, top-${cfg.topK} ${(v.fullMs / 1000).toFixed(2)} s; MB sent: JS ${mb('js')}, wasm ${mb('wasm')}, model ${mb('model')}, tokenizer ${mb('tokenizer')}, other ${mb('other')}; Chromium reported ${v.browserCheck!.browserLoads} of ${v.browserCheck!.serverLoads} loads`);
        visits.push(v);
      } catch (e) {
        const error = (e as Error).message.split('\n')[0]!.slice(0, 300);
        ctx.log(`  ${impl} FAILED: ${error}`);
        visits.push({ impl, readyMs: NaN, loadedMs: NaN, firstBatchMs: NaN, fullMs: NaN, bytes: Object.fromEntries(KINDS.map((k) => [k, NaN])) as Record<Kind, number>, files: [], browserCheck: null, browserSeen: [], detail: '', error });
      }
    }
  }
  const base = await asyncifyBaseline(ctx.pageUrl, ctx.siteDir, ctx.ortDist).catch(() => null);
  return {
    model: cfg.model.label, dtype: cfg.dtype, topK: cfg.topK, threads: cfg.threads, query: query.text, visits,
    asyncifyWasmBytes: base?.bytes ?? null, asyncifyWasmFile: base?.file ?? null,
  };
}
