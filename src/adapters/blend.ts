// The adapters' pure part: normalisation, score blending, threshold and the final order of a first-stage list.
// No I/O and no reranker here, so every rule is unit-tested in Node with properties.

/** One result of the first stage, in the first stage's order. */
export interface FirstStageItem<R> {
  /** The library's own result object; handed back as is (same identity). */
  result: R;
  /** The library's score as it reports it (Fuse: lower is better), or null when it has none. */
  score: number | null;
  /** The same score turned so that higher is better, or null; blending then uses the first stage's rank. */
  relevance: number | null;
}

export interface Reranked<R> {
  /** The library's own result object (the same object, not a copy). */
  result: R;
  /** The reranker's calibrated relevance in 0..1; null for a result past `topK`, which was not reranked. */
  score: number | null;
  /** The first stage's score as the library reports it (Fuse: lower is better); null when it gives none. */
  firstStageScore: number | null;
  /** Position in the first stage's list, from 0. */
  firstStageRank: number;
  /** With `blend`: the blended score in 0..1 that set this result's place. Absent without `blend` or past `topK`. */
  blendedScore?: number;
}

export const NORMALIZATIONS = ['minmax', 'rank'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];

export interface ResolvedBlend {
  /** Weight of the reranker: 0 keeps the first stage's order, 1 is the reranker's order. */
  weight: number;
  normalize: Normalization;
}

export interface ArrangeOptions {
  /** How many results, from the top of the first stage's list, were reranked. */
  topK: number;
  /** What becomes of the results past topK: kept after the reranked ones in their first-stage order, or dropped. */
  rest: 'keep' | 'drop';
  blend: ResolvedBlend | null;
  /** Reranked results whose reranker score is below it are dropped. */
  threshold: number | null;
}

/**
 * (v - min) / (max - min) into [0, 1]. When every value is equal they carry no order, and all map to 1 (a lone
 * result is as good as the best of its list).
 */
export function minMax(values: readonly number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo;
  // A range that overflows (values near ±MAX_VALUE) is halved first, so the quotient stays finite.
  if (!Number.isFinite(range)) return values.map((v) => Math.min(1, Math.max(0, (v / 2 - lo / 2) / (hi / 2 - lo / 2))));
  if (range === 0) return values.map(() => 1);
  return values.map((v) => Math.min(1, Math.max(0, (v - lo) / range)));
}

/**
 * 1 for the best, 0 for the worst, evenly spaced: 1 - rank / (n - 1), where rank counts the values strictly
 * greater (equal values share a rank). A single value maps to 1.
 */
export function rankNormalize(values: readonly number[]): number[] {
  const n = values.length;
  if (n <= 1) return values.map(() => 1);
  const sorted = [...values].sort((a, b) => b - a);
  return values.map((v) => {
    // First position of v in the descending list = how many values are strictly greater.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! > v) lo = mid + 1;
      else hi = mid;
    }
    return 1 - lo / (n - 1);
  });
}

/**
 * Blended scores of the reranked head: (1 - weight) · first + weight · reranker, both normalised over the head.
 * The first stage's part comes from its list position when normalize is 'rank' or when any score is missing.
 */
export function blendScores(relevance: readonly (number | null)[], scores: readonly number[], blend: ResolvedBlend): number[] {
  const n = scores.length;
  const positions = Array.from({ length: n }, (_, i) => n - i); // list order as a score: first is highest
  const known = relevance.every((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const first = blend.normalize === 'rank' || !known ? rankNormalize(positions) : minMax(relevance as number[]);
  const second = blend.normalize === 'rank' ? rankNormalize(scores) : minMax(scores);
  const w = blend.weight;
  // Clamped because (1 - w)·a + w·b can round a hair past 1.
  return first.map((f, i) => Math.min(1, (1 - w) * f + w * second[i]!));
}

/**
 * The final list: the head (the first `scores.length` items) ordered by reranker score, or by blended score;
 * below-threshold results dropped; then the rest in first-stage order, or nothing.
 * Ties go to the higher reranker score (unless the reranker's weight is 0), then to the first stage's order, so
 * weight 0 reproduces the first stage's order and weight 1 the reranker's, whatever the rounding.
 */
export function arrange<R>(items: readonly FirstStageItem<R>[], scores: readonly number[], o: ArrangeOptions): Reranked<R>[] {
  const k = Math.min(o.topK, items.length);
  if (scores.length !== k) throw new RangeError(`expected ${k} reranker scores, got ${scores.length}`);
  const head = items.slice(0, k);
  const blended = o.blend ? blendScores(head.map((h) => h.relevance), scores, o.blend) : null;
  const key = blended ?? scores;
  const byReranker = !o.blend || o.blend.weight > 0;
  const order = head.map((_, i) => i);
  order.sort((a, b) => key[b]! - key[a]! || (byReranker ? scores[b]! - scores[a]! : 0) || a - b);

  const out: Reranked<R>[] = [];
  for (const i of order) {
    if (o.threshold !== null && !(scores[i]! >= o.threshold)) continue;
    const item = head[i]!;
    const entry: Reranked<R> = { result: item.result, score: scores[i]!, firstStageScore: item.score, firstStageRank: i };
    if (blended) entry.blendedScore = blended[i]!;
    out.push(entry);
  }
  if (o.rest === 'keep') {
    for (let i = k; i < items.length; i++) {
      const item = items[i]!;
      out.push({ result: item.result, score: null, firstStageScore: item.score, firstStageRank: i });
    }
  }
  return out;
}
