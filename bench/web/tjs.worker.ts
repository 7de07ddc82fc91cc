// The baseline a user would write instead: transformers.js's documented cross-encoder example, in a worker.
// AutoTokenizer + AutoModelForSequenceClassification, one padded, truncated call per query, sigmoid of the logits.
// Only the environment differs from the example: files come from the local hub and ORT's WASM from this server
// (the machine is offline), and numThreads is set to the same count rerank-web gets.
// spec.impl 'transformers.js-chunked' is the careful user's version of the same set-up: pairs sorted by token length
// and scored in calls of CHUNK (each padded to its own longest pair), scores put back in input order. It is the
// honest comparator: it removes most of the naive call's padding, which is much of what rerank-web gains. It posts
// each chunk's scores as soon as they are done (the page times the first: "first batch"), as a careful user would.
import { AutoModelForSequenceClassification, AutoTokenizer, env, LogLevel, type PreTrainedModel, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import type { LoadResult, LoadSpec, QueryResult } from '../types.ts';

let tokenizer: PreTrainedTokenizer | null = null;
let model: PreTrainedModel | null = null;
let chunked = false;
/** Pairs per call in the sorted+chunked path (what a careful user would pick: small, a multiple of the threads). */
const CHUNK = 8;

type Msg = { type: 'load'; spec: LoadSpec; ortBase: string } | { type: 'query'; query: string; docs: string[] } | { type: 'dispose' };

async function load(spec: LoadSpec, ortBase: string): Promise<Omit<LoadResult, 'loadMs'>> {
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = spec.hubUrl.replace(/\/?$/, '/');
  env.logLevel = LogLevel.ERROR;
  const wasm = env.backends.onnx.wasm!;
  // The same files transformers.js would take from jsDelivr by default (its pinned ORT's asyncify build), served here.
  wasm.wasmPaths = { mjs: `${ortBase}ort-wasm-simd-threaded.asyncify.mjs`, wasm: `${ortBase}ort-wasm-simd-threaded.asyncify.wasm` };
  wasm.numThreads = spec.threads;
  tokenizer = await AutoTokenizer.from_pretrained(spec.model);
  model = await AutoModelForSequenceClassification.from_pretrained(spec.model, { dtype: spec.dtype, device: spec.device });
  chunked = spec.impl === 'transformers.js-chunked';
  return {
    threads: wasm.numThreads ?? 1,
    crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
    fromCache: null,
    device: spec.device,
    ortVersion: env.backends.onnx.versions?.web ?? 'unknown',
    detail: `transformers.js ${env.version}, dtype ${spec.dtype}, ${chunked ? `length-sorted calls of ${CHUNK}` : 'one padded call'}`,
  };
}

type Scored = Omit<QueryResult, 'latencyMs' | 'firstBatchMs'>;

/** One padded, truncated model call over `docs`: sigmoid scores in the order given. */
async function call(q: string, docs: string[]): Promise<Scored> {
  const t0 = performance.now();
  const inputs = tokenizer!(new Array<string>(docs.length).fill(q), { text_pair: docs, padding: true, truncation: true }) as Record<string, Tensor>;
  const tokenizeMs = performance.now() - t0;
  const t1 = performance.now();
  const { logits } = (await model!(inputs)) as { logits: Tensor };
  const inferenceMs = performance.now() - t1;
  const scores = Array.from(logits.sigmoid().data as Float32Array);
  const mask = inputs.attention_mask!;
  let realTokens = 0;
  for (const v of mask.data as BigInt64Array) realTokens += Number(v);
  return { scores, tokenizeMs, inferenceMs, paddedTokens: mask.dims[0]! * mask.dims[1]!, realTokens, runs: 1 };
}

/** The careful user's code: token lengths first, then length-sorted calls of CHUNK, scores back in input order. */
async function sortedChunks(q: string, docs: string[]): Promise<Scored> {
  const t0 = performance.now();
  const { input_ids } = tokenizer!(new Array<string>(docs.length).fill(q), { text_pair: docs, truncation: true, return_tensor: false }) as { input_ids: number[][] };
  const order = docs.map((_, i) => i).sort((a, b) => input_ids[a]!.length - input_ids[b]!.length);
  const out: Scored = { scores: new Array<number>(docs.length).fill(NaN), tokenizeMs: performance.now() - t0, inferenceMs: 0, paddedTokens: 0, realTokens: 0, runs: 0 };
  for (let i = 0; i < order.length; i += CHUNK) {
    const idx = order.slice(i, i + CHUNK);
    const r = await call(q, idx.map((k) => docs[k]!));
    idx.forEach((k, j) => (out.scores[k] = r.scores[j]!));
    // Each chunk's scores go to the page as they are done, as rerank-web's onBatch does: the page times the first.
    self.postMessage({ batch: { indices: idx, scores: r.scores } });
    out.tokenizeMs += r.tokenizeMs;
    out.inferenceMs += r.inferenceMs;
    out.paddedTokens += r.paddedTokens;
    out.realTokens += r.realTokens;
    out.runs += 1;
  }
  return out;
}

async function query(q: string, docs: string[]): Promise<Scored> {
  if (!tokenizer || !model) throw new Error('load first');
  return chunked ? sortedChunks(q, docs) : call(q, docs);
}

self.onmessage = async (e: MessageEvent<Msg>) => {
  const m = e.data;
  try {
    let value: unknown = null;
    if (m.type === 'load') value = await load(m.spec, m.ortBase);
    else if (m.type === 'query') value = await query(m.query, m.docs);
    else {
      await model?.dispose();
      model = null;
    }
    self.postMessage({ ok: true, value });
  } catch (err) {
    self.postMessage({ ok: false, error: err instanceof Error ? `${err.message}` : String(err) });
  }
};
