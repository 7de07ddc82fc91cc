// Repeats a batch-1 key/value cache along the batch axis on the GPU: a small ONNX graph of Expand nodes (one per
// cache tensor), run as a WebGPU session of its own on the prefix run's gpu-buffer tensors, its outputs left in GPU
// buffers for the document run. The graph is written here with a minimal protobuf writer (a few fields of ModelProto).
import type * as Ort from 'onnxruntime-web/webgpu';
import { webgpuProvider } from './webgpu-device.ts';

// Protobuf wire format: varints, and length-delimited fields (strings, bytes, embedded messages).
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const field = (num: number, wire: number) => varint(num * 8 + wire);
const int = (num: number, v: number) => [...field(num, 0), ...varint(v)];
const bytes = (num: number, b: number[]) => [...field(num, 2), ...varint(b.length), ...b];
const str = (num: number, s: string) => bytes(num, [...new TextEncoder().encode(s)]);

/** ValueInfoProto: a tensor of element type `elem` (onnx.TensorProto.DataType) and rank `rank` with named dims. */
function valueInfo(name: string, elem: number, dims: (number | string)[] | null): number[] {
  const shape = dims ? bytes(2, dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)))) : [];
  return [...str(1, name), ...bytes(2, bytes(1, [...int(1, elem), ...shape]))];
}

/** ONNX bytes of: out_i = Expand(in_i, shape) for i < count; opset 13. */
export function expandGraph(count: number, half: boolean): Uint8Array {
  const elem = half ? 10 : 1; // FLOAT16 : FLOAT
  const nodes: number[] = [];
  const inputs: number[] = [];
  const outputs: number[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push(...bytes(1, [...str(1, `in_${i}`), ...str(1, 'shape'), ...str(2, `out_${i}`), ...str(3, `expand_${i}`), ...str(4, 'Expand')]));
    inputs.push(...bytes(11, valueInfo(`in_${i}`, elem, [1, 'heads', 'length', 'dim'])));
    outputs.push(...bytes(12, valueInfo(`out_${i}`, elem, null)));
  }
  inputs.push(...bytes(11, valueInfo('shape', 7, [4])));
  const graph = [...nodes, ...str(2, 'kv_expand'), ...inputs, ...outputs];
  const model = [...int(1, 8), ...bytes(8, [...str(1, ''), ...int(2, 13)]), ...bytes(7, graph)];
  return Uint8Array.from(model);
}

export interface KvExpander {
  /** The tensors repeated `batch` times along axis 0, as new gpu-buffer tensors (the caller disposes them). */
  expand(tensors: readonly Ort.Tensor[], batch: number): Promise<Ort.Tensor[]>;
  release(): Promise<void>;
}

export async function createKvExpander(ort: typeof Ort, count: number, half: boolean): Promise<KvExpander> {
  const session = await ort.InferenceSession.create(expandGraph(count, half), {
    // The decoder session's device (its gpu-buffer tensors are this session's inputs).
    executionProviders: [await webgpuProvider()], preferredOutputLocation: 'gpu-buffer', logSeverityLevel: 3,
  });
  return {
    async expand(tensors, batch) {
      const [, heads, length, dim] = tensors[0]!.dims as number[];
      const shape = new ort.Tensor('int64', BigInt64Array.from([batch, heads!, length!, dim!].map(BigInt)), [4]);
      const feeds: Record<string, Ort.Tensor> = { shape };
      tensors.forEach((t, i) => (feeds[`in_${i}`] = t));
      try {
        const out = await session.run(feeds);
        return tensors.map((_, i) => out[`out_${i}`]!);
      } finally {
        shape.dispose();
      }
    },
    release: () => session.release(),
  };
}
