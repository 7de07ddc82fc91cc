// One error class with a stable code. Codes are part of the public API: never rename one, only add.

export const ERROR_CODES = {
  INVALID_ARGUMENT: 'A call argument is invalid (documents, query, topK, text getter).',
  INVALID_OPTION: 'An option of createReranker is invalid (unknown device or dtype, bad number).',
  BACKEND_UNAVAILABLE: 'The requested device cannot run here (no WebGPU adapter, ORT failed to initialise).',
  MODEL_NOT_FOUND: 'A model file answered 404.',
  MODEL_FETCH_FAILED: 'A model file could not be fetched (network error, non-404 HTTP error).',
  MODEL_INVALID: 'A model file is not what it should be (HTML instead of ONNX, truncated, unparsable).',
  MODEL_UNSUPPORTED: 'The model loads but its inputs, outputs or architecture are not a cross-encoder this library runs.',
  MODEL_TOO_LARGE: 'A model file is larger than this device can hold (refused before its body is downloaded).',
  INTEGRITY_MISMATCH: 'A model file does not match the sha256 pinned in the options.',
  INFERENCE_FAILED: 'ONNX Runtime failed while scoring.',
  WORKER_CRASHED: 'The worker died or failed to start; pending calls are rejected and the next call starts a new one.',
  ABORTED: 'The call was cancelled through its AbortSignal.',
  DISPOSED: 'The reranker was disposed.',
  MODEL_TOO_SLOW: "device 'auto' left a decoder of real size on WASM, where its measured cost is too high; use a cross-encoder, a GPU, or allowSlowDevice.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface RerankErrorDetails {
  /** The model file the error is about, relative to the model folder (e.g. 'onnx/model_quantized.onnx'). */
  file?: string;
  /** The URL that was requested, where there was one. */
  url?: string;
  /** HTTP status, where there was one. */
  status?: number;
}

export class RerankError extends Error {
  override readonly name = 'RerankError';
  readonly code: ErrorCode;
  readonly details: RerankErrorDetails;

  constructor(code: ErrorCode, message: string, details: RerankErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isRerankError(e: unknown, code?: ErrorCode): e is RerankError {
  return e instanceof RerankError && (code === undefined || e.code === code);
}

/** The plain shape an error takes across postMessage (structured clone keeps no class). */
export interface SerializedRerankError {
  code: ErrorCode;
  message: string;
  details: RerankErrorDetails;
  stack?: string;
}

export function serializeError(e: unknown): SerializedRerankError {
  if (e instanceof RerankError) return { code: e.code, message: e.message, details: e.details, stack: e.stack };
  const err = e instanceof Error ? e : new Error(String(e));
  // An uncoded error inside the worker is a bug or an ORT failure: report it as INFERENCE_FAILED with its text.
  return { code: 'INFERENCE_FAILED', message: err.message, details: {}, stack: err.stack };
}

export function deserializeError(s: SerializedRerankError): RerankError {
  const code = s.code in ERROR_CODES ? s.code : 'INFERENCE_FAILED';
  const e = new RerankError(code, s.message, s.details ?? {});
  if (s.stack) e.stack = s.stack;
  return e;
}
