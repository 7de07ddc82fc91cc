// Rewrites an ONNX model into the external-data layout of the hub's large ports: the graph keeps its structure and
// small tensors, and every initializer of at least INLINE_MAX bytes moves to `<location>` (and `<location>_1`, ... when
// split, as transformers.js names the parts), referenced by location/offset/length entries. The weights are the same
// bytes, so the rewritten model computes exactly what its single-file twin does.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Tensors smaller than this stay in the graph (onnx's convert_model_to_external_data uses the same 1 kB threshold). */
const INLINE_MAX = 1024;

export interface ExternalLayout {
  graph: Uint8Array;
  /** File name (relative to the graph) -> bytes, in part order. */
  files: Map<string, Uint8Array>;
}

/** The part names transformers.js uses: `model.onnx_data`, `model.onnx_data_1`, ... */
export function partName(location: string, k: number): string {
  return k === 0 ? location : `${location}_${k}`;
}

export function toExternalData(model: Uint8Array, location: string, parts = 1): ExternalLayout {
  const m = onnx.ModelProto.decode(model);
  const inits = (m.graph?.initializer ?? []).filter((t) => (t.rawData?.byteLength ?? 0) >= INLINE_MAX);
  if (inits.some((t) => (t.externalData?.length ?? 0) > 0)) throw new Error('the model already uses external data');
  const total = inits.reduce((a, t) => a + t.rawData!.byteLength, 0);
  const chunks: Uint8Array[][] = Array.from({ length: parts }, () => []);
  const sizes = new Array<number>(parts).fill(0);
  let moved = 0;
  for (const t of inits) {
    // A tensor goes to the part its first byte falls in, by cumulative size: parts of about total / parts each.
    const k = Math.min(parts - 1, Math.floor((moved * parts) / Math.max(1, total)));
    const raw = t.rawData!;
    const name = partName(location, k);
    t.externalData = [
      onnx.StringStringEntryProto.create({ key: 'location', value: name }),
      onnx.StringStringEntryProto.create({ key: 'offset', value: String(sizes[k]) }),
      onnx.StringStringEntryProto.create({ key: 'length', value: String(raw.byteLength) }),
    ];
    t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    chunks[k]!.push(raw.slice());
    sizes[k]! += raw.byteLength;
    moved += raw.byteLength;
    t.rawData = new Uint8Array(0);
  }
  const files = new Map<string, Uint8Array>();
  chunks.forEach((list, k) => {
    if (list.length === 0) throw new Error(`part ${k} of ${parts} would be empty: too few large tensors to split`);
    const out = new Uint8Array(sizes[k]!);
    let at = 0;
    for (const c of list) {
      out.set(c, at);
      at += c.byteLength;
    }
    files.set(partName(location, k), out);
  });
  return { graph: onnx.ModelProto.encode(m).finish(), files };
}
