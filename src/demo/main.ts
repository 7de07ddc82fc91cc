// The demo: a user of the public API only. URL parameters (?model=&hub=&device=&dtype=) preset the form.
import { createReranker, DEFAULT_MODEL, type Device, type Dtype, type Reranker } from '../index.ts';

const SAMPLE = `Cats and dogs can live together when they are introduced slowly.
A recipe for tomato soup with fresh basil.
Dogs are loyal animals that need daily walks.
The GPU runs many small programs in parallel.
Cats sleep for most of the day and hunt at night.
How to train a dog to live with a cat in a small home.`;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
$<HTMLInputElement>('model').value = params.get('model') ?? DEFAULT_MODEL;
$<HTMLSelectElement>('device').value = params.get('device') ?? 'auto';
$<HTMLSelectElement>('dtype').value = params.get('dtype') ?? 'auto';
$<HTMLTextAreaElement>('docs').value = SAMPLE;

let reranker: Reranker | null = null;
let controller: AbortController | null = null;

$<HTMLFormElement>('setup').addEventListener('submit', async (e) => {
  e.preventDefault();
  await reranker?.dispose();
  reranker = null;
  $<HTMLButtonElement>('run').disabled = true;
  const progress = $<HTMLProgressElement>('progress');
  progress.hidden = false;
  const status = $('status');
  status.textContent = 'Loading…';
  try {
    reranker = await createReranker({
      model: $<HTMLInputElement>('model').value,
      hubUrl: params.get('hub') ?? undefined,
      device: $<HTMLSelectElement>('device').value as Device,
      dtype: $<HTMLSelectElement>('dtype').value as Dtype | 'auto',
      onProgress: (p) => {
        if (p.status === 'download' && p.total) progress.value = p.loaded / p.total;
        if (p.status === 'download' || p.status === 'cached') status.textContent = `${p.status === 'cached' ? 'From cache' : 'Downloading'} ${p.file}: ${(p.loaded / 1e6).toFixed(1)} MB`;
      },
    });
    const i = reranker.info;
    const adapter = i.adapter ? ` (${i.adapter.vendor} ${i.adapter.architecture})` : '';
    status.textContent = `Ready: ${i.device}${adapter}, ${i.dtype}, ${i.numThreads} thread(s), loaded in ${Math.round(i.loadMs)} ms${i.fromCache ? ' from cache' : ''}.` +
      (i.fallbackReason ? ` Fell back: ${i.fallbackReason}` : '');
    $<HTMLButtonElement>('run').disabled = false;
  } catch (err) {
    status.textContent = `Failed: ${(err as Error).message}`;
  } finally {
    progress.hidden = true;
  }
});

$<HTMLFormElement>('search').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!reranker) return;
  controller?.abort();
  controller = new AbortController();
  const docs = $<HTMLTextAreaElement>('docs').value.split('\n').map((s) => s.trim()).filter(Boolean);
  const t0 = performance.now();
  try {
    const ranked = await reranker.rerank($<HTMLInputElement>('query').value, docs, { signal: controller.signal });
    const ms = performance.now() - t0;
    $('timing').textContent = `${docs.length} documents in ${ms.toFixed(0)} ms (${(docs.length / (ms / 1000)).toFixed(1)} docs/s) on ${reranker.info.device}.`;
    const list = $('results');
    list.replaceChildren(...ranked.map((r, rank) => {
      const li = document.createElement('li');
      const score = document.createElement('span');
      score.className = 'score';
      score.textContent = r.score.toFixed(3);
      const move = document.createElement('span');
      move.className = 'move';
      const delta = r.index - rank;
      move.textContent = delta > 0 ? `▲ ${delta}` : delta < 0 ? `▼ ${-delta}` : '=';
      // Documents are text, never HTML.
      li.append(score, document.createTextNode(r.document), move);
      return li;
    }));
  } catch (err) {
    if ((err as { code?: string }).code !== 'ABORTED') $('timing').textContent = `Failed: ${(err as Error).message}`;
  }
});

if (params.has('autoload')) $<HTMLFormElement>('setup').requestSubmit();
