// Which documents share an ONNX Runtime run, and the padded tensors for a run. Pure: no ORT here.

export interface BatchPlan {
  /** Input indices per run, in run order. */
  batches: number[][];
}

/**
 * Groups documents of similar length (sorted by token count, ties by index) so that padding stays small, with at
 * most maxBatch documents and maxTokens padded tokens per run. maxBatch 1 gives one document per run.
 */
export function planBatches(lengths: readonly number[], maxBatch: number, maxTokens: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    // Sorted ascending, so the newcomer is the longest: it sets the padded width.
    const width = lengths[i]!;
    if (current.length > 0 && (current.length >= maxBatch || (current.length + 1) * width > maxTokens)) {
      batches.push(current);
      current = [];
    }
    current.push(i);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface PackedBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  batch: number;
  seqLen: number;
  realTokens: number;
}

/** Right-pads a run's pairs to its longest one. */
export function packBatch(pairs: readonly { ids: readonly number[]; typeIds: readonly number[] }[], padId: number): PackedBatch {
  const batch = pairs.length;
  const seqLen = pairs.reduce((m, p) => Math.max(m, p.ids.length), 0);
  const inputIds = new BigInt64Array(batch * seqLen).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(batch * seqLen);
  const tokenTypeIds = new BigInt64Array(batch * seqLen);
  let realTokens = 0;
  pairs.forEach((p, b) => {
    const row = b * seqLen;
    for (let j = 0; j < p.ids.length; j++) {
      inputIds[row + j] = BigInt(p.ids[j]!);
      attentionMask[row + j] = 1n;
      tokenTypeIds[row + j] = BigInt(p.typeIds[j]!);
    }
    realTokens += p.ids.length;
  });
  return { inputIds, attentionMask, tokenTypeIds, batch, seqLen, realTokens };
}
