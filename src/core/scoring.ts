// Logits to calibrated 0..1 scores, and scores to a ranking.

/** sigmoid(x) without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * One score per row of a [batch, numLabels] logits tensor: sigmoid of a single-logit head, softmax of the positive
 * (last) class of a two-label head, which is sigmoid(positive - negative).
 */
export function logitsToScores(logits: ArrayLike<number>, batch: number, numLabels: number): number[] {
  if (numLabels !== 1 && numLabels !== 2) throw new RangeError(`a reranker head has 1 or 2 labels, not ${numLabels}`);
  if (logits.length !== batch * numLabels) throw new RangeError(`expected ${batch * numLabels} logits, got ${logits.length}`);
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    out.push(numLabels === 1 ? sigmoid(logits[b]!) : sigmoid(logits[b * 2 + 1]! - logits[b * 2]!));
  }
  return out;
}

/** Input indices, best score first; equal scores keep input order, so the ranking is deterministic. */
export function rankIndices(scores: ArrayLike<number>, topK = scores.length): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return idx.slice(0, Math.max(0, topK));
}

/** Input indices in rank order, from each input's rank (0 = best); equal ranks keep input order. */
export function orderByRank(ranks: ArrayLike<number>): number[] {
  const idx = Array.from({ length: ranks.length }, (_, i) => i);
  return idx.sort((a, b) => ranks[a]! - ranks[b]! || a - b);
}
