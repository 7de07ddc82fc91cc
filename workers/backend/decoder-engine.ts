// A decoder reranker (causal LM) in the worker: pointwise yes/no scoring with a shared prefix cache, or listwise
// windows read from one forward pass each. Same surface as the cross-encoder Engine (info, score, dispose).
import { planBatches } from '../../src/core/batching.ts';
import { applyWindow, DEFAULT_INSTRUCTION, listwisePrompt, LISTWISE_IDS, pointwisePrompt, slidingWindows, yesProbability } from '../../src/core/decoder-prompt.ts';
import { chooseDecoderDtype, decoderDefaultMaxLength, onnxFileFor, runBatchSize } from '../../src/core/model-policy.ts';
import { prepareDecoderGraph, type PreparedDecoder } from '../../src/core/lm-head.ts';
import { splitPassages, tokenizeBounded } from '../../src/core/pair.ts';
import { isRerankError, RerankError } from '../../src/errors.ts';
import type { Dtype } from '../../src/options.ts';
import type { PassageOptions, RerankerInfo, ScoreReply } from '../../src/protocol.ts';
import { kvShapeFrom, wrapDecoderSession, type DecoderSession, type KvCache } from './decoder-session.ts';
import type { ScoreControl } from './engine.ts';
import { yieldToEventLoop } from './event-loop.ts';
import type { LoadContext } from './loader.ts';
import { configureOrt } from './session.ts';
import type { TextTokenizer } from './tokenizer.ts';

/** Logit values a run may return with a full LM head (batch x length x vocabulary): 256 MB of float32. */
const LOGITS_BUDGET = 2 ** 26;

export class DecoderEngine {
  private constructor(
    private session: DecoderSession,
    private tok: TextTokenizer,
    private ids: { yes: number; no: number; suffix: number[]; letters: number[] },
    private vocab: number,
    public info: RerankerInfo,
    private opts: LoadContext['o'],
  ) {}

  static async load(ctx: LoadContext): Promise<DecoderEngine> {
    const { o, emit, ort, config, tokenizerJson, tokenizerConfig } = ctx;
    const { createTextTokenizer } = await import('./tokenizer.ts');
    const tok = createTextTokenizer(tokenizerJson, tokenizerConfig);
    // After the tokenizer's import, which points ORT at a CDN: the app serves ORT's files.
    configureOrt(ort, { numThreads: ctx.numThreads, wasmPaths: o.wasmPaths });
    const single = (text: string, why: string) => {
      const t = tok.encode(text);
      if (t.length !== 1) throw new RerankError('MODEL_UNSUPPORTED', `tokenizer.json: "${text}" is ${t.length} tokens; ${why} needs one`, { file: 'tokenizer.json' });
      return t[0]!;
    };
    const ids = {
      yes: single('yes', 'pointwise scoring'), no: single('no', 'pointwise scoring'),
      suffix: tok.encode(pointwisePrompt('', '').suffix),
      letters: o.decoder.mode === 'listwise' ? LISTWISE_IDS.slice(0, o.decoder.window).map((l) => single(l, 'a listwise identifier')) : [],
    };
    // The logits the mode reads: the LM head is cut down to these at load (prepareDecoderGraph).
    const readTokens = o.decoder.mode === 'listwise' ? ids.letters : [ids.yes, ids.no];
    let { device, fallbackReason } = ctx;
    const open = async (dev: typeof device): Promise<{ session: DecoderSession; dtype: Dtype; file: string; graph: PreparedDecoder }> => {
      const choice = chooseDecoderDtype(dev, o.dtype, ctx.adapter?.shaderF16 ?? false);
      if (choice.error) throw new RerankError('INVALID_OPTION', choice.error);
      for (const dtype of choice.candidates) {
        const file = onnxFileFor(dtype);
        const f = await ctx.get(file, 'onnx', choice.candidates.length > 1);
        if (!f) continue;
        emit({ status: 'session', device: dev });
        // In place only for bytes that came from the cache: fresh downloads are written to it after the load.
        const graph = prepareDecoderGraph(f.bytes, readTokens, { prune: o.decoder.pruneLmHead, inPlace: f.fromCache });
        let s;
        try {
          s = await ort.InferenceSession.create(graph.bytes, { executionProviders: [dev], graphOptimizationLevel: 'all', enableMemPattern: dev !== 'wasm', logSeverityLevel: 3 });
        } catch (e) {
          const msg = (e as Error).message ?? String(e);
          if (/backend|webgpu|adapter|device/i.test(msg) && !/protobuf|parse|load model/i.test(msg)) throw new RerankError('BACKEND_UNAVAILABLE', `ONNX Runtime could not start '${dev}': ${msg}`, { file });
          await f.evict();
          throw new RerankError('MODEL_INVALID', `${file}: ONNX Runtime could not load it: ${msg}`, { file });
        }
        for (const need of ['input_ids', 'attention_mask', 'past_key_values.0.key']) {
          if (!s.inputNames.includes(need)) {
            await s.release();
            throw new RerankError('MODEL_UNSUPPORTED', `${file}: no '${need}' input; a decoder reranker is a causal LM exported with its key/value cache (inputs: [${s.inputNames.join(', ')}])`, { file });
          }
        }
        const padId = tok.padId ?? ids.no;
        const session = wrapDecoderSession(ort, s, dev, kvShapeFrom(config, s.inputNames, dtype), padId, graph.lmHead.pruned ? readTokens : null);
        // Warm-up: one short prompt, which also proves the graph runs on this device.
        await session.run([tok.encode('<|im_start|>user\nwarm up')], null, [0], readTokens.slice(0, 2), false);
        return { session, dtype, file, graph };
      }
      throw new RerankError('MODEL_NOT_FOUND', `none of ${choice.candidates.map(onnxFileFor).join(', ')} exists for ${o.model}`, { file: onnxFileFor(choice.candidates.at(-1)!) });
    };
    const opened = await open(device).catch(async (e: unknown) => {
      if (device !== 'webgpu' || o.device !== 'auto' || !isRerankError(e) || !['BACKEND_UNAVAILABLE', 'INFERENCE_FAILED'].includes(e.code)) throw e;
      fallbackReason = `WebGPU failed: ${e.message}`;
      device = 'wasm';
      return open('wasm');
    });
    await ctx.commit();
    emit({ status: 'ready' });
    const { fusedAttention } = opened.graph;
    const configVocab = typeof config.vocab_size === 'number' ? config.vocab_size : 152_000;
    const lmHead = opened.graph.lmHead.pruned ? opened.graph.lmHead : { ...opened.graph.lmHead, tokens: configVocab };
    const maxLength = o.maxLength ?? decoderDefaultMaxLength(lmHead.pruned, [tokenizerConfig.model_max_length, config.max_position_embeddings]);
    const shared = o.decoder.mode === 'pointwise' && o.decoder.sharedPrefix;
    const info: RerankerInfo = {
      model: o.model, family: 'decoder', mode: o.decoder.mode, sharedPrefix: o.decoder.mode === 'pointwise' ? o.decoder.sharedPrefix : null,
      lmHead, device, dtype: opened.dtype, modelFile: opened.file, fallbackReason, adapter: device === 'webgpu' ? ctx.adapter : null,
      gpuCheck: null, numThreads: ort.env.wasm.numThreads ?? ctx.numThreads, wasmSessions: 1,
      crossOriginIsolated: Boolean(globalThis.crossOriginIsolated), maxLength,
      // GroupQueryAttention takes a multi-token run after a past only at batch 1 (docs/decoder-rerankers.md).
      batchSize: o.decoder.mode === 'listwise' || (shared && fusedAttention) ? 1 : runBatchSize(device, opened.dtype, o.batchSize), numLabels: 1,
      fromCache: ctx.fromCache(), loadMs: performance.now() - ctx.t0, ortVersion: ort.env.versions?.web ?? 'unknown',
    };
    // Logit columns per position: the kept tokens, or the vocabulary.
    return new DecoderEngine(opened.session, tok, ids, lmHead.tokens, info, o);
  }

  score(query: string, texts: string[], passages: PassageOptions, ctl: ScoreControl): Promise<ScoreReply> {
    return this.info.mode === 'listwise' ? this.listwise(query, texts, ctl) : this.pointwise(query, texts, passages, ctl);
  }

  /** The prompt before the document, its query cut (and re-tokenized) if the prefix would leave a document too little room. */
  private prefixFor(query: string): number[] {
    const { maxLength } = this.info;
    const instruction = this.opts.decoder.instruction ?? DEFAULT_INSTRUCTION;
    const build = (q: string) => { const p = pointwisePrompt(q, '', instruction); return [...this.tok.encode(p.system), ...this.tok.encode(p.query)]; };
    let prefix = build(query);
    const over = prefix.length + this.ids.suffix.length + Math.min(64, Math.floor(maxLength / 4)) - maxLength;
    if (over > 0) {
      const q = this.tok.encode(query);
      prefix = build(this.tok.decode(q.slice(0, Math.max(0, q.length - over))));
    }
    return prefix;
  }

  private async pointwise(query: string, texts: string[], p: PassageOptions, ctl: ScoreControl): Promise<ScoreReply> {
    const t0 = performance.now();
    const { maxLength, batchSize } = this.info;
    const shared = this.opts.decoder.sharedPrefix;
    const prefix = this.prefixFor(query);
    const room = Math.max(1, maxLength - prefix.length - this.ids.suffix.length);
    // Units: one per document, or one per passage of a long document with 'max-passage'.
    const units: { doc: number; ids: number[] }[] = [];
    const truncated: number[] = [];
    const enc = (t: string) => this.tok.encode(pointwisePrompt('', t).document);
    texts.forEach((text, doc) => {
      const limit = p.longDocuments === 'truncate' ? room : room * p.maxPassages;
      const { ids, clipped } = tokenizeBounded(text, limit, (s) => enc(s));
      if (p.longDocuments === 'truncate') {
        if (clipped || ids.length > room) truncated.push(doc);
        units.push({ doc, ids: ids.slice(0, room) });
        return;
      }
      const split = splitPassages(ids, room, Math.min(p.passageOverlap, room - 1), p.maxPassages);
      if (clipped || !split.complete) truncated.push(doc);
      for (const passage of split.passages) units.push({ doc, ids: passage });
    });
    const rows = units.map((u) => (shared ? [...u.ids, ...this.ids.suffix] : [...prefix, ...u.ids, ...this.ids.suffix]));
    const tokenizeMs = performance.now() - t0;
    let inferenceMs = 0;
    let runs = 0;
    let paddedTokens = 0;
    let realTokens = 0;
    let past: KvCache | null = null;
    if (shared) {
      const t1 = performance.now();
      past = (await this.session.run([prefix], null, [prefix.length - 1], [], true)).present;
      inferenceMs += performance.now() - t1;
      runs++;
      paddedTokens += prefix.length;
      realTokens += prefix.length;
    }
    const longest = rows.reduce((m, r) => Math.max(m, r.length), 0);
    // A pruned head returns a few columns per position: no logit budget then.
    const maxTokens = this.info.lmHead?.pruned ? Number.MAX_SAFE_INTEGER : Math.max(longest, Math.floor(LOGITS_BUDGET / this.vocab));
    const batches = planBatches(rows.map((r) => r.length), batchSize, maxTokens);
    const scores = new Float32Array(texts.length).fill(-Infinity);
    const remaining = new Array<number>(texts.length).fill(0);
    for (const u of units) remaining[u.doc]!++;
    let done = 0;
    for (const batch of batches) {
      await yieldToEventLoop();
      if (ctl.cancelled()) throw new RerankError('ABORTED', 'the call was aborted');
      const runRows = batch.map((i) => rows[i]!);
      const t1 = performance.now();
      const out = await this.session.run(runRows, past, runRows.map((r) => r.length - 1), [this.ids.yes, this.ids.no], false);
      inferenceMs += performance.now() - t1;
      runs++;
      paddedTokens += runRows.length * Math.max(...runRows.map((r) => r.length));
      realTokens += runRows.reduce((a, r) => a + r.length, 0);
      const finished: number[] = [];
      batch.forEach((i, k) => {
        const [yes, no] = out.picked[k]!;
        const s = yesProbability(yes!, no!);
        if (!Number.isFinite(s)) throw new RerankError('INFERENCE_FAILED', `the model returned non-finite logits on ${this.info.device}`);
        const doc = units[i]!.doc;
        scores[doc] = Math.max(scores[doc]!, s);
        if (--remaining[doc]! === 0) finished.push(doc);
      });
      done += finished.length;
      if (finished.length > 0) ctl.onBatch?.({ indices: finished, scores: finished.map((d) => scores[d]!), done, total: texts.length });
    }
    return { scores, ranks: null, truncated, timings: { tokenizeMs, inferenceMs, runs, paddedTokens, realTokens }, info: this.info };
  }

  private async listwise(query: string, texts: string[], ctl: ScoreControl): Promise<ScoreReply> {
    const t0 = performance.now();
    const { window, stride, passageTokens } = this.opts.decoder;
    const { maxLength } = this.info;
    const truncated = new Set<number>();
    // Each passage cut to passageTokens, as text (decoded) so that it sits in the prompt like any other text.
    const cut = texts.map((t, i) => {
      const { ids, clipped } = tokenizeBounded(t, passageTokens, (s) => this.tok.encode(s));
      if (clipped || ids.length > passageTokens) truncated.add(i);
      return ids.length > passageTokens ? this.tok.decode(ids.slice(0, passageTokens)) : t;
    });
    const tokenizeMs = performance.now() - t0;
    let order = texts.map((_, i) => i);
    const scores = new Float32Array(texts.length);
    let inferenceMs = 0;
    let paddedTokens = 0;
    const windows = slidingWindows(texts.length, window, stride);
    for (const [start, end] of windows) {
      await yieldToEventLoop();
      if (ctl.cancelled()) throw new RerankError('ABORTED', 'the call was aborted');
      const members = order.slice(start, end);
      const ids = this.windowIds(query, members.map((i) => cut[i]!), maxLength, members, truncated);
      const t1 = performance.now();
      const out = await this.session.run([ids], null, [ids.length - 1], this.ids.letters.slice(0, members.length), false);
      inferenceMs += performance.now() - t1;
      paddedTokens += ids.length;
      const logits = out.picked[0]!;
      members.forEach((doc, k) => (scores[doc] = logits[k]!));
      order = applyWindow(order, start, end, logits);
    }
    const ranks = new Int32Array(texts.length);
    order.forEach((doc, r) => (ranks[doc] = r));
    ctl.onBatch?.({ indices: order, scores: order.map((d) => scores[d]!), done: texts.length, total: texts.length });
    const timings = { tokenizeMs, inferenceMs, runs: windows.length, paddedTokens, realTokens: paddedTokens };
    return { scores, ranks, truncated: [...truncated].sort((a, b) => a - b), timings, info: this.info };
  }

  /** One window's prompt ids; passages are cut further, evenly, when the window would not fit maxLength. */
  private windowIds(query: string, passages: string[], maxLength: number, members: number[], truncated: Set<number>): number[] {
    const p = listwisePrompt(query, passages);
    const head = this.tok.encode(p.head);
    const tail = this.tok.encode(p.tail);
    let pieces = p.passages.map((s) => this.tok.encode(s));
    const total = () => head.length + tail.length + pieces.reduce((a, x) => a + x.length, 0);
    if (total() > maxLength) {
      const each = Math.max(8, Math.floor((maxLength - head.length - tail.length) / pieces.length) - 4);
      pieces = pieces.map((x, k) => {
        if (x.length <= each) return x;
        truncated.add(members[k]!);
        return this.tok.encode(`${this.tok.decode(x.slice(0, each - 1))}\n`);
      });
    }
    return [...head, ...pieces.flat(), ...tail];
  }

  dispose(): Promise<void> {
    return this.session.release();
  }
}
