// Drives Debian's Chromium through Playwright: one fresh browser per implementation and row (no shared workers, caches
// or heap), kept open across the row's interleaved rounds, its renderers' memory sampled from /proc while it runs, and
// a second page for the load from the Cache API.
import fs from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { LoadResult, LoadSpec, QueryResult } from '../types.ts';

export const BROWSER = process.env.RERANK_BROWSER ?? '/usr/bin/chromium';
export const ARGS = [
  '--no-sandbox', '--enable-unsafe-webgpu',
  // No network here: without these Chromium keeps trying Google's hosts (and spends CPU on it).
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  ...(process.env.RERANK_BROWSER_ARGS ?? '').split(/\s+/).filter(Boolean),
];

/** Each process's children, from /proc. */
function childMap(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch { /* gone meanwhile */ }
  }
  return children;
}

/** The process tree under `root` (by default our own: this runner, its servers, Chromium and its children). */
function ourTree(root = process.pid): number[] {
  const children = childMap();
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

const read = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null; // gone meanwhile
  }
};

/** Renderers (command line says --type=renderer: the page and its workers, ORT's threads included) under `root`. */
function rendererRssBytes(root?: number): number | null {
  if (process.platform !== 'linux') return null;
  let total = 0;
  for (const pid of ourTree(root)) {
    if (!read(`/proc/${pid}/cmdline`)?.includes('--type=renderer')) continue;
    const m = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '');
    if (m) total += Number(m[1]) * 1024;
  }
  return total;
}

/** CPU ticks of the whole machine (busy) and of our tree (with its reaped children), to see what others used. */
function cpuTicks(): { busy: number; ours: number } | null {
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = f.reduce((a, b) => a + b, 0) - f[3]! - (f[4] ?? 0);
  let ours = 0;
  for (const pid of ourTree()) {
    const st = read(`/proc/${pid}/stat`);
    if (!st) continue;
    const g = st.slice(st.lastIndexOf(')') + 2).split(' ').map(Number);
    ours += g[11]! + g[12]! + g[13]! + g[14]!; // utime stime cutime cstime
  }
  return { busy, ours };
}

export interface MonitorOptions {
  /** Sample the renderers' RSS under this process only (one browser among several open); all of ours by default. */
  root?: number;
  /** Sample RSS at all (false: only the CPU others used). */
  rss?: boolean;
}

/**
 * Measures a stretch of the run: the renderers' summed RSS every 100 ms (peak), and the CPU that processes outside
 * our tree used meanwhile, in cores (another test suite on a shared machine makes every figure slower).
 */
export function monitor(opts: MonitorOptions = {}): { peak(): number | null; foreignCores(): number | null; stop(): void } {
  const sample = opts.rss !== false;
  let peak: number | null = sample ? rendererRssBytes(opts.root) : null;
  const start = cpuTicks();
  const t0 = Date.now();
  let foreign: number | null = null;
  const timer = sample ? setInterval(() => {
    const v = rendererRssBytes(opts.root);
    if (v !== null) peak = Math.max(peak ?? 0, v);
  }, 100) : null;
  return {
    peak: () => peak,
    foreignCores: () => foreign,
    stop: () => {
      if (foreign !== null) return;
      if (timer) clearInterval(timer);
      const end = cpuTicks();
      // USER_HZ is 100 on Linux.
      if (start && end && Date.now() > t0) foreign = Math.max(0, (end.busy - start.busy - (end.ours - start.ours)) / 100 / ((Date.now() - t0) / 1000));
    },
  };
}

export async function browserVersion(): Promise<string> {
  const b = await chromium.launch({ executablePath: BROWSER, args: ARGS });
  try {
    return b.version();
  } finally {
    await b.close();
  }
}

export interface BatchCheck {
  /** Largest |score| change of a document scored alone or among other batch-mates vs the full call. */
  maxDiff: number;
  docs: number;
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const ctx = browser.contexts()[0] ?? (await browser.newContext());
  const page = await ctx.newPage();
  page.on('console', (m) => {
    // 404s are expected: both libraries probe optional files (generation_config.json and the like).
    if (m.type() === 'error' && !/status of 404/.test(m.text())) process.stderr.write(`  [page] ${m.text().replace(/\x1b\[[0-9;]*m/g, '')}\n`);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.benchReady === true);
  return page;
}

const load = (page: Page, spec: LoadSpec) => page.evaluate((s) => window.bench.load(s), spec);
const query = (page: Page, text: string, docs: string[]) => page.evaluate(([q, d]) => window.bench.query(q, d), [text, docs] as const);

/** Documents spread over the length range (by characters): the first, some middle ones, the longest. */
function spreadIndices(docs: string[], n: number): number[] {
  const order = docs.map((_, i) => i).sort((a, b) => docs[a]!.length - docs[b]!.length);
  return [...new Set(Array.from({ length: n }, (_, k) => order[Math.round((k * (order.length - 1)) / (n - 1))]!))];
}

/** Launches Chromium and returns its process id: the child of ours that was not there before (launches never overlap). */
export async function launch(extraArgs: string[] = []): Promise<{ browser: Browser; pid: number | undefined }> {
  const before = new Set(childMap().get(process.pid) ?? []);
  const browser = await chromium.launch({ executablePath: BROWSER, args: [...ARGS, ...extraArgs] });
  const pid = (childMap().get(process.pid) ?? []).find((p) => !before.has(p) && read(`/proc/${p}/cmdline`)?.includes('chrom'));
  return { browser, pid };
}

/**
 * One implementation, loaded and warmed up in its own fresh browser, kept open so that the runner can interleave
 * rounds of several implementations; its renderers' peak memory is sampled from load until finish().
 */
export interface BrowserSession {
  load: LoadResult;
  query(text: string, docs: string[]): Promise<QueryResult>;
  /** Batch-mates check on `first` (scores of the full call given), then the cached load if asked, then close. */
  finish(opts: { first?: { text: string; docs: string[]; scores: number[] }; cacheLoad: boolean }): Promise<{ cacheLoad: LoadResult | null; peakRendererBytes: number | null; batchCheck: BatchCheck | null }>;
  close(): Promise<void>;
}

export async function openSession(job: { url: string; spec: LoadSpec; warmup: { text: string; docs: string[] } }): Promise<BrowserSession> {
  const { browser, pid } = await launch();
  const close = () => browser.close().catch(() => {});
  try {
    await browser.newContext();
    const page = await openPage(browser, job.url);
    // Without the browser's pid the peak would count every browser open: say nothing rather than a wrong figure.
    const mem = pid === undefined ? null : monitor({ root: pid });
    const loaded = await load(page, job.spec);
    if (!loaded.crossOriginIsolated) throw new Error('the bench page is not cross-origin isolated: WASM would run on one thread');
    // Untimed warm-up, the same for every implementation: V8 compiles ORT's hot WASM functions with its optimising
    // tier in the background (on 2 cores, next to the kernels), which made the first query up to 2x slower.
    await query(page, job.warmup.text, job.warmup.docs.slice(0, 10));
    await new Promise((r) => setTimeout(r, 1000));
    return {
      load: loaded,
      query: (text, docs) => query(page, text, docs),
      close,
      finish: async ({ first, cacheLoad }) => {
        let batchCheck: BatchCheck | null = null;
        try {
          if (first) {
            const pick = spreadIndices(first.docs, 6);
            let maxDiff = 0;
            for (const i of pick) {
              const alone = await query(page, first.text, [first.docs[i]!]);
              maxDiff = Math.max(maxDiff, Math.abs(alone.scores[0]! - first.scores[i]!));
            }
            const group = await query(page, first.text, pick.map((i) => first.docs[i]!).reverse());
            [...pick].reverse().forEach((i, k) => (maxDiff = Math.max(maxDiff, Math.abs(group.scores[k]! - first.scores[i]!))));
            batchCheck = { maxDiff, docs: pick.length };
          }
        } finally {
          mem?.stop();
          await page.evaluate(() => window.bench.dispose()).catch(() => {});
          await page.close();
        }
        let cached: LoadResult | null = null;
        if (cacheLoad) {
          const again = await openPage(browser, job.url);
          cached = await load(again, job.spec);
          await again.evaluate(() => window.bench.dispose()).catch(() => {});
          await again.close();
        }
        await close();
        return { cacheLoad: cached, peakRendererBytes: mem?.peak() ?? null, batchCheck };
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}
