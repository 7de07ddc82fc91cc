// A small ONNX graph builder over onnx-proto: just enough to write BERT-shaped cross-encoders
// (initializers as raw little-endian bytes, named nodes, symbolic batch/sequence dims).
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type P = typeof onnxProto.onnx;
type Node = InstanceType<P['NodeProto']>;
type Tensor = InstanceType<P['TensorProto']>;
type ValueInfo = InstanceType<P['ValueInfoProto']>;
type Attribute = InstanceType<P['AttributeProto']>;

export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;
type DataType = (typeof DT)[keyof typeof DT];
type Attr = number | number[] | string;

export class Graph {
  private nodes: Node[] = [];
  private inits: Tensor[] = [];
  private inputs: ValueInfo[] = [];
  private outputs: ValueInfo[] = [];
  private counter = 0;
  /** Total bytes of weights, for the generator's log. */
  weightBytes = 0;

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, type: DataType, dims: (number | string)[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: DataType, dims: (number | string)[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  init(name: string, type: DataType, dims: number[], data: ArrayBufferView): string {
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.weightBytes += raw.byteLength;
    this.inits.push(onnx.TensorProto.create({ name, dataType: type, dims, rawData: raw }));
    return name;
  }

  f32(name: string, dims: number[], data: Float32Array | number[]): string {
    return this.init(name, DT.FLOAT, dims, data instanceof Float32Array ? data : Float32Array.from(data));
  }

  i64(name: string, dims: number[], data: number[]): string {
    return this.init(name, DT.INT64, dims, BigInt64Array.from(data.map((v) => BigInt(v))));
  }

  /** Adds a node; returns its output names (one fresh name per requested output). */
  op(type: string, inputs: string[], attrs: Record<string, Attr> = {}, nOut = 1, domain = ''): string[] {
    const outs = Array.from({ length: nOut }, () => this.fresh(type.toLowerCase()));
    this.opTo(type, inputs, outs, attrs, domain);
    return outs;
  }

  /** Adds a node writing to the given output names. */
  opTo(type: string, inputs: string[], outputs: string[], attrs: Record<string, Attr> = {}, domain = ''): void {
    const attribute = Object.entries(attrs).map(([name, v]) => attribute_(name, v));
    this.nodes.push(onnx.NodeProto.create({ opType: type, input: inputs, output: outputs, attribute, domain, name: this.fresh(`n_${type}`) }));
  }

  one(type: string, inputs: string[], attrs: Record<string, Attr> = {}, domain = ''): string {
    return this.op(type, inputs, attrs, 1, domain)[0]!;
  }

  encode(name: string, opset = 17, msOpset = 1): Uint8Array {
    const graph = onnx.GraphProto.create({ name, node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      // The folder's name before it moved to tools/: kept, since changing it changes the bytes of every generated file.
      producerName: 'rerank-web/scripts/models',
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: opset }), onnx.OperatorSetIdProto.create({ domain: 'com.microsoft', version: msOpset })],
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, elemType: DataType, dims: (number | string)[]): ValueInfo {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim } } } });
}

function attribute_(name: string, v: Attr): Attribute {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v });
  if (Number.isInteger(v)) return onnx.AttributeProto.create({ name, type: T.INT, i: v });
  return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v });
}
