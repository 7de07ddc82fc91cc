// The words every layer shares: devices, dtypes and the file suffix of each dtype. Pure data, imported by the options
// (src/options.ts), the wire types (src/protocol.ts) and the file rules (src/core/model-policy.ts), so none of them
// has to import another for its vocabulary.

/** What `createReranker({ device })` accepts: 'auto' tries WebGPU, then WASM. */
export const DEVICES = ['auto', 'webgpu', 'wasm'] as const;
export type Device = (typeof DEVICES)[number];
/** A device a session actually runs on. */
export type RunDevice = Exclude<Device, 'auto'>;

/** The hub's ONNX file suffixes (onnx/model{suffix}.onnx), as transformers.js names them. */
export const DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;
export type Dtype = keyof typeof DTYPE_SUFFIX;
/** What `createReranker({ dtype })` accepts. */
export const DTYPES = ['auto', ...(Object.keys(DTYPE_SUFFIX) as Dtype[])] as const;
