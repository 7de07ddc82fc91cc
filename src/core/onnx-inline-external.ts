// An in-memory ONNX model, handed to ONNX Runtime as a small graph plus "external data": the model's own buffer.
// Why: onnxruntime-web copies an in-memory model into its WASM heap, its protobuf parser copies every raw_data field
// once more, and session set-up copies the initializers into tensors; WASM memory never shrinks, so the heap keeps
// all of it (a 721 MB Qwen3 q8 model grew the renderer by about 2.4x its size). Given external data instead, ORT-web
// parses a graph of a few hundred KB and copies each initializer straight from the JS buffer into its tensor (on
// WebGPU, into its GPU buffer) (ort-wasm's external-data hook: `mountExternalData`, then a slice per tensor).
//
// The rewrite writes a new ModelProto that keeps every field but the large initializers' raw_data, and gives each of
// those initializers data_location EXTERNAL with (location, offset, length) pointing at its raw_data's bytes in the
// original buffer. No weight byte is copied. Fields the LM-head rewrite disabled (GraphProto field 3, which onnx.proto
// reserves and parsers skip) are left out. Subgraph initializers, Constant nodes and typed-field tensors stay inline.
import { fields, Writer, WIRE } from './protobuf.ts';
import { F } from './onnx-scan.ts';

/** onnx.proto: GraphProto field 3 is reserved; lm-head.ts retags what it disables to it. */
const DISABLED = 3;
/** onnx.proto: TensorProto.DataLocation.EXTERNAL. */
const EXTERNAL = 1;

export interface InlineExternal {
  /** The small graph ORT parses. */
  graph: Uint8Array;
  /** Initializers moved out, and their bytes (which ORT reads from the original buffer, mounted as `location`). */
  moved: number;
  movedBytes: number;
}

function entry(key: string, value: string): Writer {
  return new Writer().string(1, key).string(2, value);
}

/** The TensorProto at buf[start, end) with its raw_data replaced by a reference into buf; null when it stays inline. */
function externalTensor(buf: Uint8Array, start: number, end: number, location: string, minBytes: number): Uint8Array | null {
  let raw: { start: number; end: number } | null = null;
  for (const f of fields(buf, start, end)) {
    if (f.no === F.tensor.dataLocation && f.wire === WIRE.VARINT && f.value === EXTERNAL) return null; // already external
    if (f.no === F.tensor.rawData && f.wire === WIRE.LEN) raw = { start: f.start, end: f.end };
  }
  if (!raw || raw.end - raw.start < minBytes) return null;
  const w = new Writer();
  for (const f of fields(buf, start, end)) if (f.no !== F.tensor.rawData) w.raw(buf.subarray(f.at, f.end));
  w.message(F.tensor.externalData, entry('location', location));
  w.message(F.tensor.externalData, entry('offset', String(raw.start)));
  w.message(F.tensor.externalData, entry('length', String(raw.end - raw.start)));
  w.varint(F.tensor.dataLocation, EXTERNAL);
  return w.finish();
}

/**
 * The small graph for `model` whose initializers of at least `minBytes` are read from `location`, which the caller
 * mounts as the model's own bytes. Null when nothing would move (no large inline initializer): use the model as it is.
 * Every graph field is rewritten (the LM-head rewrite may append a second one, which protobuf merges).
 */
export function inlineAsExternal(model: Uint8Array, location: string, minBytes = 1024): InlineExternal | null {
  let moved = 0;
  let movedBytes = 0;
  const out = new Writer();
  for (const top of fields(model, 0, model.length)) {
    if (top.no !== F.model.graph || top.wire !== WIRE.LEN) {
      out.raw(model.subarray(top.at, top.end));
      continue;
    }
    const g = new Writer();
    for (const f of fields(model, top.start, top.end)) {
      if (f.no === DISABLED) continue;
      const t = f.no === F.graph.initializer && f.wire === WIRE.LEN ? externalTensor(model, f.start, f.end, location, minBytes) : null;
      if (t) {
        g.bytes(F.graph.initializer, t);
        moved++;
        for (const x of fields(model, f.start, f.end)) if (x.no === F.tensor.rawData) movedBytes += x.end - x.start;
      } else {
        g.raw(model.subarray(f.at, f.end));
      }
    }
    out.message(F.model.graph, g);
  }
  return moved > 0 ? { graph: out.finish(), moved, movedBytes } : null;
}
