// The GPU prefix cache's batch expansion (workers/backend/kv-expand.ts) is a hand-written ONNX graph: onnxruntime-node
// loads it and repeats each cache tensor along the batch axis, float32 and float16 alike.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { expandGraph } from '../../workers/backend/kv-expand.ts';

describe('expandGraph', () => {
  it('repeats every [1, heads, length, dim] input along batch, each with its own shape', async () => {
    // Guards the protobuf writer (field numbers, dims) and the Expand semantics the document runs rely on.
    const s = await ort.InferenceSession.create(expandGraph(2, false));
    const a = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 1, 3, 2]);
    const b = new ort.Tensor('float32', Float32Array.from([7, 8, 9, 10, 11, 12]), [1, 1, 3, 2]);
    const shape = new ort.Tensor('int64', BigInt64Array.from([3n, 1n, 3n, 2n]), [4]);
    const r = await s.run({ in_0: a, in_1: b, shape });
    expect(r.out_0!.dims).toEqual([3, 1, 3, 2]);
    expect(Array.from(r.out_0!.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(r.out_1!.data as Float32Array).slice(6, 12)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(s.inputNames).toEqual(['in_0', 'in_1', 'shape']);
  });

  it('float16 caches keep their bits', async () => {
    // fp16/q4f16 ports keep the cache in float16: the graph must declare that element type.
    const s = await ort.InferenceSession.create(expandGraph(1, true));
    const bits = Uint16Array.from([0x3c00, 0xc000]); // 1, -2
    const r = await s.run({ in_0: new ort.Tensor('float16', bits, [1, 1, 1, 2]), shape: new ort.Tensor('int64', BigInt64Array.from([2n, 1n, 1n, 2n]), [4]) });
    expect(Array.from(r.out_0!.data as Uint16Array)).toEqual([0x3c00, 0xc000, 0x3c00, 0xc000]);
  });
});
