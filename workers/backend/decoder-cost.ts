// What a decoder costs on the device it landed on (info.msPer1kTokens), and the MODEL_TOO_SLOW refusal built on it.
import { slowDeviceMessage, type SlowDeviceInput } from '../../src/core/device-cost.ts';
import { RerankError } from '../../src/errors.ts';
import type { DecoderSession } from './decoder-session.ts';

/** Tokens of the warm-up run: long enough that a real-size model's per-token work dominates fixed per-run costs. */
const COST_TOKENS = 32;

/**
 * Runs the warm-up (one batch-1 run of COST_TOKENS tokens) and returns its milliseconds per 1,000 tokens. It includes
 * the first run's one-time costs (WebGPU pipelines, ORT's arena) and, on small models, fixed per-run costs: an upper
 * bound, which over-states small models and the GPU most; a second timed run would cost load time on every device.
 */
export async function measureCost(session: DecoderSession, tokenId: number, readId: number): Promise<number> {
  const row = new Array<number>(COST_TOKENS).fill(tokenId);
  const t0 = performance.now();
  await session.run([row], null, [COST_TOKENS - 1], [readId], false);
  return ((performance.now() - t0) / COST_TOKENS) * 1000;
}

/** Throws MODEL_TOO_SLOW (after `release`) when slowDeviceMessage says so. */
export async function refuseSlowDevice(x: SlowDeviceInput, release: () => Promise<void>): Promise<void> {
  const why = slowDeviceMessage(x);
  if (!why) return;
  await release();
  throw new RerankError('MODEL_TOO_SLOW', why);
}
