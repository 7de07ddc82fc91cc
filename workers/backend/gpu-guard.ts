// Not trusting WebGPU blindly: its known failures are silent (constant scores, garbage fp16, wrong low-bit kernels).
// Before a WebGPU session is used, it scores a few fixed pairs that a WASM session of the same file scores too; and
// a device that is lost later sends the engine back to WASM.
import type * as Ort from 'onnxruntime-web/webgpu';
import { packBatch } from '../../src/core/batching.ts';
import { logitsToScores } from '../../src/core/scoring.ts';
import type { ModelSession } from './session.ts';
import type { PairEncoder } from './tokenizer.ts';
import { ownWebGpuDevice } from './webgpu-device.ts';

/** Scores may differ this much (fp32/q4 agree to ~1e-6, fp16 to ~1e-3); the failures it guards against are gross. */
export const GPU_CHECK_TOLERANCE = 1e-2;

/** Fixed query/document pairs that both families score on both devices. */
export const CHECK_PAIRS: readonly (readonly [string, string])[] = [
  ['how do cats and dogs get along', 'Cats and dogs can share a home when introduced slowly.'],
  ['how do cats and dogs get along', 'A recipe for tomato soup with fresh basil.'],
  ['what is the boiling point of water', 'Water boils at 100 degrees Celsius at sea level.'],
  ['what is the boiling point of water', 'The stock market closed higher on Friday.'],
  ['who wrote the novel', 'The novel was written in 1851 by an American author.'],
  ['gpu', ''],
];

/** A cross-encoder's scores of CHECK_PAIRS. */
export async function pairCheckScores(session: ModelSession, encoder: PairEncoder, maxLength: number, numLabels: number): Promise<number[]> {
  const pairs = CHECK_PAIRS.map(([q, d]) => encoder.encodeDocument(encoder.encodeQuery(q, maxLength), d, maxLength));
  // One padded run: a single shape to compile on the GPU. Both devices get the same batch, so even dynamic int8,
  // whose scores depend on batch-mates, compares like with like.
  return logitsToScores((await session.run(packBatch(pairs, encoder.padId))).data, pairs.length, numLabels);
}

export interface GpuCheck {
  maxDiff: number;
  ms: number;
  passed: boolean;
}

/**
 * Compares the numbers a GPU session and a WASM session give for the same check inputs. Differences count relative to
 * the value where it exceeds 1 (a decoder's yes-no logit margins; a cross-encoder's scores lie in [0, 1], so absolute).
 */
export async function crossCheck(gpu: () => Promise<number[]>, cpu: () => Promise<number[]>): Promise<GpuCheck> {
  const t0 = performance.now();
  const [a, b] = [await gpu(), await cpu()];
  // NaN or Infinity on either side is a failure, not a difference that compares false.
  const maxDiff = Math.max(...a.map((x, i) => (Number.isFinite(x) && Number.isFinite(b[i]!) ? Math.abs(x - b[i]!) / Math.max(1, Math.abs(b[i]!)) : Infinity)));
  return { maxDiff, ms: performance.now() - t0, passed: a.length === b.length && maxDiff <= GPU_CHECK_TOLERANCE };
}

/** Calls onLost when ORT's GPU device is lost (driver reset, device.destroy(), the tab in the background too long). */
export async function watchDeviceLoss(ort: typeof Ort, onLost: (reason: string) => void): Promise<void> {
  try {
    // Our device when the sessions run on it (webgpu-device.ts), else ORT's.
    const device = (await ownWebGpuDevice()) ?? ((await ort.env.webgpu.device) as GPUDevice | undefined);
    void device?.lost.then((info) => onLost(`the WebGPU device was lost (${info.reason || 'unknown'}${info.message ? `: ${info.message}` : ''})`));
  } catch {
    // No device to watch: a failing run still sends the engine to WASM.
  }
}
