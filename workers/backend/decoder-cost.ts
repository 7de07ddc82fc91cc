// What a decoder costs on the device it landed on (info.msPer1kTokens), and the MODEL_TOO_SLOW refusal built on it.
import { slowDeviceMessage, type SlowDeviceInput } from '../../src/core/device-cost.ts';
import { RerankError } from '../../src/errors.ts';
import type { DecoderSession } from './decoder-session.ts';

/** Tokens of the timed run: long enough that a real-size model's per-token work dominates fixed per-run costs. */
const COST_TOKENS = 64;

/**
 * Milliseconds per 1,000 tokens from one timed batch-1 run of COST_TOKENS tokens, after the warm-up (which pays the
 * first run's one-time costs). On small models fixed per-run costs dominate, so this over-states what batched runs cost.
 */
export async function measureCost(session: DecoderSession, tokenId: number): Promise<number> {
  const row = new Array<number>(COST_TOKENS).fill(tokenId);
  const t0 = performance.now();
  await session.run([row], null, [COST_TOKENS - 1], [tokenId], false);
  return ((performance.now() - t0) / COST_TOKENS) * 1000;
}

/** Throws MODEL_TOO_SLOW (after `release`) when slowDeviceMessage says so. */
export async function refuseSlowDevice(x: SlowDeviceInput, release: () => Promise<void>): Promise<void> {
  const why = slowDeviceMessage(x);
  if (!why) return;
  await release();
  throw new RerankError('MODEL_TOO_SLOW', why);
}
