// A decoder reranker (causal LM) in the worker: pointwise yes/no scoring with a shared prefix cache, or listwise
// windows read from one forward pass each. Same surface as the cross-encoder engine (RerankEngine, engines.ts); the load steps it shares with it are in loader.ts.
import { planBatches } from '../../src/core/batching.ts';
import { applyWindow, listwisePrompt, LISTWISE_IDS, slidingWindows } from '../../src/core/decoder-prompt.ts';
import { fill, pickRecipe, recipePrompt, recipeScore, type DecoderRecipe } from '../../src/core/decoder-recipes.ts';
import { chooseDecoderDtype, resolveMaxLength, runBatchSize } from '../../src/core/model-policy.ts';
import { prepareDecoderGraph, type PreparedDecoder } from '../../src/core/lm-head.ts';
import { splitPassages, tokenizeBounded } from '../../src/core/pair.ts';
import { RerankError } from '../../src/errors.ts';
import type { PassageOptions, RerankerInfo, ScoreReply } from '../../src/protocol.ts';
import { measureCost, refuseSlowDevice } from './decoder-cost.ts';
import { decoderSessionOptions, kvShapeFrom, wrapDecoderSession, type DecoderSession, type KvCache } from './decoder-session.ts';
import { DeviceGuard, type ScoreControl } from './device-guard.ts';
import { yieldToEventLoop } from './event-loop.ts';
import { CHECK_PAIRS } from './gpu-guard.ts';
import { baseInfo, openModel, type FamilyLoader, type LoadContext } from './loader.ts';
import { createOrtSession } from './session.ts';
import type { TextTokenizer } from './tokenizer.ts';

/** Logit values a run may return with a full LM head (batch x length x vocabulary): 256 MB of float32. */
const LOGITS_BUDGET = 2 ** 26;

type DecoderIds = { read: number[]; check: number[]; suffix: number[]; letters: number[] };

export class DecoderEngine {
  private constructor(
    private guard: DeviceGuard<DecoderSession>,
    private tok: TextTokenizer,
    private ids: DecoderIds,
    private vocab: number,
    private recipe: DecoderRecipe,
    private opts: LoadContext['o'],
  ) {}

  get info(): RerankerInfo {
    return this.guard.info;
  }

  private get session(): DecoderSession {
    return this.guard.session;
  }

  static async load(ctx: LoadContext): Promise<DecoderEngine> {
    const { o, ort, config, tokenizerJson, tokenizerConfig } = ctx;
    const { createTextTokenizer } = await import('./tokenizer.ts');
    const tok = createTextTokenizer(tokenizerJson, tokenizerConfig);
    const single = (text: string, why: string) => {
      const t = tok.encode(text);
      if (t.length !== 1) throw new RerankError('MODEL_UNSUPPORTED', `tokenizer.json: "${text}" is ${t.length} tokens; ${why} needs one`, { file: 'tokenizer.json' });
      return t[0]!;
    };
    const recipe = pickRecipe(o.model, o.decoder.recipe);
    const read = o.decoder.mode === 'pointwise' ? recipe.tokens.map((t) => single(t, `recipe '${recipe.name}'`)) : [];
    const letters = o.decoder.mode === 'listwise' ? LISTWISE_IDS.slice(0, o.decoder.window).map((l) => single(l, 'a listwise identifier')) : [];
    // The GPU cross-check and the timed warm-up read the tokens the mode reads, so a pruned head still has them.
    const ids: DecoderIds = { read, check: o.decoder.mode === 'listwise' ? letters : read, suffix: recipe.suffix.flatMap((piece) => tok.encode(piece)), letters };
    // The logits the mode reads: the LM head is cut down to these at load (prepareDecoderGraph, in the loader's one
    // rewrite step).
    const readTokens = ids.check;
    // What the rewrite found in the graph last fetched, and the scoring session's warm-up cost and file size (the GPU
    // check's WASM reference is not measured).
    let graph: Omit<PreparedDecoder, 'bytes'> = { fusedAttention: false, lmHead: { pruned: false, tokens: 0, reason: 'not rewritten' } };
    let cost = { msPer1kTokens: NaN, bytes: 0 };
    const family: FamilyLoader<DecoderSession> = {
      family: 'decoder',
      chooseDtype: chooseDecoderDtype,
      // In place only for bytes nothing else reads (loader.ts): fresh downloads are written to the cache after the load.
      rewriteGraph(bytes, _dtype, editable) {
        const g = prepareDecoderGraph(bytes, readTokens, { prune: o.decoder.pruneLmHead, inPlace: editable });
        graph = { fusedAttention: g.fusedAttention, lmHead: g.lmHead };
        return g.bytes;
      },
      async open(model, device, dtype, pool) {
        const s = await createOrtSession(ort, model, device, decoderSessionOptions(device, config, o.decoder.gpuPrefixCache));
        for (const need of ['input_ids', 'attention_mask', 'past_key_values.0.key']) {
          if (!s.inputNames.includes(need)) {
            await s.release();
            throw new RerankError('MODEL_UNSUPPORTED', `${model.file}: no '${need}' input; a decoder reranker is a causal LM exported with its key/value cache (inputs: [${s.inputNames.join(', ')}])`, { file: model.file });
          }
        }
        const warmId = tok.encode('<|im_start|>')[0]!;
        const session = wrapDecoderSession(ort, s, device, kvShapeFrom(config, s.inputNames, dtype), tok.padId ?? warmId, graph.lmHead.pruned ? readTokens : null);
        // Warm-up, which also proves the graph runs on this device; timed, it gives the cost per 1,000 tokens (issue 25, 6).
        const msPer1kTokens = await measureCost(session, warmId, ids.check[0]!);
        if (pool) cost = { msPer1kTokens, bytes: model.graph.byteLength + model.externalData.reduce((n, d) => n + d.data.byteLength, 0) };
        return session;
      },
      checkScores: (session) => checkMargins(session, tok, ids),
    };
    const m = await openModel(ctx, family);
    // issue 25 (6): 'auto' that landed a real-size decoder on WASM fails here, unless the caller opted in.
    await refuseSlowDevice({ requested: o.device, device: m.device, modelBytes: cost.bytes, msPer1kTokens: cost.msPer1kTokens, limits: o.decoder.slowDeviceLimits, allow: o.decoder.allowSlowDevice, fallbackReason: m.fallbackReason }, () => m.session.release());
    const configVocab = typeof config.vocab_size === 'number' ? config.vocab_size : 152_000;
    const lmHead = graph.lmHead.pruned ? graph.lmHead : { ...graph.lmHead, tokens: configVocab };
    const maxLength = resolveMaxLength('decoder', o.maxLength, config, tokenizerConfig, lmHead.pruned);
    const shared = o.decoder.mode === 'pointwise' && o.decoder.sharedPrefix;
    // GroupQueryAttention takes a multi-token run after a past only at batch 1 (docs/decoder-rerankers.md).
    const batchOn = (device: typeof m.device) => (o.decoder.mode === 'listwise' || (shared && graph.fusedAttention) ? 1 : runBatchSize(device, m.dtype, o.batchSize));
    const info: RerankerInfo = {
      ...baseInfo(ctx, m, maxLength),
      family: 'decoder', mode: o.decoder.mode, sharedPrefix: o.decoder.mode === 'pointwise' ? o.decoder.sharedPrefix : null, lmHead,
      wasmSessions: 1, batchSize: batchOn(m.device), numLabels: 1,
      recipe: o.decoder.mode === 'pointwise' ? recipe.name : null, msPer1kTokens: cost.msPer1kTokens,
    };
    const guard = new DeviceGuard(m, info, ort, () => ({ wasmSessions: 1, batchSize: batchOn('wasm') }));
    // Logit columns per position: the kept tokens, or the vocabulary.
    return new DecoderEngine(guard, tok, ids, lmHead.tokens, recipe, o);
  }

  score(query: string, texts: string[], passages: PassageOptions, ctl: ScoreControl): Promise<ScoreReply> {
    return this.guard.call(() => (this.info.mode === 'listwise' ? this.listwise(query, texts, ctl) : this.pointwise(query, texts, passages, ctl)));
  }

  /** The prompt before the document, its query cut (and re-tokenized) if the prefix would leave a document too little room. */
  private prefixFor(query: string): number[] {
    const { maxLength } = this.info;
    // The instruction option; unset (null), the recipe's default.
    const instruction = this.opts.decoder.instruction ?? undefined;
    const build = (q: string) => recipePrompt(this.recipe, q, '', instruction).prefix.flatMap((piece) => this.tok.encode(piece));
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
    const { maxLength } = this.info;
    const shared = this.opts.decoder.sharedPrefix;
    const prefix = this.prefixFor(query);
    const room = Math.max(1, maxLength - prefix.length - this.ids.suffix.length);
    // Units: one per document, or one per passage of a long document with 'max-passage'.
    const units: { doc: number; ids: number[] }[] = [];
    const truncated: number[] = [];
    const enc = (t: string) => this.tok.encode(fill(this.recipe.document, { document: t }));
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
    let maxRunLogitsBytes = 0;
    if (shared) {
      const t1 = performance.now();
      const out = await this.session.run([prefix], null, [prefix.length - 1], [], true);
      past = out.present;
      maxRunLogitsBytes = out.logitsBytes;
      inferenceMs += performance.now() - t1;
      runs++;
      paddedTokens += prefix.length;
      realTokens += prefix.length;
    }
    try {
      return await this.documentRuns(texts.length, units, rows, past, ctl, { tokenizeMs, inferenceMs, runs, paddedTokens, realTokens, maxRunLogitsBytes }, truncated);
    } finally {
      past?.dispose();
    }
  }

  private async documentRuns(
    count: number, units: { doc: number; ids: number[] }[], rows: number[][], past: KvCache | null, ctl: ScoreControl,
    t: { tokenizeMs: number; inferenceMs: number; runs: number; paddedTokens: number; realTokens: number; maxRunLogitsBytes: number }, truncated: number[],
  ): Promise<ScoreReply> {
    const { batchSize } = this.info;
    let { inferenceMs, runs, paddedTokens, realTokens, maxRunLogitsBytes } = t;
    const longest = rows.reduce((m, r) => Math.max(m, r.length), 0);
    // A pruned head returns a few columns per position: no logit budget then.
    const maxTokens = this.info.lmHead?.pruned ? Number.MAX_SAFE_INTEGER : Math.max(longest, Math.floor(LOGITS_BUDGET / this.vocab));
    const batches = planBatches(rows.map((r) => r.length), batchSize, maxTokens);
    const scores = new Float32Array(count).fill(-Infinity);
    const remaining = new Array<number>(count).fill(0);
    for (const u of units) remaining[u.doc]!++;
    let done = 0;
    for (const batch of batches) {
      await yieldToEventLoop();
      if (ctl.cancelled()) throw new RerankError('ABORTED', 'the call was aborted');
      const runRows = batch.map((i) => rows[i]!);
      const t1 = performance.now();
      const out = await this.session.run(runRows, past, runRows.map((r) => r.length - 1), this.ids.read, false);
      inferenceMs += performance.now() - t1;
      runs++;
      maxRunLogitsBytes = Math.max(maxRunLogitsBytes, out.logitsBytes);
      paddedTokens += runRows.length * Math.max(...runRows.map((r) => r.length));
      realTokens += runRows.reduce((a, r) => a + r.length, 0);
      const finished: number[] = [];
      batch.forEach((i, k) => {
        const s = recipeScore(this.recipe, out.picked[k]!);
        if (!Number.isFinite(s)) throw new RerankError('INFERENCE_FAILED', `the model returned non-finite logits on ${this.info.device}`);
        const doc = units[i]!.doc;
        scores[doc] = Math.max(scores[doc]!, s);
        if (--remaining[doc]! === 0) finished.push(doc);
      });
      done += finished.length;
      if (finished.length > 0) ctl.onBatch?.({ indices: finished, scores: finished.map((d) => scores[d]!), done, total: count });
    }
    const timings = { tokenizeMs: t.tokenizeMs, inferenceMs, runs, paddedTokens, realTokens, maxRunLogitsBytes, ...(past ? { prefixCacheBytesToCpu: past.bytesToCpu } : {}) };
    return { scores, ranks: null, truncated, timings, info: this.info };
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
    let maxRunLogitsBytes = 0;
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
      maxRunLogitsBytes = Math.max(maxRunLogitsBytes, out.logitsBytes);
      const logits = out.picked[0]!;
      members.forEach((doc, k) => (scores[doc] = logits[k]!));
      order = applyWindow(order, start, end, logits);
    }
    const ranks = new Int32Array(texts.length);
    order.forEach((doc, r) => (ranks[doc] = r));
    ctl.onBatch?.({ indices: order, scores: order.map((d) => scores[d]!), done: texts.length, total: texts.length });
    const timings = { tokenizeMs, inferenceMs, runs: windows.length, paddedTokens, realTokens: paddedTokens, maxRunLogitsBytes };
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
    return this.guard.dispose();
  }
}

/**
 * The yes-no logit margins after each of CHECK_PAIRS, in one padded run: the GPU cross-check's numbers. Short rows
 * (query and document, not the whole prompt template): the check compares devices on the same inputs, and a GPU as
 * slow as SwiftShader pays for every token of it at each load.
 */
async function checkMargins(session: DecoderSession, tok: TextTokenizer, ids: DecoderIds): Promise<number[]> {
  const rows = CHECK_PAIRS.map(([q, d]) => tok.encode(`${q}\n${d}\n`));
  const out = await session.run(rows, null, rows.map((r) => r.length - 1), ids.check, false);
  return out.picked.flatMap((logits) => Array.from(logits.subarray(1), (l) => logits[0]! - l));
}
