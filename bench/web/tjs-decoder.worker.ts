// The other JS path to a decoder reranker, as a careful user writes it: transformers.js's AutoModelForCausalLM with
// Qwen3-Reranker's model-card recipe. The card tokenizes the prefix, each "<Instruct>/<Query>/<Document>" string and
// the suffix separately and joins the ids; it reads the "yes" and "no" logits at the last position and takes
// softmax -> P(yes). Careful, not naive: prompts sorted by length and run in batches of `batchSize`, each padded to its
// own longest prompt; right padding with each row's own last position read (the card pads left, which the hub's fused
// GroupQueryAttention gets wrong: positions would count the pads, docs/decoder-rerankers.md). Files come from the
// local hub stand-in and ORT's WASM from the bench server (no network here); threads as rerank-web gets.
import { AutoModelForCausalLM, AutoTokenizer, env, LogLevel, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { DecoderSizeLoad, DecoderSizeLoadSpec, DecoderSizeQuery } from './decoder-size-types.ts';

const PREFIX = '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n';
const SUFFIX = '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n';
const INSTRUCTION = 'Given a web search query, retrieve relevant passages that answer the query';

let tokenizer: PreTrainedTokenizer | null = null;
let model: PreTrainedModel | null = null;
let batchSize = 4;
let maxLength = 8192;
const ids: { prefix: number[]; suffix: number[]; yes: number; no: number; pad: number } = { prefix: [], suffix: [], yes: 0, no: 0, pad: 0 };

type Msg = { type: 'load'; spec: DecoderSizeLoadSpec; ortBase: string } | { type: 'query'; query: string; docs: string[] };

function single(word: string): number {
  const t = tokenizer!.encode(word, { add_special_tokens: false });
  if (t.length !== 1) throw new Error(`"${word}" is ${t.length} tokens`);
  return t[0]!;
}

async function load(spec: DecoderSizeLoadSpec, ortBase: string): Promise<Omit<DecoderSizeLoad, 'loadMs'>> {
  if (spec.contender.impl !== 'transformers.js') throw new Error('not a transformers.js contender');
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.useBrowserCache = false; // as rerank-web's contenders (cache: false): each browser loads once
  env.remoteHost = spec.hubUrl.replace(/\/?$/, '/');
  env.logLevel = LogLevel.ERROR;
  const wasm = env.backends.onnx.wasm!;
  wasm.wasmPaths = { mjs: `${ortBase}ort-wasm-simd-threaded.asyncify.mjs`, wasm: `${ortBase}ort-wasm-simd-threaded.asyncify.wasm` };
  wasm.numThreads = spec.threads;
  batchSize = spec.contender.batchSize;
  maxLength = spec.maxLength;
  tokenizer = await AutoTokenizer.from_pretrained(spec.model);
  model = await AutoModelForCausalLM.from_pretrained(spec.model, { dtype: spec.dtype as 'q8', device: 'wasm' });
  ids.prefix = tokenizer.encode(PREFIX, { add_special_tokens: false });
  ids.suffix = tokenizer.encode(SUFFIX, { add_special_tokens: false });
  ids.yes = single('yes');
  ids.no = single('no');
  ids.pad = tokenizer.pad_token_id ?? ids.no;
  const file = spec.dtype === 'q8' ? 'onnx/model_quantized.onnx' : `onnx/model_${spec.dtype}.onnx`;
  return {
    threads: wasm.numThreads ?? 1, crossOriginIsolated: Boolean(globalThis.crossOriginIsolated), modelFile: file, lmHead: null,
    detail: `transformers.js ${env.version}, ORT ${env.backends.onnx.versions?.web ?? '?'}, ${file}, full prompts, length-sorted batches of ${batchSize}, full LM head`,
  };
}

async function query(q: string, docs: string[]): Promise<DecoderSizeQuery> {
  if (!tokenizer || !model) throw new Error('load first');
  const t0 = performance.now();
  const room = maxLength - ids.prefix.length - ids.suffix.length;
  const prompts = docs.map((d) => [...ids.prefix, ...tokenizer!.encode(`<Instruct>: ${INSTRUCTION}\n<Query>: ${q}\n<Document>: ${d}`, { add_special_tokens: false }).slice(0, room), ...ids.suffix]);
  const order = prompts.map((_, i) => i).sort((a, b) => prompts[a]!.length - prompts[b]!.length);
  const out: DecoderSizeQuery = { scores: new Array<number>(docs.length).fill(NaN), ms: 0, runs: 0, paddedTokens: 0, maxRunLogitsBytes: 0 };
  for (let i = 0; i < order.length; i += batchSize) {
    const batch = order.slice(i, i + batchSize);
    const L = Math.max(...batch.map((k) => prompts[k]!.length));
    const inputIds = new BigInt64Array(batch.length * L).fill(BigInt(ids.pad));
    const mask = new BigInt64Array(batch.length * L);
    batch.forEach((k, r) => prompts[k]!.forEach((t, j) => {
      inputIds[r * L + j] = BigInt(t);
      mask[r * L + j] = 1n;
    }));
    const result = (await model({ input_ids: new Tensor('int64', inputIds, [batch.length, L]), attention_mask: new Tensor('int64', mask, [batch.length, L]) })) as { logits: Tensor };
    const logits = result.logits;
    const V = logits.dims.at(-1)!;
    const data = logits.data as Float32Array;
    batch.forEach((k, r) => {
      const base = (r * L + prompts[k]!.length - 1) * V;
      out.scores[k] = 1 / (1 + Math.exp(data[base + ids.no]! - data[base + ids.yes]!));
    });
    out.runs++;
    out.paddedTokens += batch.length * L;
    out.maxRunLogitsBytes = Math.max(out.maxRunLogitsBytes, data.byteLength);
    for (const t of Object.values(result)) (t as { dispose?: () => void }).dispose?.();
  }
  out.ms = performance.now() - t0;
  return out;
}

self.onmessage = async (e: MessageEvent<Msg>) => {
  const m = e.data;
  try {
    const value = m.type === 'load' ? await load(m.spec, m.ortBase) : await query(m.query, m.docs);
    self.postMessage({ ok: true, value });
  } catch (err) {
    self.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
