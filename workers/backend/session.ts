// ONNX Runtime Web (its CPU-only build, or the native WebGPU one, which carries WASM too): the only module that
// imports onnxruntime.
// Imported dynamically so that ORT lands in its own chunk: its pthread workers load that chunk, not our worker.
import type * as Ort from 'onnxruntime-web/webgpu';
import type { PackedBatch } from '../../src/core/batching.ts';
import type { RunDevice } from '../../src/core/model-policy.ts';
import { inlineAsExternal } from '../../src/core/onnx-inline-external.ts';
import { RerankError } from '../../src/errors.ts';
import { webgpuProvider } from './webgpu-device.ts';

const ortPromises: Partial<Record<OrtBuild, Promise<typeof Ort>>> = {};

/**
 * Which ONNX Runtime build to load. 'webgpu': the native WebGPU build (it carries the WASM provider too), in its JSPI
 * flavour where the browser has JS promise integration (.wasm 16.8 MB, 4.1 MB gzipped), else asyncify (26.8 MB,
 * 6.7 MB). 'cpu': the WASM-only build (14.2 MB, 3.7 MB), for a load that will not use WebGPU: a CPU-only visitor never
 * downloads the WebGPU code.
 */
export type OrtBuild = 'webgpu' | 'cpu';

/** JS promise integration (WebAssembly.Suspending / promising): what ORT's JSPI build needs. */
export function hasJspi(): boolean {
  const wa = WebAssembly as unknown as { Suspending?: unknown; promising?: unknown };
  return typeof wa.Suspending === 'function' && typeof wa.promising === 'function';
}

declare const __RERANK_ASYNCIFY__: boolean | undefined;
/**
 * Whether this build carries ORT's asyncify WebGPU build. The demo site leaves it out (vite.config.ts defines the
 * constant false): its .wasm is 26.8 MB, over the 25 MiB per file that some static hosts accept. There, a browser
 * with WebGPU but without JS promise integration runs on WASM (device.ts says why). The library keeps it.
 */
export const ASYNCIFY_BUILD: boolean = typeof __RERANK_ASYNCIFY__ === 'undefined' ? true : __RERANK_ASYNCIFY__;

export async function loadOrt(build: OrtBuild = 'webgpu'): Promise<typeof Ort> {
  // All entries export the same API (onnxruntime-common's); the cpu one lacks the WebGPU provider.
  ortPromises[build] ??=
    build === 'cpu' ? (import('onnxruntime-web/wasm') as Promise<typeof Ort>)
    : !ASYNCIFY_BUILD || hasJspi() ? (import('onnxruntime-web/jspi') as Promise<typeof Ort>)
    : import('onnxruntime-web/webgpu');
  return ortPromises[build]!;
}

export interface OrtSetup {
  numThreads: number;
  wasmPaths: string | null;
}

/** Applies our settings (threads, where ORT's .wasm files are served from) to ORT's global env before a session. */
export function configureOrt(ort: typeof Ort, setup: OrtSetup): void {
  ort.env.wasm.numThreads = setup.numThreads;
  ort.env.wasm.wasmPaths = setup.wasmPaths ? setup.wasmPaths.replace(/\/?$/, '/') : undefined;
  ort.env.wasm.proxy = false;
  // Warnings go through console.error with colour codes; keep the console for errors only.
  ort.env.logLevel = 'error';
}

export interface ModelSession {
  device: RunDevice;
  /** Runs it can take at once (a pool of WASM sessions in lane workers takes one per lane). */
  parallelism: number;
  /** ORT sessions behind it (several for a pool of lanes). */
  sessions: number;
  /** False once it can run no more (a lane worker died): the engine opens a new one. */
  usable(): boolean;
  inputNames: readonly string[];
  outputName: string;
  hasTokenTypes: boolean;
  run(b: PackedBatch): Promise<{ data: Float32Array; dims: readonly number[] }>;
  release(): Promise<void>;
}

/** A model as ORT receives it: the graph, and the external-data files its initializers name (path = location). */
export interface ModelBytes {
  /** Model-folder path of the graph, named in errors. */
  file: string;
  graph: Uint8Array;
  externalData: { path: string; data: Uint8Array }[];
}

/** Where the graph's own bytes are mounted for ORT when its weights are read as external data. */
const INLINE_LOCATION = 'rerank-web-inline-weights.bin';

/**
 * A single-file model as a small graph whose large initializers ORT reads from the model's own bytes (external data):
 * ORT-web then copies each weight once, straight into its tensor or GPU buffer, instead of copying the whole file into
 * its heap and parsing it there (src/core/onnx-inline-external.ts says what that saves). Models that name external
 * data files already, and bytes the scan cannot read (ORT will say why), go as they are.
 */
function asExternalData(model: ModelBytes): { graph: Uint8Array; externalData: ModelBytes['externalData'] } {
  if (model.externalData.length > 0) return model;
  let split: ReturnType<typeof inlineAsExternal> = null;
  try {
    split = inlineAsExternal(model.graph, INLINE_LOCATION);
  } catch {
    split = null;
  }
  return split ? { graph: split.graph, externalData: [{ path: INLINE_LOCATION, data: model.graph }] } : model;
}

/** An ORT session of `model` on `device`, its failures coded: the device cannot start, or the model is invalid. */
/** `extra`: a family's own session options (a decoder's output locations on WebGPU). */
export async function createOrtSession(ort: typeof Ort, model: ModelBytes, device: RunDevice, extra: Ort.InferenceSession.SessionOptions = {}): Promise<Ort.InferenceSession> {
  const { file } = model;
  const { graph, externalData } = asExternalData(model);
  try {
    return await ort.InferenceSession.create(graph, {
      // On WebGPU, the device may be ours rather than ORT's (webgpu-device.ts: attention on narrow subgroups).
      executionProviders: [device === 'webgpu' ? await webgpuProvider() : device],
      graphOptimizationLevel: 'all',
      // ORT plans a memory pattern per input shape; length-sorted runs rarely repeat a shape, so on WASM the plan is
      // pure cost (MiniLM-L6 fp32, runs of 4, raw ORT: median 4.55 against 4.25 docs/s over 8 interleaved rounds).
      enableMemPattern: device !== 'wasm',
      logSeverityLevel: 3,
      ...(externalData.length > 0 ? { externalData } : {}),
      ...extra,
    });
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (/backend|webgpu|adapter|device/i.test(msg) && !/protobuf|parse|load model|external|MountedFiles/i.test(msg)) {
      throw new RerankError('BACKEND_UNAVAILABLE', `ONNX Runtime could not start '${device}': ${msg}`, { file });
    }
    throw new RerankError('MODEL_INVALID', `${file}: ONNX Runtime could not load it (truncated, missing external data, or not an ONNX model?): ${msg}`, { file });
  }
}

/** A cross-encoder session: input_ids and attention_mask in (token_type_ids where the graph takes them), logits out. */
export async function createSession(ort: typeof Ort, model: ModelBytes, device: RunDevice): Promise<ModelSession> {
  const { file } = model;
  const session = await createOrtSession(ort, model, device);
  const inputs = session.inputNames;
  for (const need of ['input_ids', 'attention_mask']) {
    if (!inputs.includes(need)) {
      await session.release();
      throw new RerankError('MODEL_UNSUPPORTED', `${file}: no '${need}' input; inputs are [${inputs.join(', ')}]`, { file });
    }
  }
  // The hub ports call it 'logits'; some exports name it otherwise: then the single output is the one.
  const outputName = session.outputNames.includes('logits') ? 'logits' : session.outputNames.length === 1 ? session.outputNames[0]! : null;
  if (!outputName) {
    await session.release();
    throw new RerankError('MODEL_UNSUPPORTED', `${file}: no 'logits' output among [${session.outputNames.join(', ')}]`, { file });
  }
  const hasTokenTypes = inputs.includes('token_type_ids');
  return {
    device,
    parallelism: 1,
    sessions: 1,
    usable: () => true,
    inputNames: inputs,
    outputName,
    hasTokenTypes,
    async run(b) {
      const dims = [b.batch, b.seqLen];
      const feeds: Record<string, Ort.Tensor> = {
        input_ids: new ort.Tensor('int64', b.inputIds, dims),
        attention_mask: new ort.Tensor('int64', b.attentionMask, dims),
      };
      if (hasTokenTypes) feeds.token_type_ids = new ort.Tensor('int64', b.tokenTypeIds, dims);
      let out: Ort.InferenceSession.ReturnType;
      try {
        out = await session.run(feeds, [outputName]);
      } catch (e) {
        throw new RerankError('INFERENCE_FAILED', `ONNX Runtime failed on a batch of ${b.batch}x${b.seqLen} on ${device}: ${(e as Error).message}`);
      } finally {
        for (const t of Object.values(feeds)) t.dispose();
      }
      const t = out[outputName]!;
      const data = (await t.getData()) as Float32Array;
      t.dispose();
      if (!(data instanceof Float32Array)) {
        throw new RerankError('MODEL_UNSUPPORTED', `${file}: output '${outputName}' is ${t.type}, expected float32`, { file });
      }
      return { data, dims: t.dims };
    },
    release: () => session.release(),
  };
}
