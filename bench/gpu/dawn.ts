// WebGPU in Node through Dawn's binding (the npm package `webgpu`): installs navigator.gpu where the worker code
// looks for it, with the workarounds ORT-web's WebGPU build needs outside a browser, and describes the adapter.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  shaderF16: boolean;
  /** A CPU implementation (SwiftShader, lavapipe/llvmpipe, WARP): its timings say nothing of a GPU. */
  software: boolean;
}

/**
 * Chromium's Debian package ships SwiftShader as a Vulkan driver with its own loader. Dawn finds no adapter on a
 * machine without a GPU (no libvulkan.so.1; Debian 12's lavapipe lacks shaderUniform*ArrayDynamicIndexing, which
 * Dawn requires), but it drives this SwiftShader, the very adapter Chromium's WebGPU uses on such machines.
 */
const CHROMIUM_SWIFTSHADER = { lib: '/usr/lib/chromium', icd: '/usr/lib/chromium/vk_swiftshader_icd.json' };

/** The loader reads these at process start: a child with them set is the only way to switch drivers. */
export function rerunOnSwiftShader(): number | null {
  if (process.env.RERANK_GPU_SWIFTSHADER || !fs.existsSync(CHROMIUM_SWIFTSHADER.icd)) return null;
  const env = {
    ...process.env,
    RERANK_GPU_SWIFTSHADER: '1',
    VK_ICD_FILENAMES: CHROMIUM_SWIFTSHADER.icd,
    LD_LIBRARY_PATH: [CHROMIUM_SWIFTSHADER.lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
  };
  console.log(`No adapter; running again on Chromium's SwiftShader (VK_ICD_FILENAMES=${CHROMIUM_SWIFTSHADER.icd})\n`);
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env, stdio: 'inherit' });
  return r.status ?? 1;
}

type Globals = Record<string, unknown> & { GPUQueue: { prototype: GPUQueue } };

/**
 * ORT's WebGPU build hands queue.writeBuffer views of its WebAssembly memory, which is a SharedArrayBuffer (the
 * threaded build); browsers accept those, dawn.node 0.6 throws "Invalid argument". A copy into a plain buffer is
 * what a browser's IPC does anyway.
 */
function acceptSharedViews(globals: Globals): void {
  const proto = globals.GPUQueue.prototype;
  const writeBuffer = proto.writeBuffer;
  proto.writeBuffer = function (this: GPUQueue, buffer: GPUBuffer, offset: number, data: GPUAllowSharedBufferSource, dataOffset?: number, size?: number) {
    if (ArrayBuffer.isView(data) && (data.buffer as ArrayBufferLike) instanceof SharedArrayBuffer) {
      const View = data.constructor as new (v: ArrayBufferView) => GPUAllowSharedBufferSource;
      data = new View(data);
    }
    return writeBuffer.call(this, buffer, offset, data, dataOffset, size);
  };
}

export interface Dawn {
  gpu: GPU;
  adapter: AdapterReport | null;
  /** Why there is no adapter. */
  reason: string;
}

/** Installs globalThis.navigator.gpu (Dawn), and asks it for the adapter ORT will get (default power preference). */
export async function installDawn(): Promise<Dawn> {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  acceptSharedViews(globals as Globals);
  const gpu = create([]);
  // Node 21+ defines navigator (without gpu) as a getter: replace it; the worker code reads navigator.gpu and
  // navigator.hardwareConcurrency.
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu, hardwareConcurrency: os.availableParallelism(), userAgent: `Node.js ${process.version}` },
    configurable: true, writable: true,
  });
  const a = await gpu.requestAdapter().catch(() => null);
  if (!a) return { gpu, adapter: null, reason: 'Dawn found no adapter (no Vulkan driver for this machine?)' };
  const info = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const isFallbackAdapter = Boolean(info.isFallbackAdapter ?? (a as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter);
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return {
    gpu,
    reason: '',
    adapter: {
      vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
      isFallbackAdapter, shaderF16: a.features.has('shader-f16'),
      software: isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|software|warp|null-backend/i.test(text),
    },
  };
}

/** Dawn keeps Node alive while navigator.gpu is referenced (crbug 387965810). */
export function releaseDawn(): void {
  Reflect.deleteProperty(globalThis, 'navigator');
}
