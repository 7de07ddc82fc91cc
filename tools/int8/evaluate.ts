// A float64 evaluator for exactly the ONNX ops the generated models use (tools/models/bert.ts), reading the .onnx
// as the generator writes it (onnx-proto, raw little-endian initializers). Unknown ops throw: nothing is guessed.
import onnxProto from 'onnx-proto';
import * as op from './ops.ts';
import type { T } from './ops.ts';

const { onnx } = onnxProto;
type Model = InstanceType<typeof onnx.ModelProto>;
type Tensor = onnxProto.onnx.ITensorProto;
type Node = onnxProto.onnx.INodeProto;

/** The ops of the generated fp32 and q8 graphs (q4's MatMulNBits is not part of the int8 reference). */
export const SUPPORTED_OPS = [
  'Add', 'Cast', 'DequantizeLinear', 'DynamicQuantizeLinear', 'Erf', 'Gather', 'LayerNormalization', 'MatMul',
  'MatMulInteger', 'Mul', 'Range', 'Reshape', 'Shape', 'Softmax', 'Sub', 'Tanh', 'Transpose', 'Unsqueeze',
] as const;

function initializer(t: Tensor): T {
  const raw = t.rawData;
  if (!raw || raw.length === 0) throw new Error(`${t.name}: only raw_data initializers are read`);
  const bytes = new Uint8Array(raw).slice().buffer;
  const dims = (t.dims ?? []).map(Number);
  const data = (() => {
    switch (t.dataType) {
      case 1: return new Float32Array(bytes);
      case 2: return new Uint8Array(bytes);
      case 3: return new Int8Array(bytes);
      case 6: return new Int32Array(bytes);
      case 7: return Array.from(new BigInt64Array(bytes), Number);
      default: throw new Error(`${t.name}: data type ${t.dataType}`);
    }
  })();
  return op.tensor(dims, data);
}

function attr(node: Node, name: string): number | number[] | undefined {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) return undefined;
  if (a.ints && a.ints.length) return a.ints.map(Number);
  if (a.type === onnx.AttributeProto.AttributeType.FLOAT) return a.f ?? 0;
  return Number(a.i ?? 0);
}

export interface RunOptions {
  /** Filled with each DynamicQuantizeLinear's activation scale and zero point, in graph order. */
  trace?: Int8Trace;
  /** Arithmetic of DynamicQuantizeLinear's scale and x / scale (see ops.ts); everything else stays float64. */
  quantArith?: 'float64' | 'float32';
}

export interface Int8Trace {
  /** Per DynamicQuantizeLinear node, in graph order: the activation scale and zero point the reference chose. */
  quantizations: { node: string; scale: number; zeroPoint: number }[];
}

export class Float64Graph {
  private inits = new Map<string, T>();
  private nodes: Node[];
  readonly inputNames: string[];

  constructor(bytes: Uint8Array) {
    const model: Model = onnx.ModelProto.decode(bytes);
    const g = model.graph!;
    for (const t of g.initializer ?? []) this.inits.set(t.name!, initializer(t));
    this.nodes = g.node ?? [];
    this.inputNames = (g.input ?? []).map((i) => i.name!).filter((n) => !this.inits.has(n));
    const unknown = this.nodes.map((n) => n.opType!).filter((t) => !(SUPPORTED_OPS as readonly string[]).includes(t));
    if (unknown.length) throw new Error(`ops without a float64 reference: ${[...new Set(unknown)].join(', ')}`);
  }

  /** Runs the graph on integer inputs ([batch, seq] each) and returns the named output. */
  run(inputs: Record<string, T>, output = 'logits', { trace, quantArith = 'float64' }: RunOptions = {}): T {
    const env = new Map<string, T>(this.inits);
    for (const [k, v] of Object.entries(inputs)) env.set(k, v);
    const get = (name: string) => {
      const t = env.get(name);
      if (!t) throw new Error(`no value for ${name}`);
      return t;
    };
    const scalar = (name: string) => get(name).data[0]!;
    for (const n of this.nodes) {
      const i = n.input ?? [];
      const out = n.output ?? [];
      const set = (k: number, t: T) => env.set(out[k]!, t);
      switch (n.opType) {
        case 'Add': set(0, op.elementwise(get(i[0]!), get(i[1]!), (a, b) => a + b)); break;
        case 'Sub': set(0, op.elementwise(get(i[0]!), get(i[1]!), (a, b) => a - b)); break;
        case 'Mul': set(0, op.elementwise(get(i[0]!), get(i[1]!), (a, b) => a * b)); break;
        // Casts in these graphs are int64 mask -> float and int32 accumulator -> float: exact in float64.
        case 'Cast': set(0, get(i[0]!)); break;
        case 'Erf': set(0, op.erfT(get(i[0]!))); break;
        case 'Tanh': set(0, op.tanhT(get(i[0]!))); break;
        case 'Softmax': {
          const axis = Number(attr(n, 'axis') ?? -1);
          const x = get(i[0]!);
          if (axis !== -1 && axis !== x.dims.length - 1) throw new Error('Softmax: last axis only');
          set(0, op.softmaxLast(x));
          break;
        }
        case 'LayerNormalization': {
          const axis = Number(attr(n, 'axis') ?? -1);
          const x = get(i[0]!);
          if (axis !== -1 && axis !== x.dims.length - 1) throw new Error('LayerNormalization: last axis only');
          set(0, op.layerNormLast(x, get(i[1]!), get(i[2]!), Number(attr(n, 'epsilon') ?? 1e-5)));
          break;
        }
        case 'MatMul': set(0, op.matMul(get(i[0]!), get(i[1]!))); break;
        case 'MatMulInteger': {
          const zp = (k: number) => (i[k] ? scalar(i[k]!) : 0);
          set(0, op.matMulInteger(get(i[0]!), get(i[1]!), zp(2), zp(3)));
          break;
        }
        case 'DynamicQuantizeLinear': {
          const q = op.dynamicQuantizeLinear(get(i[0]!), quantArith);
          trace?.quantizations.push({ node: n.name ?? '', scale: q.scale, zeroPoint: q.zeroPoint });
          set(0, q.y);
          set(1, op.tensor([], [q.scale]));
          set(2, op.tensor([], [q.zeroPoint]));
          break;
        }
        case 'DequantizeLinear': {
          const zp = i[2] ? scalar(i[2]) : 0;
          const s = scalar(i[1]!);
          set(0, op.map(get(i[0]!), (v) => (v - zp) * s));
          break;
        }
        case 'Gather': set(0, op.gather(get(i[0]!), get(i[1]!), Number(attr(n, 'axis') ?? 0))); break;
        case 'Shape': { const x = get(i[0]!); set(0, op.tensor([x.dims.length], x.dims)); break; }
        case 'Range': {
          const [start, limit, delta] = [scalar(i[0]!), scalar(i[1]!), scalar(i[2]!)];
          const n = Math.max(0, Math.ceil((limit - start) / delta));
          set(0, op.tensor([n], Array.from({ length: n }, (_, k) => start + k * delta)));
          break;
        }
        case 'Reshape': set(0, op.reshape(get(i[0]!), Array.from(get(i[1]!).data))); break;
        case 'Transpose': set(0, op.transpose(get(i[0]!), attr(n, 'perm') as number[])); break;
        case 'Unsqueeze': {
          const x = get(i[0]!);
          const rank = x.dims.length + get(i[1]!).data.length;
          const axes = Array.from(get(i[1]!).data, (a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
          const dims = [...x.dims];
          for (const a of axes) dims.splice(a, 0, 1);
          set(0, { dims, data: x.data });
          break;
        }
        default: throw new Error(`op ${n.opType}`);
      }
    }
    return get(output);
  }
}
