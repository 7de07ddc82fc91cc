// An ONNX ModelProto's graph as byte ranges: nodes (op, inputs, outputs, attributes), initializers (name, dims, type,
// where their raw bytes lie), graph outputs and value_info entries. Payloads are never decoded or copied, so scanning
// a 500 MB model costs a walk over its field headers. Used to recognise the LM head (lm-head.ts) and fused attention.
import { fields, int64s, utf8, WIRE } from './protobuf.ts';

/** Field numbers of onnx.proto used here. */
export const F = {
  model: { graph: 7 },
  graph: { node: 1, initializer: 5, output: 12, valueInfo: 13 },
  node: { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 },
  attr: { name: 1, f: 2, i: 3, ints: 8, type: 20 },
  tensor: { dims: 1, dataType: 2, floatData: 4, int32Data: 5, int64Data: 7, name: 8, rawData: 9, externalData: 13, dataLocation: 14 },
  valueInfo: { name: 1, type: 2 },
} as const;

export const TENSOR_TYPE = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10, BFLOAT16: 16 } as const;
const SIZES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 6: 4, 7: 8, 10: 2, 16: 2 };
export const elementSize = (dataType: number): number | null => SIZES[dataType] ?? null;

/** A graph entry: [at, end) is the whole field (tag, length, payload); [start, end) its payload. */
export interface Entry { at: number; start: number; end: number }
export interface AttrInfo extends Entry { name: string; i: number | null; ints: number[] }
export interface NodeInfo extends Entry { opType: string; domain: string; name: string; inputs: string[]; outputs: string[]; attrs: AttrInfo[] }
export interface InitInfo extends Entry {
  name: string;
  dims: number[];
  dataType: number;
  /** Payload range of raw_data; null when the values sit in typed fields or in external data. */
  raw: { start: number; end: number } | null;
  external: boolean;
}
export interface OutputInfo extends Entry { name: string }

export interface GraphScan {
  /** Payload range of the ModelProto's graph field. */
  graph: Entry;
  /** How many graph fields the model holds (protobuf merges repeats; a rewrite expects exactly one). */
  graphFields: number;
  nodes: NodeInfo[];
  initializers: Map<string, InitInfo>;
  outputs: OutputInfo[];
  valueInfo: OutputInfo[];
}

function node(buf: Uint8Array, e: Entry): NodeInfo {
  const n: NodeInfo = { ...e, opType: '', domain: '', name: '', inputs: [], outputs: [], attrs: [] };
  for (const f of fields(buf, e.start, e.end)) {
    if (f.wire !== WIRE.LEN) continue;
    if (f.no === F.node.input) n.inputs.push(utf8(buf, f));
    else if (f.no === F.node.output) n.outputs.push(utf8(buf, f));
    else if (f.no === F.node.name) n.name = utf8(buf, f);
    else if (f.no === F.node.opType) n.opType = utf8(buf, f);
    else if (f.no === F.node.domain) n.domain = utf8(buf, f);
    else if (f.no === F.node.attribute) {
      const a: AttrInfo = { at: f.at, start: f.start, end: f.end, name: '', i: null, ints: int64s(buf, f.start, f.end, F.attr.ints) };
      for (const g of fields(buf, f.start, f.end)) {
        if (g.no === F.attr.name && g.wire === WIRE.LEN) a.name = utf8(buf, g);
        else if (g.no === F.attr.i && g.wire === WIRE.VARINT) a.i = g.value;
      }
      n.attrs.push(a);
    }
  }
  return n;
}

function initializer(buf: Uint8Array, e: Entry): InitInfo {
  const t: InitInfo = { ...e, name: '', dims: int64s(buf, e.start, e.end, F.tensor.dims), dataType: 0, raw: null, external: false };
  for (const f of fields(buf, e.start, e.end)) {
    if (f.no === F.tensor.name && f.wire === WIRE.LEN) t.name = utf8(buf, f);
    else if (f.no === F.tensor.dataType && f.wire === WIRE.VARINT) t.dataType = f.value;
    else if (f.no === F.tensor.rawData && f.wire === WIRE.LEN) t.raw = { start: f.start, end: f.end };
    else if (f.no === F.tensor.dataLocation && f.wire === WIRE.VARINT) t.external = f.value === 1;
  }
  if (t.external) t.raw = null;
  return t;
}

function named(buf: Uint8Array, e: Entry): OutputInfo {
  for (const f of fields(buf, e.start, e.end)) if (f.no === F.valueInfo.name && f.wire === WIRE.LEN) return { ...e, name: utf8(buf, f) };
  return { ...e, name: '' };
}

/** Scans a serialized ModelProto. Throws RangeError on a malformed buffer. */
export function scanModel(buf: Uint8Array): GraphScan {
  let graph: Entry | null = null;
  let graphFields = 0;
  for (const f of fields(buf, 0, buf.length)) {
    if (f.no === F.model.graph && f.wire === WIRE.LEN) { graph ??= { at: f.at, start: f.start, end: f.end }; graphFields++; }
  }
  if (!graph) throw new RangeError('ONNX: no graph in the model');
  const scan: GraphScan = { graph, graphFields, nodes: [], initializers: new Map(), outputs: [], valueInfo: [] };
  for (const f of fields(buf, graph.start, graph.end)) {
    if (f.wire !== WIRE.LEN) continue;
    const e = { at: f.at, start: f.start, end: f.end };
    if (f.no === F.graph.node) scan.nodes.push(node(buf, e));
    else if (f.no === F.graph.initializer) { const t = initializer(buf, e); scan.initializers.set(t.name, t); }
    else if (f.no === F.graph.output) scan.outputs.push(named(buf, e));
    else if (f.no === F.graph.valueInfo) scan.valueInfo.push(named(buf, e));
  }
  return scan;
}

/** Op types in the graph ("domain:op" for non-default domains), e.g. to see fused attention. */
export function opTypes(scan: GraphScan): Set<string> {
  return new Set(scan.nodes.map((n) => (n.domain && n.domain !== 'ai.onnx' ? `${n.domain}:${n.opType}` : n.opType)));
}

/** True when the graph's attention is ONNX Runtime's fused GroupQueryAttention (the hub's Qwen ports). */
export const usesGroupQueryAttention = (scan: GraphScan): boolean => scan.nodes.some((n) => n.opType === 'GroupQueryAttention');
