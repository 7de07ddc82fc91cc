// Which documents share an ONNX Runtime run, and the padded tensors for a run. Pure: no ORT here.

export interface BatchPlan {
  /** Input indices per run, in run order. */
  batches: number[][];
}

/**
 * Groups documents of similar length (sorted by token count, ties by index) so that padding stays small, with at
 * most maxBatch documents and maxTokens padded tokens per run. maxBatch 1 gives one document per run. padWidth maps a
 * run's longest length to its padded width (a bucket on WebGPU; the length itself by default).
 */
export function planBatches(lengths: readonly number[], maxBatch: number, maxTokens: number, padWidth: (len: number) => number = (n) => n): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    // Sorted ascending, so the newcomer is the longest: it sets the padded width.
    const width = padWidth(lengths[i]!);
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

/**
 * Right-pads a run's pairs to its longest one, or to padWidth(longest) (a bucket) when given: pad id, attention mask
 * 0 and token type 0 past each pair's end.
 */
export function packBatch(
  pairs: readonly { ids: readonly number[]; typeIds: readonly number[] }[],
  padId: number,
  padWidth: (len: number) => number = (n) => n,
): PackedBatch {
  const batch = pairs.length;
  const longest = pairs.reduce((m, p) => Math.max(m, p.ids.length), 0);
  const seqLen = Math.max(longest, padWidth(longest));
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
