// Fixed padded lengths ("buckets") for WebGPU runs. Pure: the engine picks a run's padded width from here.
//
// ORT's WebGPU EP compiles a pipeline per kernel and per shape-dependent variant (tile sizes, vector widths chosen
// from the dims); exact-length runs give nearly every run a new sequence length, buckets repeat a handful. Padding
// uses the pad id and attention mask 0, so a bucketed score differs from the exact-length one only by float noise.

/** The smallest bucket: shorter runs pad to it. */
export const MIN_BUCKET = 16;
/** Each bucket is about this many times the one before (rounded up to a multiple of 16). */
export const BUCKET_GROWTH = 1.5;

/**
 * The padded lengths for a model window of maxLength: MIN_BUCKET, then about BUCKET_GROWTH times the previous one,
 * each a multiple of 16, and maxLength itself last (so no run pads past the window). Ascending, distinct.
 * @example bucketLengths(512) // [16, 32, 48, 80, 128, 192, 288, 432, 512]; bucketLengths(512, 2) // [16, 32, 64, ..., 512]
 */
export function bucketLengths(maxLength: number, growth = BUCKET_GROWTH, min = MIN_BUCKET): number[] {
  if (!(maxLength >= 1) || !(growth > 1) || !(min >= 1)) throw new RangeError(`bad bucket parameters ${maxLength}, ${growth}, ${min}`);
  const out: number[] = [];
  for (let b = min; b < maxLength; b = Math.max(b + 16, Math.ceil((b * growth) / 16) * 16)) out.push(b);
  out.push(maxLength);
  return out;
}

/** The padded width of a run whose longest pair has `length` tokens: the smallest bucket that holds it. */
export function bucketFor(length: number, buckets: readonly number[]): number {
  for (const b of buckets) if (b >= length) return b;
  // Longer than the window: never happens for encoded pairs (they are cut to maxLength); keep the exact length.
  return length;
}
