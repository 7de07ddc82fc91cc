// Which external-data files an ONNX graph needs, read from the graph itself: the `location` entries of its
// initializers' external_data (ONNX's TensorProto field 13). A bounded protobuf walk over only the messages that can
// hold initializers (ModelProto.graph, GraphProto.initializer, and subgraphs in node attributes); every other field,
// weights included, is skipped by its length without being read. No protobuf library: the worker stays small.

/** One external-data file the graph names, and the bytes its tensors reach into (the file must be at least that long). */
export interface ExternalDataFile {
  location: string;
  /** max(offset + length) over the tensors stored there; null when a tensor gives no length. */
  minBytes: number | null;
}

export class OnnxParseError extends Error {}

// Field numbers from onnx.proto3.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_SPARSE_INITIALIZER = 15;
const NODE_ATTRIBUTE = 5;
const ATTRIBUTE_G = 6;
const ATTRIBUTE_GRAPHS = 11;
const SPARSE_VALUES = 1;
const SPARSE_INDICES = 2;
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
const ENTRY_KEY = 1;
const ENTRY_VALUE = 2;
const EXTERNAL = 1;
/** Subgraphs (If/Loop/Scan bodies) nest; real exports go a few levels deep. */
const MAX_DEPTH = 16;

type Field = { field: number; wire: number; value: number; start: number; end: number };

/** The fields of the message in bytes[start, end): varints as `value`, length-delimited ones as [start, end). */
function* fields(bytes: Uint8Array, start: number, end: number): Generator<Field> {
  let at = start;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= end) throw new OnnxParseError('truncated varint');
      const b = bytes[at++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new OnnxParseError('varint longer than 10 bytes');
  };
  while (at < end) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) throw new OnnxParseError('field number 0');
    if (wire === 0) {
      yield { field, wire, value: varint(), start: at, end: at };
    } else if (wire === 2) {
      const len = varint();
      if (len > end - at) throw new OnnxParseError(`field ${field} runs past its message (${len} bytes, ${end - at} left)`);
      const s = at;
      at += len;
      yield { field, wire, value: len, start: s, end: at };
    } else if (wire === 1 || wire === 5) {
      at += wire === 1 ? 8 : 4;
      if (at > end) throw new OnnxParseError('truncated fixed-width field');
    } else {
      throw new OnnxParseError(`unsupported wire type ${wire}`);
    }
  }
}

const text = new TextDecoder('utf-8', { fatal: false });

function tensor(bytes: Uint8Array, start: number, end: number, out: Map<string, ExternalDataFile>): void {
  let external = false;
  const entries: Record<string, string> = {};
  for (const f of fields(bytes, start, end)) {
    if (f.field === TENSOR_DATA_LOCATION && f.wire === 0) external = f.value === EXTERNAL;
    if (f.field === TENSOR_EXTERNAL_DATA && f.wire === 2) {
      let key = '';
      let value = '';
      for (const e of fields(bytes, f.start, f.end)) {
        if (e.wire !== 2) continue;
        if (e.field === ENTRY_KEY) key = text.decode(bytes.subarray(e.start, e.end));
        if (e.field === ENTRY_VALUE) value = text.decode(bytes.subarray(e.start, e.end));
      }
      entries[key] = value;
    }
  }
  if (!external) return;
  const location = entries.location;
  if (!location) throw new OnnxParseError('an initializer stored externally names no location');
  const offset = Number(entries.offset ?? 0);
  const length = entries.length === undefined ? NaN : Number(entries.length);
  const known = out.get(location) ?? { location, minBytes: 0 };
  known.minBytes = Number.isFinite(length) && Number.isFinite(offset) && known.minBytes !== null ? Math.max(known.minBytes, offset + length) : null;
  out.set(location, known);
}

function graph(bytes: Uint8Array, start: number, end: number, out: Map<string, ExternalDataFile>, depth: number): void {
  if (depth > MAX_DEPTH) throw new OnnxParseError(`subgraphs nested deeper than ${MAX_DEPTH}`);
  for (const f of fields(bytes, start, end)) {
    if (f.wire !== 2) continue;
    if (f.field === GRAPH_INITIALIZER) tensor(bytes, f.start, f.end, out);
    if (f.field === GRAPH_SPARSE_INITIALIZER) {
      for (const s of fields(bytes, f.start, f.end)) {
        if (s.wire === 2 && (s.field === SPARSE_VALUES || s.field === SPARSE_INDICES)) tensor(bytes, s.start, s.end, out);
      }
    }
    if (f.field === GRAPH_NODE) {
      for (const a of fields(bytes, f.start, f.end)) {
        if (a.wire !== 2 || a.field !== NODE_ATTRIBUTE) continue;
        for (const g of fields(bytes, a.start, a.end)) {
          if (g.wire === 2 && (g.field === ATTRIBUTE_G || g.field === ATTRIBUTE_GRAPHS)) graph(bytes, g.start, g.end, out, depth + 1);
        }
      }
    }
  }
}

/** The external-data files an ONNX model's initializers name, in first-use order (empty for a single-file model). */
export function externalDataFiles(model: Uint8Array): ExternalDataFile[] {
  const out = new Map<string, ExternalDataFile>();
  for (const f of fields(model, 0, model.byteLength)) {
    if (f.field === MODEL_GRAPH && f.wire === 2) graph(model, f.start, f.end, out, 0);
  }
  return [...out.values()];
}

/**
 * Why a location cannot be fetched next to the graph, or null when it can. Locations are relative paths beside the
 * graph (`model.onnx_data`); one that climbs out of the model folder or names another origin is refused.
 */
export function badLocation(location: string): string | null {
  if (location.length === 0 || location.length > 512) return 'it is empty or longer than 512 characters';
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith('/') || location.includes('\\')) return 'it is absolute (a URL, a rooted path or a Windows path)';
  if (location.split('/').some((s) => s === '..' || s === '.' || s === '')) return 'it has an empty, "." or ".." segment';
  if (/[?#%]/.test(location)) return 'it has ?, # or %';
  return null;
}

/** The model-folder path of an external-data file: beside its graph (`onnx/model.onnx` + `model.onnx_data`). */
export function externalDataPath(graphFile: string, location: string): string {
  const slash = graphFile.lastIndexOf('/');
  return slash < 0 ? location : `${graphFile.slice(0, slash + 1)}${location}`;
}
