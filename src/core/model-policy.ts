// Which ONNX file to load where, and where files live. Pure rules, unit-tested; the worker does the I/O.
import { DTYPE_SUFFIX, type Dtype } from '../options.ts';

export type RunDevice = 'webgpu' | 'wasm';

/** The Cache API cache that holds model files; the page lists and clears it, the worker fills it. */
export const MODEL_CACHE_NAME = 'rerank-web-models-v1';
/** Headers stored with each cached file, so that the cache can be listed by model without parsing URLs. */
export const CACHE_HEADERS = { model: 'x-rerank-web-model', file: 'x-rerank-web-file', size: 'content-length' } as const;

/** Dynamic int8 quantises activations per tensor at run time, so padding in a batch changes every member's scale. */
export function isDynamicInt8(dtype: Dtype): boolean {
  return dtype === 'q8' || dtype === 'int8' || dtype === 'uint8';
}

export function needsShaderF16(dtype: Dtype): boolean {
  return dtype === 'fp16' || dtype === 'q4f16';
}

export interface DtypeChoice {
  /** Files to try in order: the first that exists is loaded (only 'auto' lists more than one). */
  candidates: Dtype[];
  /** Set when the request cannot run on this device as asked. */
  error?: string;
}

/**
 * 'auto' never picks dynamic int8 on WebGPU (it has no WebGPU kernels: those nodes would run on the CPU with copies
 * each way) and never fp16 without shader-f16 (the native build refuses it; the older JS one returned garbage).
 */
export function chooseDtype(device: RunDevice, requested: Dtype | 'auto', shaderF16: boolean): DtypeChoice {
  if (requested === 'auto') {
    if (device === 'wasm') return { candidates: ['q8', 'fp32'] };
    return { candidates: shaderF16 ? ['fp16', 'fp32'] : ['fp32'] };
  }
  if (device === 'webgpu' && needsShaderF16(requested) && !shaderF16) {
    return { candidates: [], error: `dtype '${requested}' needs the WebGPU adapter's shader-f16 feature, which this adapter lacks` };
  }
  return { candidates: [requested] };
}

/** With device 'auto', a dtype that WebGPU cannot run well sends the model to WASM, and says why. */
export function autoDeviceReason(requested: Dtype | 'auto'): string | null {
  if (requested !== 'auto' && isDynamicInt8(requested)) {
    return `dtype '${requested}' is dynamic int8, which has no WebGPU kernels in ONNX Runtime`;
  }
  return null;
}

export function onnxFileFor(dtype: Dtype): string {
  return `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
}

export interface ModelSource {
  model: string;
  hubUrl: string;
  revision: string;
}

/** True for a folder URL (http:, https:, blob:, or an absolute URL the page already resolved). */
export function isFolderUrl(model: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(model);
}

/** `<hub>/<id>/resolve/<revision>/<file>` for hub ids; `<folder>/<file>` for a folder URL. */
export function modelFileUrl(src: ModelSource, file: string): string {
  if (isFolderUrl(src.model)) return src.model.replace(/\/+$/, '') + '/' + file;
  return `${src.hubUrl}/${src.model}/resolve/${encodeURIComponent(src.revision)}/${file}`;
}
