// Whether a device is fast enough for a model: the rule behind MODEL_TOO_SLOW (issue 25, point 6). Pure.
import { RerankError } from '../errors.ts';
//
// A decoder reranker of real size (Qwen3-Reranker-0.6B: a 300-token document through 28 layers costs about 2.4 s in
// onnxruntime-node with 2 threads, so about 10 s on WASM) turns a top-20 into minutes on a CPU. device 'auto' only
// lands on WASM when there is no usable GPU, and a caller who asked for 'auto' asked for something that works well:
// such a load fails with a message that says what to use instead, unless the caller opts in (allowSlowDevice).

/** A top-20 of 300-token documents: the call whose time the message estimates. */
export const TYPICAL_CALL_TOKENS = 20 * 300;

export interface SlowDeviceLimits {
  /** Files from this many MB up are "of real size" (the generated test decoders are far below; the 0.6B q4/q8 far above). */
  modelMB: number;
  /** Above this cost per 1,000 tokens, a typical call (TYPICAL_CALL_TOKENS) takes more than 12 s. */
  msPer1kTokens: number;
}

export const DEFAULT_SLOW_DEVICE_LIMITS: SlowDeviceLimits = { modelMB: 100, msPer1kTokens: 2000 };

export interface SlowDeviceInput {
  /** The device option. */
  requested: 'auto' | 'webgpu' | 'wasm';
  /** Where the model runs. */
  device: 'webgpu' | 'wasm';
  modelBytes: number;
  msPer1kTokens: number;
  limits: SlowDeviceLimits;
  allow: boolean;
  /** Why 'auto' did not use WebGPU, when it did not. */
  fallbackReason: string | null;
}

/** The MODEL_TOO_SLOW message, or null when the load may go on. Only 'auto' that landed on WASM is refused. */
export function slowDeviceMessage(x: SlowDeviceInput): string | null {
  if (x.allow || x.requested !== 'auto' || x.device !== 'wasm') return null;
  const mb = x.modelBytes / 1e6;
  if (mb < x.limits.modelMB || x.msPer1kTokens <= x.limits.msPer1kTokens) return null;
  const callS = (x.msPer1kTokens * TYPICAL_CALL_TOKENS) / 1000 / 1000;
  return (
    `this decoder reranker (${mb.toFixed(0)} MB) runs on WASM here at ${Math.round(x.msPer1kTokens)} ms per 1,000 tokens ` +
    `(measured at load; the limit is ${x.limits.msPer1kTokens}), so a top-20 of 300-token documents would take about ` +
    `${callS.toFixed(0)} s. ${x.fallbackReason ? `WebGPU was not used: ${x.fallbackReason}. ` : ''}` +
    `Use a cross-encoder preset (e.g. Xenova/ms-marco-MiniLM-L-6-v2) or a device with WebGPU, or pass allowSlowDevice: true to load it anyway.`
  );
}

/** The slowDeviceLimits option, resolved over the defaults (INVALID_OPTION for a limit that is not a positive number). */
export function resolveSlowLimits(v: { modelMB?: unknown; msPer1kTokens?: unknown } | undefined): SlowDeviceLimits {
  const positive = (name: string, x: unknown, d: number) => {
    if (x === undefined) return d;
    if (typeof x !== 'number' || !(x > 0)) throw new RerankError('INVALID_OPTION', `slowDeviceLimits.${name} must be a positive number, got ${String(x)}`);
    return x;
  };
  const d = DEFAULT_SLOW_DEVICE_LIMITS;
  return { modelMB: positive('modelMB', v?.modelMB, d.modelMB), msPer1kTokens: positive('msPer1kTokens', v?.msPer1kTokens, d.msPer1kTokens) };
}
