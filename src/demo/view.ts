// Rendering. Documents and queries are always text (textContent), never HTML.
import type { FileProgressEvent, RerankerInfo, ScoreTimings } from '../index.ts';
import type { Hit } from '../../tools/search-kit/search.ts';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  e.append(...children);
  return e;
}

export interface Row {
  hit: Hit;
  /** 0-based first-stage position. */
  firstRank: number;
  score?: number;
}

function movement(firstRank: number, rank: number): HTMLElement {
  const d = firstRank - rank;
  const text = d > 0 ? `▲ ${d}` : d < 0 ? `▼ ${-d}` : '—';
  const label = d > 0 ? `moved up ${d}` : d < 0 ? `moved down ${-d}` : 'did not move';
  const e = el('span', { className: `move ${d > 0 ? 'up' : d < 0 ? 'down' : 'same'}`, text });
  e.title = label;
  e.setAttribute('aria-label', label);
  return e;
}

export function renderResults(list: HTMLOListElement, rows: Row[], reranked: boolean): void {
  list.replaceChildren(...rows.map((r, rank) => {
    const meta = el('div', { className: 'meta' },
      el('span', { className: 'badge bm25', text: `BM25 ${r.hit.bm25.toFixed(2)}` }),
      ...(r.score === undefined ? [] : [el('span', { className: 'badge score', text: `reranker ${r.score.toFixed(3)}` })]),
      ...(reranked ? [movement(r.firstRank, rank)] : []),
    );
    const title = r.hit.doc.title ? [el('h3', { text: r.hit.doc.title })] : [];
    return el('li', { className: 'result' }, ...title, el('p', { className: 'text', text: r.hit.doc.text }), meta);
  }));
}

export function describeDevice(i: RerankerInfo): string {
  if (i.device === 'webgpu') {
    const a = i.adapter;
    const name = [a?.vendor, a?.architecture || a?.description].filter(Boolean).join(' ');
    return `WebGPU${name ? ` (${name}${a?.isFallbackAdapter ? ', software' : ''})` : ''}`;
  }
  const threads = `${i.numThreads} thread${i.numThreads === 1 ? '' : 's'}`;
  const sessions = i.wasmSessions > 1 ? `, ${i.wasmSessions} sessions side by side` : '';
  return `WASM SIMD, ${threads}${sessions}${i.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`;
}

export function renderInfo(dl: HTMLElement, i: RerankerInfo): void {
  const rows: [string, string][] = [
    ['Device', describeDevice(i)],
    ['Model', `${i.model} (${i.modelFile})`],
    ['Dtype', i.dtype],
    ['Max length', `${i.maxLength} tokens`],
    ['Loaded', `${(i.loadMs / 1000).toFixed(1)} s${i.fromCache ? ', from the browser cache' : ', downloaded'}`],
  ];
  dl.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
}

export function renderCost(dl: HTMLElement, t: ScoreTimings, totalMs: number, docs: number, sessions: number): void {
  // Inference is ONNX Runtime's time added up over the sessions that ran side by side, so with several it can
  // exceed the wall time: the label says which it is.
  const summed = sessions > 1 ? `ORT time summed over ${sessions} sessions side by side` : 'ORT time';
  const rows: [string, string][] = [
    ['Documents', String(docs)],
    ['Wall time', `${totalMs.toFixed(0)} ms`],
    ['Throughput', `${(docs / (totalMs / 1000)).toFixed(1)} docs/s`],
    ['Tokenization', `${t.tokenizeMs.toFixed(0)} ms`],
    ['Inference', `${t.inferenceMs.toFixed(0)} ms ${summed}, in ${t.runs} run${t.runs === 1 ? '' : 's'}`],
    ['Tokens', `${t.realTokens} (${t.paddedTokens - t.realTokens} padding)`],
  ];
  dl.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
}

/** One progress bar per file, with bytes. */
export function renderProgress(box: HTMLElement, files: Map<string, FileProgressEvent>): void {
  box.replaceChildren(...[...files.values()].map((e) => {
    const mb = (n: number) => (n < 1e6 ? `${Math.max(1, Math.round(n / 1e3))} kB` : `${(n / 1e6).toFixed(1)} MB`);
    const total = e.total;
    const label = e.fromCache ? `${e.file}: ${mb(e.loaded)} from cache` : `${e.file}: ${mb(e.loaded)}${total ? ` of ${mb(total)}` : ''}`;
    const bar = el('progress');
    bar.max = total ?? 1;
    bar.value = total ? e.loaded : e.status === 'done' ? 1 : 0;
    bar.setAttribute('aria-label', label);
    return el('div', { className: 'file' }, el('span', { text: label }), bar);
  }));
}
