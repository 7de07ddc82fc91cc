// The two quantisations the hub's ONNX ports ship, written the way their exporters write them:
// dynamic int8 (per-tensor weight scale; activations quantised at run time) and 4-bit weight-only blocks.

/** Which weights a generated graph carries: float32, dynamic int8 (the hub's _quantized), or 4-bit blocks (_q4). */
export type Quant = 'fp32' | 'q8' | 'q4';

export interface Int8Tensor { q: Int8Array; scale: number }

/** Symmetric per-tensor int8, zero point 0 (as quantize_dynamic writes QInt8 weights). */
export function quantizeInt8(w: Float32Array): Int8Tensor {
  // Indexed loops with plain comparisons: the same values as Math.max/min over the array, several times faster on the
  // hundreds of millions of weights of the real-size models (tools/models/size-models.ts).
  let max = 0;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(w[i]!);
    if (v > max) max = v;
  }
  const scale = max / 127 || 1;
  const q = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.round(w[i]! / scale);
    q[i] = r > 127 ? 127 : r < -127 ? -127 : r;
  }
  return { q, scale };
}

export interface NBitsTensor { packed: Uint8Array; scales: Float32Array; nBlocks: number; blobSize: number }

/**
 * 4-bit blocks for com.microsoft MatMulNBits. `w` is the MatMul weight in [K, N] row-major order; the op wants it
 * transposed, per output column n: nBlocks blobs of blockSize/2 bytes, low nibble first, implicit zero point 8.
 */
export function quantizeNBits(w: Float32Array, K: number, N: number, blockSize = 32): NBitsTensor {
  if (K % blockSize !== 0) throw new Error(`K=${K} is not a multiple of the block size ${blockSize}`);
  const nBlocks = K / blockSize;
  const blobSize = blockSize / 2;
  const packed = new Uint8Array(N * nBlocks * blobSize);
  const scales = new Float32Array(N * nBlocks);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < nBlocks; b++) {
      let max = 0;
      for (let j = 0; j < blockSize; j++) max = Math.max(max, Math.abs(w[(b * blockSize + j) * N + n]!));
      const scale = max / 7 || 1;
      scales[n * nBlocks + b] = scale;
      for (let j = 0; j < blockSize; j++) {
        const q = Math.max(0, Math.min(15, Math.round(w[(b * blockSize + j) * N + n]! / scale) + 8));
        const at = (n * nBlocks + b) * blobSize + (j >> 1);
        packed[at] = packed[at]! | (j & 1 ? q << 4 : q);
      }
    }
  }
  return { packed, scales, nBlocks, blobSize };
}
