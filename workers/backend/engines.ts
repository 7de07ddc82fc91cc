// The seam between the worker and the model families: what an engine offers the worker (RerankEngine), loadEngine,
// which picks the family from config.json, and the device guard both families score through: it leaves a GPU that
// is lost or starts failing for WASM, and reopens WASM sessions whose lane worker died.
import { isRerankError } from '../../src/errors.ts';
import type { WorkerLoadOptions } from '../../src/options.ts';
import type { BatchEvent, PassageOptions, ProgressEvent, RerankerInfo, ScoreReply } from '../../src/protocol.ts';
import { watchDeviceLoss } from './gpu-guard.ts';
import { beginLoad, isCausalLm, type EngineSession, type OpenedModel, type Ort } from './loader.ts';

export interface ScoreControl {
  cancelled(): boolean;
  onBatch?: (e: BatchEvent) => void;
}

/** What the worker holds: a cross-encoder or a decoder engine. */
export interface RerankEngine {
  readonly info: RerankerInfo;
  score(query: string, texts: string[], passages: PassageOptions, ctl: ScoreControl): Promise<ScoreReply>;
  dispose(): Promise<void>;
}

/** Loads the model the options name, as the family its config.json says (a causal LM is a decoder reranker). */
export async function loadEngine(o: WorkerLoadOptions, emit: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<RerankEngine> {
  const ctx = await beginLoad(o, emit, signal);
  if (!isCausalLm(ctx.config)) {
    const { CrossEncoderEngine } = await import('./cross-encoder-engine.ts');
    return CrossEncoderEngine.load(ctx);
  }
  const { DecoderEngine } = await import('./decoder-engine.ts');
  return DecoderEngine.load(ctx);
}

/**
 * Holds an engine's session and info. `call` runs a scoring call on the session: after a lost GPU device it moves to
 * WASM first; a call that fails on WebGPU (lost device, driver error) moves to WASM and runs again there, and the
 * engine stays there. `onWasm` gives the family's info fields for its WASM session.
 */
export class DeviceGuard<S extends EngineSession> {
  session: S;
  /** Set when the GPU device was lost: the next call moves to WASM first. */
  private gpuLost: string | null = null;

  constructor(
    private opened: OpenedModel<S>,
    public info: RerankerInfo,
    ort: Ort,
    private onWasm: (session: S) => Partial<RerankerInfo>,
  ) {
    this.session = opened.session;
    if (info.device === 'webgpu') void watchDeviceLoss(ort, (reason) => (this.gpuLost = reason));
  }

  async call<T>(run: () => Promise<T>): Promise<T> {
    if (this.gpuLost) await this.moveToWasm(this.gpuLost);
    // A lane worker died during an earlier call (which failed with INFERENCE_FAILED): open the sessions again.
    if (this.session.usable && !this.session.usable()) await this.reopenWasm();
    try {
      return await run();
    } catch (e) {
      if (this.info.device !== 'webgpu' || !isRerankError(e, 'INFERENCE_FAILED')) throw e;
      await this.moveToWasm(this.gpuLost ?? `WebGPU failed during a call: ${e.message}`);
      return run();
    }
  }

  private async moveToWasm(reason: string): Promise<void> {
    const wasm = await this.opened.openOnWasm();
    const old = this.session;
    this.session = wasm;
    this.gpuLost = null;
    this.info = { ...this.info, device: 'wasm', adapter: null, fallbackReason: reason, ...this.onWasm(wasm) };
    await old.release().catch(() => {}); // a lost device may refuse even this
  }

  private async reopenWasm(): Promise<void> {
    const old = this.session;
    this.session = await this.opened.openOnWasm();
    this.info = { ...this.info, ...this.onWasm(this.session) };
    await old.release().catch(() => {});
  }

  dispose(): Promise<void> {
    return this.session.release();
  }
}
