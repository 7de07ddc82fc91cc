// A cross-encoder in the worker: what differs from a decoder (its dtype rule, session wrapper with lane workers,
// warm-up, check pairs) for the shared load (loader.ts), and scoring in batches.
import { packBatch, planBatches } from '../../src/core/batching.ts';
import { bucketFor, bucketLengths } from '../../src/core/buckets.ts';
import { documentRoom, encodePair, splitPassages, type EncodedPair } from '../../src/core/pair.ts';
import { chooseDtype, planWasmSessions, resolveMaxLength, runBatchSize } from '../../src/core/model-policy.ts';
import { logitsToScores } from '../../src/core/scoring.ts';
import { isRerankError, RerankError } from '../../src/errors.ts';
import type { PassageOptions, RerankerInfo, ScoreReply } from '../../src/protocol.ts';
import { DeviceGuard, type ScoreControl } from './device-guard.ts';
import { yieldToEventLoop } from './event-loop.ts';
import { pairCheckScores } from './gpu-guard.ts';
import { createLanePool } from './lanes.ts';
import { baseInfo, openModel, type FamilyLoader, type LoadContext } from './loader.ts';
import { createSession, type ModelSession } from './session.ts';
import type { PairEncoder } from './tokenizer.ts';

/** Padded tokens per run: bounds a run's activations whatever batchSize says. */
const TOKEN_BUDGET = 8192;

function bucketWidth(maxLength: number): (len: number) => number {
  const buckets = bucketLengths(maxLength);
  return (len) => bucketFor(len, buckets);
}

/** One pair to run, and the document it belongs to. */
type Unit = EncodedPair & { doc: number };

export class CrossEncoderEngine {
  private constructor(
    private guard: DeviceGuard<ModelSession>,
    private encoder: PairEncoder,
    /** The webgpuShapes option: WebGPU runs padded to buckets instead of their own longest pair. */
    private buckets: boolean,
  ) {}

  get info(): RerankerInfo {
    return this.guard.info;
  }

  private get session(): ModelSession {
    return this.guard.session;
  }

  static async load(ctx: LoadContext): Promise<CrossEncoderEngine> {
    const { o, ort, numThreads, config, tokenizerJson, tokenizerConfig } = ctx;
    if (o.decoder.mode === 'listwise') throw new RerankError('INVALID_OPTION', `mode 'listwise' needs a decoder reranker; ${o.model} is a cross-encoder`);
    // Lazy, like ORT: the tokenizer library lands in a chunk of its own.
    const { createPairEncoder } = await import('./tokenizer.ts');
    const encoder = createPairEncoder(tokenizerJson, tokenizerConfig);
    const maxLength = resolveMaxLength('cross-encoder', o.maxLength, config, tokenizerConfig);
    let numLabels = 1;
    const family: FamilyLoader<ModelSession> = {
      family: 'cross-encoder',
      chooseDtype,
      async open(model, device, dtype, pool) {
        const plan = device === 'wasm' && pool ? planWasmSessions(o.wasmSessions, dtype, numThreads) : null;
        let session: ModelSession | null = null;
        if (plan && plan.sessions > 1) {
          session = await createLanePool(model, plan.sessions, plan.threadsEach, o.wasmPaths).catch((e: unknown) => {
            // Lanes that cannot start (a worker URL that no longer resolves, a CSP that refuses it) leave one session
            // with every thread, which info.wasmSessions shows; a model the lanes could not open fails as it would here.
            if (!isRerankError(e, 'INFERENCE_FAILED')) throw e;
            return null;
          });
        }
        session ??= await createSession(ort, model, device);
        numLabels = await warmUp(session, encoder, maxLength, model.file);
        return session;
      },
      checkScores: (session) => pairCheckScores(session, encoder, maxLength, numLabels),
    };
    const m = await openModel(ctx, family);
    const info: RerankerInfo = {
      ...baseInfo(ctx, m, maxLength),
      family: 'cross-encoder', mode: 'cross-encoder', sharedPrefix: null, numLabels, recipe: null, msPer1kTokens: null, lmHead: null,
      wasmSessions: m.session.sessions, batchSize: runBatchSize(m.device, m.dtype, o.batchSize),
    };
    const guard = new DeviceGuard(m, info, ort, (s) => ({ wasmSessions: s.sessions, batchSize: runBatchSize('wasm', m.dtype, o.batchSize) }));
    return new CrossEncoderEngine(guard, encoder, o.webgpuShapes === 'buckets');
  }

  score(query: string, texts: string[], passages: PassageOptions, ctl: ScoreControl): Promise<ScoreReply> {
    return this.guard.call(() => this.scoreOn(query, texts, passages, ctl));
  }

  /** The pairs to run: one per document, or one per passage of a long document with 'max-passage'. */
  private pairsFor(query: string, texts: string[], p: PassageOptions): { units: Unit[]; truncated: number[] } {
    const { maxLength } = this.info;
    const { encoder } = this;
    const queryIds = encoder.encodeQuery(query, maxLength);
    const units: Unit[] = [];
    const truncated: number[] = [];
    if (p.longDocuments === 'truncate') {
      texts.forEach((t, doc) => {
        const e = encoder.encodeDocument(queryIds, t, maxLength);
        if (e.truncated) truncated.push(doc);
        units.push({ doc, ...e });
      });
      return { units, truncated };
    }
    const room = documentRoom(encoder.template, queryIds.length, maxLength);
    const overlap = Math.min(p.passageOverlap, room - 1);
    texts.forEach((t, doc) => {
      const { ids } = encoder.tokenizeDocument(t, room * p.maxPassages);
      const { passages, complete } = splitPassages(ids, room, overlap, p.maxPassages);
      if (!complete) truncated.push(doc);
      for (const passage of passages) units.push({ doc, ...encodePair(encoder.template, queryIds, passage, maxLength) });
    });
    return { units, truncated };
  }

  private async scoreOn(query: string, texts: string[], p: PassageOptions, ctl: ScoreControl): Promise<ScoreReply> {
    const { maxLength, batchSize, numLabels } = this.info;
    const t0 = performance.now();
    const { units, truncated } = this.pairsFor(query, texts, p);
    const tokenizeMs = performance.now() - t0;
    // Read per call: a GPU that failed moves the engine to WASM, which always runs exact lengths (padding costs FLOPs).
    const padWidth = this.buckets && this.info.device === 'webgpu' ? bucketWidth(maxLength) : undefined;
    const batches = planBatches(units.map((u) => u.ids.length), batchSize, Math.max(TOKEN_BUDGET, maxLength), padWidth);
    // A document's score is its best passage's; it is final once all of its passages ran.
    const scores = new Float32Array(texts.length).fill(-Infinity);
    const remaining = new Array<number>(texts.length).fill(0);
    for (const u of units) remaining[u.doc]!++;
    let inferenceMs = 0;
    let paddedTokens = 0;
    let realTokens = 0;
    let done = 0;
    let next = 0;
    let failed = false;
    // One runner per run the session takes at once (lanes of a WASM pool), each taking the next batch in plan order.
    const runner = async () => {
      while (next < batches.length && !failed) {
        // Between batches: let queued messages (a cancel) in, and stop if this call was cancelled.
        await yieldToEventLoop();
        if (failed) return;
        if (ctl.cancelled()) throw new RerankError('ABORTED', 'the call was aborted');
        const indices = batches[next++];
        if (!indices) return;
        const packed = packBatch(indices.map((i) => units[i]!), this.encoder.padId, padWidth);
        const t1 = performance.now();
        const out = await this.session.run(packed);
        inferenceMs += performance.now() - t1;
        const batchScores = logitsToScores(out.data, packed.batch, numLabels);
        if (batchScores.some((s) => !Number.isFinite(s))) {
          throw new RerankError('INFERENCE_FAILED', `the model returned non-finite logits on ${this.info.device}`);
        }
        const finished: number[] = [];
        indices.forEach((i, k) => {
          const doc = units[i]!.doc;
          scores[doc] = Math.max(scores[doc]!, batchScores[k]!);
          if (--remaining[doc]! === 0) finished.push(doc);
        });
        paddedTokens += packed.batch * packed.seqLen;
        realTokens += packed.realTokens;
        done += finished.length;
        if (finished.length > 0) ctl.onBatch?.({ indices: finished, scores: finished.map((d) => scores[d]!), done, total: texts.length });
      }
    };
    const lanes = Math.max(1, Math.min(this.session.parallelism, batches.length));
    // The first failure stops the other runners before their next batch; the call rejects with it.
    await Promise.all(Array.from({ length: lanes }, () => runner().catch((e: unknown) => {
      failed = true;
      throw e;
    })));
    return { scores, ranks: null, truncated, timings: { tokenizeMs, inferenceMs, runs: batches.length, paddedTokens, realTokens }, info: this.info };
  }

  dispose(): Promise<void> {
    return this.guard.dispose();
  }
}

async function warmUp(session: ModelSession, encoder: PairEncoder, maxLength: number, file: string): Promise<number> {
  const pair = encoder.encodeDocument(encoder.encodeQuery('warm up', maxLength), 'warm up', maxLength);
  const out = await session.run(packBatch([pair], encoder.padId));
  const labels = out.dims.length === 2 ? out.dims[1]! : out.dims.length === 1 ? 1 : -1;
  if (labels !== 1 && labels !== 2) {
    throw new RerankError('MODEL_UNSUPPORTED', `${file}: output '${session.outputName}' has shape [${out.dims.join(', ')}]; a reranker gives [batch, 1] or [batch, 2]`, { file });
  }
  return labels;
}
