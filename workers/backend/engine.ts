// A loaded reranker inside the worker: scores in batches, and leaves a GPU that is lost or starts failing for WASM.
import { packBatch, planBatches } from '../../src/core/batching.ts';
import { bucketFor, bucketLengths } from '../../src/core/buckets.ts';
import { documentRoom, encodePair, splitPassages, type EncodedPair } from '../../src/core/pair.ts';
import { runBatchSize } from '../../src/core/model-policy.ts';
import { logitsToScores } from '../../src/core/scoring.ts';
import { isRerankError, RerankError } from '../../src/errors.ts';
import type { WorkerLoadOptions } from '../../src/options.ts';
import type { BatchEvent, PassageOptions, ProgressEvent, RerankerInfo, ScoreReply } from '../../src/protocol.ts';
import { watchDeviceLoss } from './gpu-guard.ts';
import { yieldToEventLoop } from './event-loop.ts';
import { beginLoad, isCausalLm, loadModel, type LoadContext, type LoadedModel } from './loader.ts';
import type { ModelSession } from './session.ts';

/** Padded tokens per run: bounds a run's activations whatever batchSize says. */
const TOKEN_BUDGET = 8192;

function bucketWidth(maxLength: number): (len: number) => number {
  const buckets = bucketLengths(maxLength);
  return (len) => bucketFor(len, buckets);
}

/** One pair to run, and the document it belongs to. */
type Unit = EncodedPair & { doc: number };

export interface ScoreControl {
  cancelled(): boolean;
  onBatch?: (e: BatchEvent) => void;
}

export class Engine {
  private session: ModelSession;
  /** Set when the GPU device was lost: the next call moves to WASM first. */
  private gpuLost: string | null = null;

  private constructor(
    private model: LoadedModel,
    public info: RerankerInfo,
    /** The webgpuShapes option: WebGPU runs padded to buckets instead of their own longest pair. */
    private buckets: boolean,
  ) {
    this.session = model.session;
    if (info.device === 'webgpu') void watchDeviceLoss(model.ort, (reason) => (this.gpuLost = reason));
  }

  static async load(ctx: LoadContext): Promise<Engine> {
    const model = await loadModel(ctx);
    return new Engine(model, model.info, ctx.o.webgpuShapes === 'buckets');
  }

  async score(query: string, texts: string[], passages: PassageOptions, ctl: ScoreControl): Promise<ScoreReply> {
    if (this.gpuLost) await this.moveToWasm(this.gpuLost);
    // A lane worker died during an earlier call (which failed with INFERENCE_FAILED): open the sessions again.
    if (!this.session.usable()) await this.reopenWasm();
    try {
      return await this.scoreOn(query, texts, passages, ctl);
    } catch (e) {
      // A GPU that fails mid-call (lost device, driver error): finish this call on WASM, and stay there.
      if (this.info.device !== 'webgpu' || !isRerankError(e, 'INFERENCE_FAILED')) throw e;
      await this.moveToWasm(this.gpuLost ?? `WebGPU failed during a call: ${e.message}`);
      return this.scoreOn(query, texts, passages, ctl);
    }
  }

  private async moveToWasm(reason: string): Promise<void> {
    const wasm = await this.model.openOnWasm();
    const old = this.session;
    this.session = wasm;
    this.gpuLost = null;
    this.info = {
      ...this.info, device: 'wasm', adapter: null, fallbackReason: reason, wasmSessions: wasm.sessions,
      batchSize: runBatchSize('wasm', this.info.dtype, this.model.batchSize),
    };
    await old.release().catch(() => {}); // a lost device may refuse even this
  }

  private async reopenWasm(): Promise<void> {
    const old = this.session;
    this.session = await this.model.openOnWasm();
    this.info = { ...this.info, wasmSessions: this.session.sessions };
    await old.release().catch(() => {});
  }

  /** The pairs to run: one per document, or one per passage of a long document with 'max-passage'. */
  private pairsFor(query: string, texts: string[], p: PassageOptions): { units: Unit[]; truncated: number[] } {
    const { maxLength } = this.info;
    const { encoder } = this.model;
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
        const packed = packBatch(indices.map((i) => units[i]!), this.model.encoder.padId, padWidth);
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
    return this.session.release();
  }
}

/** What the worker holds: a cross-encoder Engine or a DecoderEngine. */
export interface RerankEngine {
  readonly info: RerankerInfo;
  score(query: string, texts: string[], passages: PassageOptions, ctl: ScoreControl): Promise<ScoreReply>;
  dispose(): Promise<void>;
}

/** Loads the model the options name, as the family its config.json says (a causal LM is a decoder reranker). */
export async function loadEngine(o: WorkerLoadOptions, emit: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<RerankEngine> {
  const ctx = await beginLoad(o, emit, signal);
  if (!isCausalLm(ctx.config)) return Engine.load(ctx);
  const { DecoderEngine } = await import('./decoder-engine.ts');
  return DecoderEngine.load(ctx);
}
