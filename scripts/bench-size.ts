// `npm run bench:size`: a model at real size, loaded in Chromium on WASM through the public API from the local hub
// stand-in: download and load time, the renderer's peak memory against the file's size, time to the first score, and
// a second visit from the Cache API. Models are generated on demand (tools/models/size-models.ts), never by the
// default gen-models run. Writes bench-results/size[-quick].json and, for a run other than --quick, the table in
// docs/benchmark.md: the models run replace their rows in size.json, the others keep theirs (each row says its run).
//   --quick        the mid-size shape (xlmr-mid, ~100 MB q8), 2 rounds: for CI
//   --rounds N     visit pairs (first visit, then from the cache) per model (default 3; quick 2)
//   --models a,b   size models to run (default bge-reranker-v2-m3,qwen3-reranker-0.6b)
// Memory: the summed RSS of Chromium's renderer processes (the page, its worker, ORT's threads), sampled every 100 ms
// from /proc during the visit; "added" subtracts the renderers' RSS just before the visit. Each visit is a new page
// (a new renderer), so one visit's heap never carries into the next.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { ARGS, BROWSER, monitor } from '../bench/run/browser.ts';
import { startServers } from '../bench/run/servers.ts';
import type { SizeVisitResult, SizeVisitSpec } from '../bench/web/size-types.ts';
import { ensureSizeModel, SIZE_MODEL_ORG, SIZE_SPECS } from '../tools/models/size-models.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: a } = parseArgs({ options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string' }, models: { type: 'string' } } });
const quick = a.quick!;
const rounds = Number(a.rounds ?? (quick ? 2 : 3));
const models = (a.models ?? (quick ? 'xlmr-mid' : 'bge-reranker-v2-m3,qwen3-reranker-0.6b')).split(',');
for (const m of models) ensureSizeModel(path.join(ROOT, '.models'), m, (s) => console.log(s));

type Visit = SizeVisitResult & { peakRss: number; baseRss: number };
const servers = await startServers();
/** One model's visits; `run` says which run measured them (rows of earlier runs are kept when a run names other models). */
interface ModelResult { model: string; shapeOf: string; fileBytes: number; run?: string; visits: { first: Visit; cached: Visit }[] }
const results: ModelResult[] = [];
try {
  for (const name of models) {
    // A profile on disk: a default (off-the-record) context keeps the Cache API in memory with a small quota, which
    // refused a 567 MB model (the second visit downloaded it again), as a visitor's real profile would not.
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rerank-size-'));
    const ctx = await chromium.launchPersistentContext(profile, { executablePath: BROWSER, args: ARGS });
    const visits: { first: Visit; cached: Visit }[] = [];
    try {
      const visit = async (clearCache: boolean): Promise<Visit> => {
        const page = await ctx.newPage();
        page.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) process.stderr.write(`  [page] ${m.text()}\n`); });
        await page.goto(servers.pageUrl.replace(/index\.html$/, 'size.html'));
        await page.waitForFunction(() => (window as unknown as { sizeReady?: boolean }).sizeReady === true);
        const mon = monitor();
        const baseRss = mon.peak() ?? 0;
        const spec: SizeVisitSpec = { model: `${SIZE_MODEL_ORG}/${name}`, hubUrl: servers.hubUrl, dtype: SIZE_SPECS[name]!.quant, clearCache };
        try {
          const r = await page.evaluate((s) => (window as unknown as { sizeVisit(s: SizeVisitSpec): Promise<SizeVisitResult> }).sizeVisit(s), spec);
          return { ...r, peakRss: mon.peak() ?? 0, baseRss };
        } finally {
          mon.stop();
          await page.close();
        }
      };
      for (let i = 0; i < rounds; i++) {
        const first = await visit(true);
        const cached = await visit(false);
        console.log(`[bench:size] ${name} round ${i + 1}: first visit load ${(first.loadMs / 1000).toFixed(1)} s, peak +${(first.peakRss - first.baseRss) / 2 ** 20 | 0} MiB; cached load ${(cached.loadMs / 1000).toFixed(1)} s (fromCache ${cached.fromCache})`);
        visits.push({ first, cached });
      }
    } finally {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
    results.push({ model: name, shapeOf: SIZE_SPECS[name]!.shapeOf, fileBytes: visits[0]!.first.onnxBytes, visits });
  }
} finally {
  await servers.close();
}

const med = (xs: number[]) => { const s = [...xs].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const spread = (xs: number[], d = 1) => `${med(xs).toFixed(d)} [${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)}]`;
const s = (ms: number) => ms / 1000;
const cmd = ['npm run bench:size', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
const env = `Chromium (${BROWSER}), WASM, 1 session of ${results[0]?.visits[0]?.first.numThreads ?? '?'} thread(s), ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), load average ${os.loadavg()[0]!.toFixed(1)} at the end; ${rounds} rounds, median [min-max].`;
const run = `${new Date().toISOString().slice(0, 10)}, \`${cmd}\`: ${env}`;
for (const r of results) r.run = run;
const out = path.join(ROOT, 'bench-results', quick ? 'size-quick.json' : 'size.json');
// A run that names some models keeps the other models' rows of the last size.json (quick mode has its own file).
let merged: ModelResult[] = results;
if (!quick && fs.existsSync(out)) {
  const prev = JSON.parse(fs.readFileSync(out, 'utf8')) as { env?: string; raw?: ModelResult[] };
  const kept = (prev.raw ?? []).filter((r) => !models.includes(r.model)).map((r) => ({ ...r, run: r.run ?? prev.env ?? 'an earlier run' }));
  merged = [...kept, ...results].sort((x, y) => Object.keys(SIZE_SPECS).indexOf(x.model) - Object.keys(SIZE_SPECS).indexOf(y.model));
}
const runs = [...new Set(merged.map((r) => r.run!))];
const lines = [
  '| model (shape of) | file | LM head | visit | download s | load s | first score s | to first score s | renderer peak ÷ file | added ÷ file |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
const rows = merged.map((r) => {
  const mb = r.fileBytes / 2 ** 20;
  const row = (kind: 'first' | 'cached') => {
    const v = r.visits.map((x) => x[kind]);
    return {
      downloadS: v.map((x) => s(x.downloadMs)), loadS: v.map((x) => s(x.loadMs)), firstScoreS: v.map((x) => s(x.firstScoreMs)),
      toFirstScoreS: v.map((x) => s(x.timeToFirstScoreMs)), peakPerFile: v.map((x) => x.peakRss / r.fileBytes),
      addedPerFile: v.map((x) => (x.peakRss - x.baseRss) / r.fileBytes), fromCache: v.map((x) => x.fromCache),
      lmHead: v.map((x) => x.lmHead ?? null),
    };
  };
  const first = row('first');
  const cached = row('cached');
  const head = first.lmHead[0] ? (first.lmHead[0].pruned ? `pruned to ${first.lmHead[0].tokens} of ${SIZE_SPECS[r.model]?.kind === 'qwen3-gqa' ? SIZE_SPECS[r.model]!.shape.vocabSize.toLocaleString('en-US') : '?'}` : `full (${first.lmHead[0].reason})`) : '-';
  const mark = runs.length > 1 ? ` (run ${runs.indexOf(r.run!) + 1})` : '';
  for (const [label, x] of [['first visit', first], ['from the cache', cached]] as const) {
    lines.push(`| ${r.model} (${r.shapeOf})${mark} | ${mb.toFixed(0)} MiB ${SIZE_SPECS[r.model]?.quant ?? ''} | ${head} | ${label} | ${label === 'first visit' ? spread(x.downloadS) : '-'} | ${spread(x.loadS)} | ${spread(x.firstScoreS, 2)} | ${spread(x.toFirstScoreS)} | ${spread(x.peakPerFile, 2)} | ${spread(x.addedPerFile, 2)} |`);
  }
  return { model: r.model, shapeOf: r.shapeOf, fileBytes: r.fileBytes, run: r.run, first, cached };
});
const caption = runs.length > 1 ? runs.map((x, i) => `run ${i + 1}: ${x}`).join('<br>') : runs[0] ?? run;
console.log(`\n${caption}\n${lines.join('\n')}`);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), env, rounds, rows, raw: merged }, null, 2));
console.log(`[bench:size] wrote ${path.relative(ROOT, out)}`);
if (!quick) {
  // The docs' table, replaced between its markers.
  const doc = path.join(ROOT, 'docs/benchmark.md');
  const text = fs.readFileSync(doc, 'utf8');
  const begin = '<!-- bench:size begin -->';
  const end = '<!-- bench:size end -->';
  if (text.includes(begin) && text.includes(end)) {
    const block = `${begin}\n_${caption}_\n\n${lines.join('\n')}\n${end}`;
    fs.writeFileSync(doc, text.slice(0, text.indexOf(begin)) + block + text.slice(text.indexOf(end) + end.length));
    console.log('[bench:size] updated docs/benchmark.md');
  }
}
