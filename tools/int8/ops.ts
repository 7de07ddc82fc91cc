// The ONNX operators of the generated models, in plain float64: the exact reference for dynamic int8 (issue 12).
// Integer steps follow the operator definitions to the letter (DynamicQuantizeLinear, MatMulInteger, Cast); every
// float step is computed in float64, so the only rounding left is the one the quantisation itself prescribes.
import erf from '@stdlib/math-base-special-erf';

/** A dense tensor, row-major. Integer tensors hold their values exactly (all fit in 2^53). */
export interface T { dims: number[]; data: Float64Array }

export const tensor = (dims: number[], data: ArrayLike<number>): T => ({ dims: [...dims], data: Float64Array.from(data) });
export const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Round half to even (IEEE 754 roundTiesToEven), as ONNX's quantisation ops round. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

const saturate = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * DynamicQuantizeLinear (opset 11), uint8: scale = (max(0, max x) - min(0, min x)) / 255,
 * zero point = saturate(round(0 - min / scale)) in [0, 255], y = saturate(round(x / scale) + zero point).
 * All-zero input: scale 0 and every value 0 (the definition divides by 0 there; ORT writes zeros).
 * `arith` 'float64' (the reference) computes scale and quotients exactly as doubles; 'float32' rounds each of them to
 * float32 first, as the ONNX reference implementation (numpy float32) and ORT's kernels do: on a tie such as
 * -2.5 / (5/255) = -127.5 the two can differ by one step.
 */
export function dynamicQuantizeLinear(x: T, arith: 'float64' | 'float32' = 'float64'): { y: T; scale: number; zeroPoint: number } {
  const r = arith === 'float32' ? Math.fround : (v: number) => v;
  let min = 0;
  let max = 0;
  for (const v of x.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = r(r(r(max) - r(min)) / 255);
  const y = new Float64Array(x.data.length);
  if (scale === 0) return { y: { dims: [...x.dims], data: y }, scale: 0, zeroPoint: 0 };
  const zeroPoint = roundHalfEven(saturate(r(0 - r(min) / scale), 0, 255));
  for (let i = 0; i < y.length; i++) y[i] = saturate(roundHalfEven(r(r(x.data[i]!) / scale)) + zeroPoint, 0, 255);
  return { y: { dims: [...x.dims], data: y }, scale, zeroPoint };
}

/** MatMulInteger: sum over k of (a - aZp)(b - bZp), exact (int32 accumulation; float64 holds it exactly). */
export function matMulInteger(a: T, b: T, aZp: number, bZp: number): T {
  return matMul(a, b, aZp, bZp);
}

/** MatMul with numpy broadcasting of the batch dims; optional zero points subtracted first. */
export function matMul(a: T, b: T, aZp = 0, bZp = 0): T {
  const [M, K] = a.dims.slice(-2) as [number, number];
  const [K2, N] = b.dims.slice(-2) as [number, number];
  if (K !== K2) throw new Error(`MatMul: ${a.dims} x ${b.dims}`);
  const batchA = a.dims.slice(0, -2);
  const batchB = b.dims.slice(0, -2);
  const batch = broadcastDims(batchA, batchB);
  const out = new Float64Array(size(batch) * M * N);
  const idxA = broadcastIndex(batchA, batch);
  const idxB = broadcastIndex(batchB, batch);
  const col = new Float64Array(K);
  for (let bi = 0; bi < size(batch); bi++) {
    const ao = idxA(bi) * M * K;
    const bo = idxB(bi) * K * N;
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) col[k] = b.data[bo + k * N + n]! - bZp;
      for (let m = 0; m < M; m++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += (a.data[ao + m * K + k]! - aZp) * col[k]!;
        out[(bi * M + m) * N + n] = s;
      }
    }
  }
  return { dims: [...batch, M, N], data: out };
}

export function broadcastDims(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast ${a} with ${b}`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** Maps a flat index of `to` onto the flat index of `from` (broadcast into `to`). */
function broadcastIndex(from: readonly number[], to: readonly number[]): (i: number) => number {
  const pad = to.length - from.length;
  const strides: number[] = new Array(to.length).fill(0);
  let s = 1;
  for (let d = from.length - 1; d >= 0; d--) {
    strides[d + pad] = from[d] === 1 ? 0 : s;
    s *= from[d]!;
  }
  return (i) => {
    let at = 0;
    for (let d = to.length - 1; d >= 0; d--) {
      const dim = to[d]!;
      at += (i % dim) * strides[d]!;
      i = Math.floor(i / dim);
    }
    return at;
  };
}

export function elementwise(a: T, b: T, f: (x: number, y: number) => number): T {
  const dims = broadcastDims(a.dims, b.dims);
  const ia = broadcastIndex(a.dims, dims);
  const ib = broadcastIndex(b.dims, dims);
  const out = new Float64Array(size(dims));
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[ia(i)]!, b.data[ib(i)]!);
  return { dims, data: out };
}

export const map = (a: T, f: (x: number) => number): T => ({ dims: [...a.dims], data: a.data.map(f) });
export const erfT = (a: T) => map(a, erf);
export const tanhT = (a: T) => map(a, Math.tanh);

/** Softmax over the last axis (opset 13+), max-subtracted. */
export function softmaxLast(a: T): T {
  const n = a.dims.at(-1)!;
  const out = new Float64Array(a.data.length);
  for (let r = 0; r < a.data.length; r += n) {
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, a.data[r + i]!);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += out[r + i] = Math.exp(a.data[r + i]! - max);
    for (let i = 0; i < n; i++) out[r + i]! /= sum;
  }
  return { dims: [...a.dims], data: out };
}

/** LayerNormalization over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta, population variance. */
export function layerNormLast(x: T, gamma: T, beta: T, eps: number): T {
  const n = x.dims.at(-1)!;
  const out = new Float64Array(x.data.length);
  for (let r = 0; r < x.data.length; r += n) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x.data[r + i]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x.data[r + i]! - mean) ** 2;
    const inv = 1 / Math.sqrt(v / n + eps);
    for (let i = 0; i < n; i++) out[r + i] = (x.data[r + i]! - mean) * inv * gamma.data[i]! + beta.data[i]!;
  }
  return { dims: [...x.dims], data: out };
}

export function transpose(x: T, perm: number[]): T {
  const dims = perm.map((p) => x.dims[p]!);
  const inStrides = x.dims.map((_, d) => size(x.dims.slice(d + 1)));
  const out = new Float64Array(x.data.length);
  const idx = new Array<number>(dims.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let at = 0;
    for (let d = 0; d < dims.length; d++) at += idx[d]! * inStrides[perm[d]!]!;
    out[o] = x.data[at]!;
    for (let d = dims.length - 1; d >= 0; d--) {
      if (++idx[d]! < dims[d]!) break;
      idx[d] = 0;
    }
  }
  return { dims, data: out };
}

/** Gather along `axis` with integer indices (negative ones count from the end). */
export function gather(x: T, indices: T, axis: number): T {
  const ax = axis < 0 ? axis + x.dims.length : axis;
  const outer = size(x.dims.slice(0, ax));
  const n = x.dims[ax]!;
  const inner = size(x.dims.slice(ax + 1));
  const dims = [...x.dims.slice(0, ax), ...indices.dims, ...x.dims.slice(ax + 1)];
  const out = new Float64Array(size(dims));
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (const raw of indices.data) {
      const i = raw < 0 ? raw + n : raw;
      out.set(x.data.subarray((a * n + i) * inner, (a * n + i + 1) * inner), o);
      o += inner;
    }
  }
  return { dims, data: out };
}

/** Reshape with ONNX's 0 (copy the dim) and -1 (infer). */
export function reshape(x: T, shape: number[]): T {
  const dims = shape.map((d, i) => (d === 0 ? x.dims[i]! : d));
  const known = dims.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const out = dims.map((d) => (d === -1 ? x.data.length / known : d));
  if (size(out) !== x.data.length) throw new Error(`Reshape ${x.dims} to ${shape}`);
  return { dims: out, data: x.data };
}
