// `npm run bench` / `npm run bench:quick`: rerank-web against two transformers.js cross-encoder paths (naive, and
// sorted+chunked as a careful user writes it; Chromium, through Playwright) and onnxruntime-node (here, in Node), on
// BM25 top-K lists, in interleaved rounds. Prints the tables and the issue's targets, writes
// bench-results/bench-<timestamp>.json, latest.json (with the raw per-round figures) and chart.svg.
// Options: --quick, --experiments (variants behind proposed library changes), --queries N (per row and round),
// --rounds N (interleaved rounds per row: 5 by default, 3 in --quick), --only TEXT (rows whose label contains TEXT;
// several, comma-separated; "cold" keeps the cold row, which --only otherwise drops), --no-smoke, --no-cold,
// --cold-rounds N (first visits per path: 3 by default, 1 in --quick), --strict (exit 1 when a target fails; by
// default only a failed rerank-web or native run, or a wrong smoke, does). BENCH_NO_SHARED=1 runs as in a fresh clone
// without ../shared. The cold row (bench/run/cold.ts) runs after the rows: first visits in fresh browser profiles.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BROWSER, browserVersion, monitor } from '../bench/run/browser.ts';
import { chartSvg } from '../bench/run/chart.ts';
import { benchSet, rowKey } from '../bench/run/configs.ts';
import { ensureModels } from '../bench/run/fallback-models.ts';
import { coldBaselineLine, coldLegend, coldTable, coldTargets } from '../bench/run/cold-report.ts';
import { runCold, type ColdResult } from '../bench/run/cold.ts';
import { computeTargets, environmentLines, experimentsTable, legend, noiseLine, markdownTable, smokeLines, targetLines, type Environment } from '../bench/run/report.ts';
import { runRow, runSmoke, type RowContext, type RowResult, type SmokeResult } from '../bench/run/rows.ts';
import { startServers, type Servers } from '../bench/run/servers.ts';
import { loadWorkload } from '../bench/run/workload.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const flag = (k: string) => argv.includes(k);
const opt = (k: string) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : undefined);
const queriesOverride = opt('--queries') ? Number(opt('--queries')) : null;
const roundsOverride = opt('--rounds') ? Math.max(1, Number(opt('--rounds'))) : null;
const set = benchSet(flag('--quick') ? 'quick' : flag('--experiments') ? 'experiments' : 'default', queriesOverride, roundsOverride);
const only = opt('--only');
if (only) set.rows = set.rows.filter((r) => only.split(',').some((o) => rowKey(r).includes(o.trim())));
if (only && !only.split(',').some((o) => o.trim() === 'cold')) set.cold = null;
if (flag('--no-smoke')) set.smoke = [];
if (flag('--no-cold')) set.cold = null;
if (set.cold && opt('--cold-rounds')) set.cold.rounds = Math.max(1, Number(opt('--cold-rounds')));

const t0 = Date.now();
const log = (m: string) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}\n`);

function version(pkgDir: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'));
    if (m) return `${m[1]} (${os.type()} ${os.release()} ${os.arch()})`;
  } catch { /* not Linux */ }
  return `${os.type()} ${os.release()} ${os.arch()}`;
}

if (!fs.existsSync(BROWSER)) {
  console.error(`[bench] no browser at ${BROWSER}: apt-get install chromium (or set RERANK_BROWSER)`);
  process.exit(2);
}
const loadStart = os.loadavg();
// Another job on the machine slows every figure: look for one (processes outside ours) for two seconds.
const probe = monitor();
await new Promise((r) => setTimeout(r, 2000));
probe.stop();
if ((probe.foreignCores() ?? 0) > 0.25) log(`WARNING: other processes keep ${probe.foreignCores()!.toFixed(2)} cores busy: timings will be noisy`);

log(`${set.name} set: ${set.rows.length} rows x ${set.rounds} interleaved rounds${set.smoke.length ? ` + ${set.smoke.length} WebGPU smoke checks` : ''}${set.cold ? ` + a cold row (${set.cold.rounds} first visit${set.cold.rounds > 1 ? 's' : ''} per path)` : ''}`);
spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/gen-models.ts')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
const models = await ensureModels(path.join(ROOT, '.models'), log);
const topKs = [...new Set([...set.rows.map((r) => r.topK), ...(set.cold ? [set.cold.topK] : [])])];
const workload = loadWorkload(Math.max(1, ...set.rows.map((r) => r.queries)), topKs.length ? topKs : [50]);
log(`workload: ${workload.note}; ${workload.queries.length} queries`);
if (workload.source === 'generated') console.log(`NOTE: ${workload.note}`);
if (models.note) console.log(`NOTE: ${models.note}`);

const rows: RowResult[] = [];
const smoke: SmokeResult[] = [];
let cold: ColdResult | null = null;
let servers: Servers | null = null;
const stop = async () => {
  await servers?.close();
  servers = null;
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stop().finally(() => process.exit(130)));
try {
  servers = await startServers();
  const ctx: RowContext = {
    hubUrl: servers.hubUrl, pageUrl: servers.pageUrl, modelsRoot: path.join(ROOT, '.models'), org: models.org,
    maxLength: set.maxLength, cacheLoad: set.cacheLoad, rounds: set.rounds, log,
  };
  for (const cfg of set.rows) rows.push(await runRow(cfg, workload.queries, ctx));
  for (const cfg of set.smoke) smoke.push(await runSmoke(cfg, workload.queries, ctx));
  if (set.cold) {
    const q = workload.queries[0]!;
    cold = await runCold(set.cold, { text: q.text, docs: q.docs[set.cold.topK]! }, {
      ...ctx, siteDir: path.join(ROOT, 'dist-bench'), ortDist: path.join(ROOT, 'node_modules/onnxruntime-web/dist'),
    });
  }
} finally {
  await stop();
}

const env: Environment = {
  os: osName(),
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGB: Math.round(os.totalmem() / 2 ** 30),
  node: process.versions.node,
  browser: `Chromium ${await browserVersion()}`,
  versions: {
    'rerank-web': (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    'onnxruntime-web (rerank-web)': version('onnxruntime-web'),
    '@huggingface/transformers': version('@huggingface/transformers'),
    'onnxruntime-web (transformers.js)': version('@huggingface/transformers/node_modules/onnxruntime-web'),
    'onnxruntime-node': version('onnxruntime-node'),
    minisearch: version('minisearch'),
    '@playwright/test': version('@playwright/test'),
    vite: version('vite'),
  },
  loadAverage: { start: loadStart, end: os.loadavg() },
};
const targets = [...computeTargets(rows), ...coldTargets(cold)];
const wallS = (Date.now() - t0) / 1000;
const title = `rerank-web benchmark (${set.name} set), ${new Date().toISOString().slice(0, 10)}`;
const text = [
  `## ${title}`, '',
  `Workload: ${workload.note}; BM25 top-K as "title text", max length ${set.maxLength}; WASM threads as in each row (T); ${set.rounds} interleaved rounds per row.`, '',
  markdownTable(rows), '', legend(), '', noiseLine(rows), '',
  '### Targets (issue 11: against the better transformers.js path, median of the rounds)', '', targetLines(targets), '',
  ...(experimentsTable(rows) ? [
    '### Experiments: rerank-web variants through public options (not the library\'s defaults), same run', '',
    experimentsTable(rows), '',
  ] : []),
  ...(cold ? ['### Cold visit: first reranked batch and bytes sent', '', coldTable(cold), '', coldBaselineLine(cold), '', coldLegend(cold), ''] : []),
  ...(smoke.length ? ['### WebGPU (SwiftShader here: correctness only, not a speed figure)', '', smokeLines(smoke), ''] : []),
  '### Environment', '', environmentLines(env), `- wall time: ${wallS.toFixed(0)} s`,
].join('\n');
console.log('\n' + text);

const outDir = path.join(ROOT, 'bench-results');
fs.mkdirSync(outDir, { recursive: true });
const json = JSON.stringify({ title, set: set.name, wallSeconds: wallS, workload: { ...workload, queries: workload.queries.map((q) => ({ id: q.id, text: q.text })) }, models, env, rows, smoke, cold, targets, markdown: text }, null, 1);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
fs.writeFileSync(path.join(outDir, `bench-${stamp}.json`), json);
fs.writeFileSync(path.join(outDir, 'latest.json'), json);
fs.writeFileSync(path.join(outDir, 'chart.svg'), chartSvg(rows, `${env.cpu}, ${env.cores} cores; ${env.browser}; ${workload.source === 'scifact' ? 'SciFact' : 'generated corpus'} BM25 top-K`));
log(`wrote bench-results/bench-${stamp}.json, latest.json and chart.svg in ${wallS.toFixed(0)} s`);

const broken = rows.flatMap((r) => r.impls.filter((s) => s.error && !s.impl.startsWith('transformers.js')).map((s) => `${r.key} ${s.impl}: ${s.error}`));
broken.push(...smoke.filter((s) => !s.ok).map((s) => `WebGPU smoke ${s.label}`));
broken.push(...(cold?.visits ?? []).filter((v) => v.error && v.impl === 'rerank-web').map((v) => `cold visit ${v.impl}: ${v.error}`));
if (broken.length > 0) console.error(`[bench] failed:\n  ${broken.join('\n  ')}`);
const targetFailed = targets.some((t) => t.pass === false);
process.exit(broken.length > 0 || (flag('--strict') && targetFailed) ? 1 : 0);
