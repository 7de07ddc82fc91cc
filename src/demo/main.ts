// The demo: a user of the public API only. First stage BM25 in the page, then the top K reranked in the worker.
import { createReranker, isRerankError, type FileProgressEvent, type ProgressEvent, type Reranker } from '../index.ts';
import { isolateThroughServiceWorker } from './coi.ts';
import { evaluate, listBeir, loadBeir, summarize, type BeirSet, type QueryEval } from '../../tools/search-kit/beir.ts';
import { docText, parseCorpus, type Doc } from '../../tools/search-kit/corpus.ts';
import { ORACLE_MODEL, ORACLE_NOTE, renderLoadFailure } from './offline.ts';
import { SAMPLE_QUERIES, sampleCorpus } from '../../tools/search-kit/sample-corpus.ts';
import { FirstStage, type Hit } from '../../tools/search-kit/search.ts';
import { PRESETS, settingsFromUrl, settingsToUrl, type Settings } from './settings.ts';
import { describeDevice, el, renderCost, renderInfo, renderProgress, renderResults, type Row } from './view.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const settings: Settings = settingsFromUrl(new URLSearchParams(location.search));
let reranker: Reranker | null = null;
let modelReady: Promise<Reranker | null> = Promise.resolve(null);
let corpus: Doc[] = sampleCorpus();
let stage = new FirstStage(corpus, settings.firstStage);
let beir: BeirSet | null = null;
let current: AbortController | null = null;
let generation = 0;

const fmt = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
const evalText = (what: string, ev: QueryEval) =>
  `nDCG@10 ${what}: BM25 ${fmt(ev.firstStage)} → reranked ${fmt(ev.reranked)} · first-stage recall@${settings.k} ${fmt(ev.recall)}`;
const status = (text: string) => ($('search-status').textContent = text);

// ---- model -------------------------------------------------------------------------------------------------------
async function loadModel(): Promise<Reranker | null> {
  const old = reranker;
  reranker = null;
  await old?.dispose();
  const files = new Map<string, FileProgressEvent>();
  const pill = $('device-pill');
  pill.textContent = 'Loading model…';
  $('fallback').hidden = true;
  $('load-failure').hidden = true;
  $('model-note').hidden = settings.model !== ORACLE_MODEL;
  $('model-note').textContent = ORACLE_NOTE;
  const options = {
    model: settings.model, hubUrl: settings.hubUrl, device: settings.device, dtype: settings.dtype, maxLength: settings.maxLength, mode: settings.mode,
    onProgress: (e: ProgressEvent) => {
      if ('loaded' in e) {
        files.set(e.file, e);
        renderProgress($('progress'), files);
      } else if (e.status === 'session') pill.textContent = `Starting ${e.device === 'webgpu' ? 'WebGPU' : 'WASM'}…`;
    },
  };
  try {
    const r = await createReranker(options).catch((e: unknown) => {
      // A listwise setting left in the URL means nothing to a cross-encoder: the demo ignores it there.
      if (settings.mode !== 'listwise' || !isRerankError(e, 'INVALID_OPTION') || !/cross-encoder/.test(e.message)) throw e;
      return createReranker({ ...options, mode: 'pointwise' });
    });
    reranker = r;
    const ignored = settings.mode === 'listwise' && r.info.family !== 'decoder' ? ' · listwise ignored (cross-encoder)' : '';
    pill.textContent = `Ready · ${describeDevice(r.info)} · ${r.info.dtype}${r.info.family === 'decoder' ? ` · ${r.info.mode}` : ''}${ignored}`;
    pill.dataset.state = 'ready';
    renderInfo($('info'), r.info);
    if (r.info.fallbackReason) {
      $('fallback').hidden = false;
      $('fallback').textContent = `Running on WASM instead of WebGPU: ${r.info.fallbackReason}`;
    }
    return r;
  } catch (e) {
    pill.textContent = 'Model failed to load';
    pill.dataset.state = 'error';
    $('info').replaceChildren(el('dt', { text: 'Error' }), el('dd', { text: isRerankError(e) ? `${e.code}: ${e.message}` : String(e) }));
    renderLoadFailure($('load-failure'), e, {
      model: settings.model, hubUrl: settings.hubUrl, localHub: settings.localHub,
      onUseLocal: () => {
        settings.model = ORACLE_MODEL;
        settings.hubUrl = settings.localHub;
        settings.mode = 'pointwise';
        settingsToUrl(settings);
        fillSettings();
        modelReady = loadModel();
        const q = $<HTMLInputElement>('query').value;
        if (q.trim()) void runQuery(q);
      },
    });
    return null;
  }
}

// ---- search ------------------------------------------------------------------------------------------------------
async function runQuery(query: string, queryId?: string): Promise<QueryEval | null> {
  const gen = ++generation;
  current?.abort(); // typing on cancels the stale rerank: its list must never replace this one
  const ctl = (current = new AbortController());
  const t0 = performance.now();
  const hits = stage.search(query, settings.k);
  const first: Row[] = hits.map((hit, i) => ({ hit, firstRank: i }));
  renderResults($<HTMLOListElement>('results'), first, false);
  if (hits.length === 0) {
    status(query.trim() ? 'No first-stage match.' : '');
    return null;
  }
  status(`BM25: ${hits.length} of ${stage.size} documents in ${(performance.now() - t0).toFixed(0)} ms. Reranking the top ${hits.length}…`);
  const r = reranker ?? (await modelReady);
  if (gen !== generation) return null;
  if (!r) {
    status('First-stage results only: the model did not load (see Model).');
    return null;
  }
  try {
    const t1 = performance.now();
    const ranked = await r.rerank(query, hits, { getText: (h: Hit) => docText(h.doc), signal: ctl.signal });
    if (gen !== generation) return null;
    const ms = performance.now() - t1;
    renderResults($<HTMLOListElement>('results'), ranked.map((x) => ({ hit: x.document, firstRank: x.index, score: x.score })), true);
    if (r.lastTimings) renderCost($('cost'), r.lastTimings, ms, hits.length, r.info.wasmSessions);
    status(`Reranked the top ${hits.length} in ${ms.toFixed(0)} ms on ${describeDevice(r.info)}.`);
    if (beir && queryId) {
      const ev = evaluate(beir, queryId, hits.map((h) => h.doc.id), ranked.map((x) => x.document.doc.id));
      $('beir-result').textContent = evalText('for this query', ev);
      return ev;
    }
  } catch (e) {
    if (isRerankError(e, 'ABORTED')) return null;
    status(`Rerank failed: ${isRerankError(e) ? `${e.code}: ` : ''}${(e as Error).message}`);
  }
  return null;
}

let debounce = 0;
$<HTMLInputElement>('query').addEventListener('input', (e) => {
  clearTimeout(debounce);
  const q = (e.target as HTMLInputElement).value;
  debounce = window.setTimeout(() => void runQuery(q), 120);
});
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  clearTimeout(debounce);
  void runQuery($<HTMLInputElement>('query').value);
});

function setQuery(text: string, id?: string): void {
  $<HTMLInputElement>('query').value = text;
  void runQuery(text, id);
}

$('examples').append(el('span', { text: 'Try: ' }), ...SAMPLE_QUERIES.map((q) => {
  const b = el('button', { className: 'chip', text: q });
  b.type = 'button';
  b.addEventListener('click', () => setQuery(q));
  return b;
}));

// ---- corpus ------------------------------------------------------------------------------------------------------
function useCorpus(docs: Doc[], label: string, set: BeirSet | null = null): void {
  corpus = docs;
  stage = new FirstStage(docs, settings.firstStage);
  beir = set;
  $('corpus-label').textContent = label;
  $('corpus-count').textContent = `${docs.length.toLocaleString()} documents, indexed in the page.`;
  $('beir-panel').hidden = !set;
  $('examples').hidden = Boolean(set);
  if (set) {
    $('beir-query').replaceChildren(...set.queries.map((q) => Object.assign(el('option', { text: q.text.length > 90 ? `${q.text.slice(0, 90)}…` : q.text }), { value: q.id })));
    $<HTMLInputElement>('beir-count').max = String(set.queries.length);
  }
  const q = $<HTMLInputElement>('query').value;
  if (q.trim()) void runQuery(q);
}

async function loadFileText(name: string, text: string): Promise<void> {
  try {
    const docs = parseCorpus(name, text);
    if (docs.length === 0) throw new Error('no documents found');
    useCorpus(docs, `your ${name === 'pasted' ? 'pasted text' : `file ${name}`}`);
  } catch (e) {
    $('corpus-count').textContent = `Could not read ${name}: ${(e as Error).message}`;
  }
}

$<HTMLSelectElement>('corpus-select').addEventListener('change', async (e) => {
  const v = (e.target as HTMLSelectElement).value;
  $('file-box').hidden = v !== 'file';
  if (v === 'sample') useCorpus(sampleCorpus(), 'the sample corpus');
  if (v.startsWith('beir:')) {
    $('corpus-count').textContent = 'Loading…';
    const set = await loadBeir(v.slice(5));
    useCorpus(set.docs, `BEIR ${set.name}`, set);
  }
});
$<HTMLInputElement>('file-input').addEventListener('change', async (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) await loadFileText(f.name, await f.text());
});
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', async (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f) await loadFileText(f.name, await f.text());
});
$('use-paste').addEventListener('click', () => void loadFileText('pasted', $<HTMLTextAreaElement>('paste').value));

$<HTMLSelectElement>('first-stage').addEventListener('change', (e) => {
  settings.firstStage = (e.target as HTMLSelectElement).value as Settings['firstStage'];
  settingsToUrl(settings);
  stage = new FirstStage(corpus, settings.firstStage);
  const q = $<HTMLInputElement>('query').value;
  // A judged query keeps its evaluation line, so the two set-ups can be compared on it.
  if (q.trim()) void runQuery(q, beir?.queries.find((x) => x.text === q)?.id);
});

// ---- BEIR evaluation -----------------------------------------------------------------------------------------------
let evalStop: AbortController | null = null;
$('beir-run').addEventListener('click', () => {
  const id = $<HTMLSelectElement>('beir-query').value;
  const q = beir?.queries.find((x) => x.id === id);
  if (q) setQuery(q.text, q.id);
});
$('beir-all').addEventListener('click', async () => {
  if (!beir) return;
  const n = Math.min(beir.queries.length, Math.max(1, Number($<HTMLInputElement>('beir-count').value) || 1));
  evalStop = new AbortController();
  $('beir-stop').hidden = false;
  const evals: QueryEval[] = [];
  for (const q of beir.queries.slice(0, n)) {
    if (evalStop.signal.aborted) break;
    $<HTMLInputElement>('query').value = q.text;
    const ev = await runQuery(q.text, q.id);
    if (ev) evals.push(ev);
    const s = summarize(evals);
    $('beir-result').textContent = evalText(`over ${evals.length} of ${n} queries`, s);
  }
  $('beir-stop').hidden = true;
});
$('beir-stop').addEventListener('click', () => evalStop?.abort());

// ---- settings ----------------------------------------------------------------------------------------------------
function fillSettings(): void {
  $('presets').replaceChildren(...PRESETS.map((p) => Object.assign(el('option', { text: p.description }), { value: p.id })));
  $<HTMLInputElement>('s-model').value = settings.model;
  $<HTMLSelectElement>('s-device').value = settings.device;
  $<HTMLSelectElement>('s-dtype').value = settings.dtype;
  $<HTMLInputElement>('s-k').value = String(settings.k);
  $<HTMLInputElement>('s-maxlen').value = settings.maxLength ? String(settings.maxLength) : '';
  $<HTMLSelectElement>('first-stage').value = settings.firstStage;
  $<HTMLSelectElement>('s-mode').value = settings.mode;
}
$('settings').addEventListener('submit', (e) => {
  e.preventDefault();
  settings.model = $<HTMLInputElement>('s-model').value.trim() || settings.model;
  settings.device = $<HTMLSelectElement>('s-device').value as Settings['device'];
  settings.dtype = $<HTMLSelectElement>('s-dtype').value as Settings['dtype'];
  settings.mode = $<HTMLSelectElement>('s-mode').value as Settings['mode'];
  settings.k = Math.max(1, Math.min(500, Number($<HTMLInputElement>('s-k').value) || 50));
  const ml = Number($<HTMLInputElement>('s-maxlen').value);
  settings.maxLength = Number.isInteger(ml) && ml >= 16 ? ml : undefined;
  settingsToUrl(settings);
  modelReady = loadModel();
});

fillSettings();
useCorpus(sampleCorpus(), 'the sample corpus');
// On a host without the isolation headers, the page reloads once through the service worker: load nothing before.
const reloading = await isolateThroughServiceWorker();
if (!reloading) modelReady = loadModel();
// A first visit shows something at once: an example query's BM25 results, re-ordered as soon as the model is ready.
if (!reloading) setQuery(new URLSearchParams(location.search).get('q') ?? SAMPLE_QUERIES[0]!);
// BEIR folders come from the dev server (and the test build's preview); a static host has none, and asking would log
// a 404 in every visitor's console.
if (import.meta.env.MODE !== 'production') {
  void listBeir().then((names) => {
    for (const n of names) $('corpus-select').append(Object.assign(el('option', { text: `BEIR: ${n} (served by the dev server)` }), { value: `beir:${n}` }));
  });
}
