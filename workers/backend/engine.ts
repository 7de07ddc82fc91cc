// A loaded reranker inside the worker: scores in batches, and leaves a GPU that is lost or starts failing for WASM.
import { packBatch, planBatches } from '../../src/core/batching.ts';
import { logitsToScores } from '../../src/core/scoring.ts';
import { isRerankError, RerankError } from '../../src/errors.ts';
import type { WorkerLoadOptions } from '../../src/options.ts';
import type { BatchEvent, ProgressEvent, RerankerInfo, ScoreReply } from '../../src/protocol.ts';
import { watchDeviceLoss } from './gpu-guard.ts';
import { loadModel, type LoadedModel } from './loader.ts';
import type { ModelSession } from './session.ts';

/** Padded tokens per run: bounds a run's activations whatever batchSize says. */
const TOKEN_BUDGET = 8192;

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
  ) {
    this.session = model.session;
    if (info.device === 'webgpu') void watchDeviceLoss(model.ort, (reason) => (this.gpuLost = reason));
  }

  static async load(o: WorkerLoadOptions, emit: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<Engine> {
    const model = await loadModel(o, emit, signal);
    return new Engine(model, model.info);
  }

  async score(query: string, texts: string[], ctl: ScoreControl): Promise<ScoreReply> {
    if (this.gpuLost) await this.moveToWasm(this.gpuLost);
    try {
      return await this.scoreOn(query, texts, ctl);
    } catch (e) {
      // A GPU that fails mid-call (lost device, driver error): finish this call on WASM, and stay there.
      if (this.info.device !== 'webgpu' || !isRerankError(e, 'INFERENCE_FAILED')) throw e;
      await this.moveToWasm(this.gpuLost ?? `WebGPU failed during a call: ${e.message}`);
      return this.scoreOn(query, texts, ctl);
    }
  }

  private async moveToWasm(reason: string): Promise<void> {
    const wasm = await this.model.openOnWasm();
    const old = this.session;
    this.session = wasm;
    this.gpuLost = null;
    this.info = { ...this.info, device: 'wasm', adapter: null, fallbackReason: reason };
    await old.release().catch(() => {}); // a lost device may refuse even this
  }

  private async scoreOn(query: string, texts: string[], ctl: ScoreControl): Promise<ScoreReply> {
    const { maxLength, batchSize, numLabels } = this.info;
    const { encoder } = this.model;
    const t0 = performance.now();
    const queryIds = encoder.encodeQuery(query, maxLength);
    const pairs = texts.map((t) => encoder.encodeDocument(queryIds, t, maxLength));
    const tokenizeMs = performance.now() - t0;
    const batches = planBatches(pairs.map((p) => p.ids.length), batchSize, Math.max(TOKEN_BUDGET, maxLength));
    const scores = new Float32Array(texts.length);
    let inferenceMs = 0;
    let paddedTokens = 0;
    let realTokens = 0;
    let done = 0;
    for (const indices of batches) {
      // Between batches: let queued messages (a cancel) in, and stop if this call was cancelled.
      await yieldToEventLoop();
      if (ctl.cancelled()) throw new RerankError('ABORTED', 'the call was aborted');
      const packed = packBatch(indices.map((i) => pairs[i]!), encoder.padId);
      const t1 = performance.now();
      const out = await this.session.run(packed);
      inferenceMs += performance.now() - t1;
      const batchScores = logitsToScores(out.data, packed.batch, numLabels);
      if (batchScores.some((s) => !Number.isFinite(s))) {
        throw new RerankError('INFERENCE_FAILED', `the model returned non-finite logits on ${this.info.device}`);
      }
      indices.forEach((i, k) => (scores[i] = batchScores[k]!));
      paddedTokens += packed.batch * packed.seqLen;
      realTokens += packed.realTokens;
      done += indices.length;
      ctl.onBatch?.({ indices, scores: batchScores, done, total: texts.length });
    }
    const truncated = pairs.flatMap((p, i) => (p.truncated ? [i] : []));
    return { scores, truncated, timings: { tokenizeMs, inferenceMs, runs: batches.length, paddedTokens, realTokens }, info: this.info };
  }

  dispose(): Promise<void> {
    return this.session.release();
  }
}

const channel = typeof MessageChannel === 'undefined' ? null : new MessageChannel();
/** A macrotask boundary (faster than setTimeout's clamp) so that messages queued during a run are handled. */
function yieldToEventLoop(): Promise<void> {
  if (!channel) return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}
