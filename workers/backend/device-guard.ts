// The device guard both model families score through: it leaves a GPU that is lost or starts failing for WASM, and
// reopens WASM sessions whose lane worker died.
import { isRerankError } from '../../src/errors.ts';
import type { BatchEvent, RerankerInfo } from '../../src/protocol.ts';
import { watchDeviceLoss } from './gpu-guard.ts';
import type { EngineSession, OpenedModel, Ort } from './loader.ts';

export interface ScoreControl {
  cancelled(): boolean;
  onBatch?: (e: BatchEvent) => void;
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
