// The float64 int8 reference (tools/int8): operator semantics on hand-worked examples, and the evaluator against
// onnxruntime-node on a generated graph (fp32, where both must agree to float32 rounding).
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Float64Graph } from '../../tools/int8/evaluate.ts';
import { dynamicQuantizeLinear, gather, layerNormLast, matMul, matMulInteger, roundHalfEven, softmaxLast, tensor, transpose } from '../../tools/int8/ops.ts';

describe('roundHalfEven', () => {
  it('sends ties to the even neighbour, both signs (numpy.rint / IEEE roundTiesToEven)', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 127.5, -127.5].map((v) => roundHalfEven(v) + 0)).toEqual([0, 2, 2, 4, 0, -2, -2, 128, -128]);
  });
  it('rounds non-ties to the nearest integer', () => {
    expect([2.4999999, 2.5000001, -0.49, -0.51, 254.6].map((v) => roundHalfEven(v) + 0)).toEqual([2, 3, 0, -1, 255]);
  });
  it('is within 0.5 of its input and an integer (property)', () => {
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
      const r = roundHalfEven(x);
      return Number.isInteger(r) && Math.abs(r - x) <= 0.5;
    }));
  });
});

describe('DynamicQuantizeLinear', () => {
  // ONNX's own example: x = [0, 2, -3, -2.5, 1.34, 0.5]; min -3, max 2, scale 5/255, zero point round(3 / scale) = 153.
  const x = tensor([6], [0, 2, -3, -2.5, 1.34, 0.5]);
  it('float64: -2.5 / (5/255) is exactly -127.5, a tie that goes to -128 (y = 25); 0.5 / scale = 25.5 goes to 26', () => {
    const q = dynamicQuantizeLinear(x);
    expect(q.scale).toBe(5 / 255);
    expect(q.zeroPoint).toBe(153);
    expect(Array.from(q.y.data)).toEqual([153, 255, 0, 25, 221, 179]);
  });
  it('float32 arithmetic reproduces the ONNX documentation output [153, 255, 0, 26, 221, 179]', () => {
    // In float32 the scale rounds up (0.019607844), -2.5 / scale is -127.4999..., no longer a tie: -127.
    const q = dynamicQuantizeLinear(x, 'float32');
    expect(q.scale).toBe(Math.fround(5 / 255));
    expect(Array.from(q.y.data)).toEqual([153, 255, 0, 26, 221, 179]);
  });
  it('includes 0 in the range: all-positive input gets zero point 0, all-negative 255', () => {
    const pos = dynamicQuantizeLinear(tensor([3], [1, 2, 2.55]));
    expect(pos.scale).toBeCloseTo(0.01, 15);
    expect(pos.zeroPoint).toBe(0);
    expect(Array.from(pos.y.data)).toEqual([100, 200, 255]);
    const neg = dynamicQuantizeLinear(tensor([2], [-2.55, -1]));
    expect(neg.zeroPoint).toBe(255);
    expect(Array.from(neg.y.data)).toEqual([0, 155]);
  });
  it('all zeros: scale 0, everything 0 (no division by zero)', () => {
    const q = dynamicQuantizeLinear(tensor([3], [0, 0, 0]));
    expect(q).toMatchObject({ scale: 0, zeroPoint: 0 });
    expect(Array.from(q.y.data)).toEqual([0, 0, 0]);
  });
  it('dequantises back to within half a step of the input (property)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 100, noNaN: true }), fc.double({ min: -100, max: -1e-6, noNaN: true })), { minLength: 1, maxLength: 50 }), (xs) => {
      const q = dynamicQuantizeLinear(tensor([xs.length], xs));
      if (q.scale === 0) return xs.every((v) => v === 0);
      return xs.every((v, i) => q.y.data[i]! >= 0 && q.y.data[i]! <= 255 && Math.abs((q.y.data[i]! - q.zeroPoint) * q.scale - v) <= q.scale * (0.5 + 1e-9));
    }));
  });
});

describe('MatMulInteger', () => {
  it('subtracts both zero points before multiplying, and sums exactly', () => {
    // a = [[153, 255], [0, 26]] with zp 153 -> [[0, 102], [-153, -127]]; b = [[1, -2], [3, 4]] with zp 0.
    const y = matMulInteger(tensor([2, 2], [153, 255, 0, 26]), tensor([2, 2], [1, -2, 3, 4]), 153, 0);
    expect(Array.from(y.data)).toEqual([306, 408, -534, -202]);
  });
  it('a length-768 row of extreme values stays exact (int32 range, far inside 2^53)', () => {
    const K = 768;
    const y = matMulInteger(tensor([1, K], new Array(K).fill(255)), tensor([K, 1], new Array(K).fill(-127)), 0, 0);
    expect(y.data[0]).toBe(255 * -127 * K);
  });
});

describe('the float ops', () => {
  it('MatMul broadcasts batch dims', () => {
    const y = matMul(tensor([2, 1, 2], [1, 2, 3, 4]), tensor([2, 1], [10, 100]));
    expect(y.dims).toEqual([2, 1, 1]);
    expect(Array.from(y.data)).toEqual([210, 430]);
  });
  it('Softmax of [0, ln 3] is [1/4, 3/4]; LayerNorm of [1, 3] is [-1, 1] (eps 0)', () => {
    const sm = softmaxLast(tensor([2], [0, Math.log(3)])).data;
    expect(sm[0]).toBeCloseTo(0.25, 15);
    expect(sm[1]).toBeCloseTo(0.75, 15);
    expect(Array.from(layerNormLast(tensor([2], [1, 3]), tensor([2], [1, 1]), tensor([2], [0, 0]), 0).data)).toEqual([-1, 1]);
  });
  it('Transpose and Gather move the right elements', () => {
    expect(Array.from(transpose(tensor([2, 3], [1, 2, 3, 4, 5, 6]), [1, 0]).data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(gather(tensor([3, 2], [1, 2, 3, 4, 5, 6]), tensor([2], [2, 0]), 0).data)).toEqual([5, 6, 1, 2]);
    expect(Array.from(gather(tensor([2, 2], [1, 2, 3, 4]), tensor([], [0]), 1).data)).toEqual([1, 3]);
  });
});

const TINY = path.resolve(import.meta.dirname, '../../.models/rerank-web-test/tiny-bert/onnx');
describe.runIf(fs.existsSync(TINY))('the evaluator on the generated tiny-bert', () => {
  const ids = [2, 7, 9, 3, 8, 11, 3];
  const feeds = { input_ids: tensor([1, 7], ids), attention_mask: tensor([1, 7], ids.map(() => 1)), token_type_ids: tensor([1, 7], [0, 0, 0, 0, 1, 1, 1]) };
  it('fp32: agrees with onnxruntime-node to float32 rounding (guards every op but the int8 ones)', async () => {
    const ort = await import('onnxruntime-node');
    const file = path.join(TINY, 'model.onnx');
    const ref = new Float64Graph(fs.readFileSync(file)).run(feeds).data[0]!;
    const s = await ort.InferenceSession.create(file);
    const t = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), [1, v.length]);
    const r = await s.run({ input_ids: t(ids), attention_mask: t(ids.map(() => 1)), token_type_ids: t([0, 0, 0, 0, 1, 1, 1]) });
    expect(Math.abs(ref - (r.logits!.data as Float32Array)[0]!)).toBeLessThan(1e-4);
  });
  it('q8: reads every node (no op without a reference) and quantises each activation once per linear layer', () => {
    const trace = { quantizations: [] as { node: string; scale: number; zeroPoint: number }[] };
    const y = new Float64Graph(fs.readFileSync(path.join(TINY, 'model_quantized.onnx'))).run(feeds, 'logits', { trace });
    expect(Number.isFinite(y.data[0])).toBe(true);
    // 2 layers x (q, k, v, o, ff1, ff2) + the pooler.
    expect(trace.quantizations).toHaveLength(13);
    expect(trace.quantizations.every((q) => q.scale > 0 && Number.isInteger(q.zeroPoint))).toBe(true);
  });
});
