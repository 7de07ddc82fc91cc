// Is there a WebGPU adapter in this worker, and what is it? Reasons are written for people reading `info`.
import { autoDeviceReason, softwareAdapterReason, type RunDevice } from '../../src/core/model-policy.ts';
import { RerankError } from '../../src/errors.ts';
import type { Dtype, WorkerLoadOptions } from '../../src/options.ts';
import type { AdapterInfo } from '../../src/protocol.ts';
import { ASYNCIFY_BUILD, hasJspi } from './session.ts';

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

export interface DeviceChoice {
  device: RunDevice;
  adapter: AdapterInfo | null;
  fallbackReason: string | null;
}

/**
 * The device a load starts on. 'wasm' is WASM; 'webgpu' takes any adapter, a software one included, and is an error
 * without one; 'auto' takes WebGPU only where the dtype suits it and the adapter is real hardware, and otherwise
 * says why it chose WASM.
 */
export async function chooseDevice(requested: WorkerLoadOptions['device'], dtype: Dtype | 'auto'): Promise<DeviceChoice> {
  if (requested === 'wasm') return { device: 'wasm', adapter: null, fallbackReason: null };
  const avoid = requested === 'auto' ? autoDeviceReason(dtype) : null;
  if (avoid) return { device: 'wasm', adapter: null, fallbackReason: avoid };
  const probe = await probeWebGpu();
  if (!probe.ok) {
    if (requested === 'webgpu') throw new RerankError('BACKEND_UNAVAILABLE', `device 'webgpu' was requested but ${probe.reason}`);
    return { device: 'wasm', adapter: null, fallbackReason: probe.reason };
  }
  if (!ASYNCIFY_BUILD && !hasJspi()) {
    const why = "this site's build leaves out ONNX Runtime's asyncify WebGPU build (its .wasm is over static hosts' 25 MiB file limit), and this browser lacks the JS promise integration that the JSPI build needs";
    if (requested === 'webgpu') throw new RerankError('BACKEND_UNAVAILABLE', `device 'webgpu' was requested but ${why}`);
    return { device: 'wasm', adapter: null, fallbackReason: why };
  }
  const software = requested === 'auto' ? softwareAdapterReason(probe.adapter) : null;
  if (software) return { device: 'wasm', adapter: null, fallbackReason: software };
  return { device: 'webgpu', adapter: probe.adapter, fallbackReason: null };
}

/** WASM threads: all cores up to 8 when cross-origin isolated (SharedArrayBuffer exists), else 1. */
export function defaultThreads(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(8, navigator.hardwareConcurrency || 1));
}
