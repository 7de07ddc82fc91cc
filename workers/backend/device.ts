// Is there a WebGPU adapter in this worker, and what is it? Reasons are written for people reading `info`.
import type { AdapterInfo } from '../../src/protocol.ts';

export type GpuProbe = { ok: true; adapter: AdapterInfo } | { ok: false; reason: string };

export async function probeWebGpu(): Promise<GpuProbe> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { ok: false, reason: 'navigator.gpu is missing: this browser or context has no WebGPU' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { ok: false, reason: `navigator.gpu.requestAdapter() threw: ${(e as Error).message}` };
  }
  if (!adapter) return { ok: false, reason: 'navigator.gpu.requestAdapter() returned null: no usable GPU adapter (blocklisted GPU, or WebGPU disabled by flags)' };
  const info = adapter.info;
  return {
    ok: true,
    adapter: {
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      device: info?.device ?? '',
      description: info?.description ?? '',
      isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter),
      shaderF16: adapter.features.has('shader-f16'),
    },
  };
}

/** WASM threads: all cores up to 8 when cross-origin isolated (SharedArrayBuffer exists), else 1. */
export function defaultThreads(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(8, navigator.hardwareConcurrency || 1));
}
