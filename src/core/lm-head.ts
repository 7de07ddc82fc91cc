// Rewrites a causal LM's ONNX so that its LM head computes only the token ids a reranker reads (yes/no, a window's
// letters, a recipe's tokens): logits become [batch, length, tokens.length], column j holding token tokens[j].
//
// Recognised heads (the node whose output reaches the graph output through Identity/Cast/elementwise-with-a-scalar
// ops, as fp32, q4 and dynamic-int8 exports end): MatMul on a [hidden, vocab] initializer (untied) or on
// Transpose([vocab, hidden] initializer) (tied: the embedding), Gemm (transB 0 or 1, bias sliced), MatMulNBits (rows
// of the blocks, scales, zero points and bias), MatMulInteger (columns, per-column zero points). The head gets sliced
// weights of its own; the shared embedding is left as it is.
//
// The bytes are edited, not re-serialized: the old head node, its now unused weights, the old `logits` output and
// value_info on the head's path are disabled by changing their field's tag byte to field 3 (reserved in GraphProto:
// parsers skip it), and the new node, weights and output are written either into the bytes the old head weight
// occupied (in place: no second copy of the model; the rest of that space becomes an unused initializer, which ONNX
// Runtime drops at load) or appended as a second `graph` field, which protobuf merges into the first (one copy).
import { fields, varint as varintBytes, Writer, WIRE } from './protobuf.ts';
import { F, scanModel, usesGroupQueryAttention, type GraphScan, type NodeInfo } from './onnx-scan.ts';
import { headPlan, PRUNED_SUFFIX, type HeadPlan } from './lm-head-plan.ts';

export interface LmHeadInfo {
  /** The head computes only the read tokens. */
  pruned: boolean;
  /** Logit columns per position the graph now returns (tokens read when pruned; the vocabulary when not). */
  tokens: number;
  /** Why the full head runs (pattern not recognised); null when pruned. */
  reason: string | null;
}

export interface PruneResult extends LmHeadInfo {
  /** The model to load: `bytes` itself when rewritten in place or not pruned, else a new buffer. */
  bytes: Uint8Array;
  /** The rewrite reused the buffer (no copy). */
  inPlace: boolean;
}

/** Tag byte that turns a length-delimited GraphProto field into reserved field 3 (skipped by parsers). */
const DISABLED_TAG = (3 << 3) | WIRE.LEN;

function disable(buf: Uint8Array, at: number): void {
  // Graph fields 1 (node), 5 (initializer), 12 (output), 13 (value_info): one-byte tags, so one byte changes.
  if (buf[at]! >= 0x80) throw new RangeError('ONNX: multi-byte tag');
  buf[at] = DISABLED_TAG;
}

function valueInfoWithLastDim(buf: Uint8Array, name: string, start: number, end: number, last: number): Writer {
  let elem = 1;
  const dims: Writer[] = [];
  for (const t of fields(buf, start, end)) {
    if (t.no !== F.valueInfo.type || t.wire !== WIRE.LEN) continue;
    for (const tt of fields(buf, t.start, t.end)) {
      if (tt.no !== 1 || tt.wire !== WIRE.LEN) continue; // tensor_type
      for (const x of fields(buf, tt.start, tt.end)) {
        if (x.no === 1 && x.wire === WIRE.VARINT) elem = x.value;
        if (x.no === 2 && x.wire === WIRE.LEN) for (const d of fields(buf, x.start, x.end)) if (d.no === 1) dims.push(new Writer().raw(buf.slice(d.start, d.end)));
      }
    }
  }
  if (dims.length > 0) dims[dims.length - 1] = new Writer().varint(1, last);
  const shape = new Writer();
  for (const d of dims) shape.message(1, d);
  return new Writer().string(F.valueInfo.name, name).message(F.valueInfo.type, new Writer().message(1, new Writer().varint(1, elem).message(2, shape)));
}

function tensor(name: string, dataType: number, dims: number[], raw: Uint8Array): Writer {
  const w = new Writer();
  for (const d of dims) w.varint(F.tensor.dims, d);
  return w.varint(F.tensor.dataType, dataType).string(F.tensor.name, name).bytes(F.tensor.rawData, raw);
}

/** The new head node: the old one's output, inputs renamed to the sliced weights, attributes copied (N replaced). */
function headNode(buf: Uint8Array, old: NodeInfo, inputs: string[], setN: number | null): Writer {
  const w = new Writer();
  for (const i of inputs) w.string(F.node.input, i);
  for (const o of old.outputs) w.string(F.node.output, o);
  w.string(F.node.name, `${old.name}${PRUNED_SUFFIX}`).string(F.node.opType, old.opType);
  for (const a of old.attrs) {
    if (setN !== null && a.name === 'N') w.message(F.node.attribute, new Writer().string(F.attr.name, 'N').varint(F.attr.i, setN).varint(F.attr.type, 2));
    else w.raw(buf.subarray(a.at, a.end));
  }
  if (old.domain) w.string(F.node.domain, old.domain);
  return w;
}

const varintLength = (v: number): number => { let n = 1; while (v >= 0x80) { v = Math.floor(v / 0x80); n++; } return n; };
const FILLER_NAME = 'rerank_web_unused';

/** Bytes of the filler initializer field holding n raw bytes (tag, length and TensorProto body). */
function fillerLength(n: number): number {
  const body = 1 + varintLength(n) + 2 + 1 + 1 + FILLER_NAME.length + 1 + varintLength(n) + n; // dims, data_type, name, raw_data
  return 1 + varintLength(body) + body;
}

/**
 * The header of an unused UINT8 initializer that fills exactly `size` bytes of a graph field (its n payload bytes
 * follow the header); ONNX Runtime drops unused initializers at load. Written as a header so the payload is not
 * allocated: it is the old weight's bytes, left where they are.
 */
function fillerHeader(size: number): { header: Uint8Array; n: number } | null {
  for (let n = Math.max(0, size - 40); n <= size; n++) {
    if (fillerLength(n) !== size) continue;
    const body = new Writer().varint(F.tensor.dims, n).varint(F.tensor.dataType, 2).string(F.tensor.name, FILLER_NAME);
    const bodyLength = body.length + 1 + varintLength(n) + n;
    const header = new Writer().raw(Uint8Array.from([(F.graph.initializer << 3) | WIRE.LEN, ...varintBytes(bodyLength)])).raw(body.finish())
      .raw(Uint8Array.from([(F.tensor.rawData << 3) | WIRE.LEN, ...varintBytes(n)])).finish();
    return { header, n };
  }
  return null;
}

/**
 * Rewrites the LM head to compute only `tokenIds` (in that order). `inPlace` lets the rewrite reuse `bytes` when the
 * old head weight's space holds the new fields: the caller must not use `bytes` afterwards (e.g. to cache the file).
 * A head that is not recognised leaves the model as it is: `pruned` false and a `reason`.
 */
export function pruneLmHead(bytes: Uint8Array, tokenIds: readonly number[], opts: { inPlace?: boolean; output?: string } = {}): PruneResult {
  const output = opts.output ?? 'logits';
  let scan: GraphScan;
  try {
    scan = scanModel(bytes);
  } catch (e) {
    return { bytes, inPlace: false, pruned: false, tokens: 0, reason: `the ONNX file could not be read: ${(e as Error).message}` };
  }
  const plan = headPlan(bytes, scan, tokenIds, output);
  if ('reason' in plan) return { bytes, inPlace: false, pruned: false, tokens: plan.vocab, reason: plan.reason };
  const chunk = newFields(bytes, scan, plan, tokenIds.length);
  const out = opts.inPlace && plan.freed && plan.freed.end - plan.freed.at >= chunk.length + 64 ? bytes : null;
  const target = out ?? new Uint8Array(bytes.length + chunk.length + 8);
  if (!out) target.set(bytes);
  for (const at of plan.disable) disable(target, at);
  if (out && plan.freed) {
    const fill = fillerHeader(plan.freed.end - plan.freed.at - chunk.length);
    if (!fill) throw new RangeError('ONNX: no filler fits the freed space');
    target.set(chunk, plan.freed.at);
    target.set(fill.header, plan.freed.at + chunk.length);
    return { bytes: target, inPlace: true, pruned: true, tokens: tokenIds.length, reason: null };
  }
  // Appended as a second ModelProto.graph field (merged into the first by every protobuf parser).
  const tail = new Writer().bytes(F.model.graph, chunk).finish();
  target.set(tail, bytes.length);
  return { bytes: target.subarray(0, bytes.length + tail.length), inPlace: false, pruned: true, tokens: tokenIds.length, reason: null };
}

/** Graph fields to add: sliced weights, the new head node, the new output (as GraphProto field bytes). */
function newFields(buf: Uint8Array, scan: GraphScan, plan: HeadPlan, k: number): Uint8Array {
  const g = new Writer();
  for (const t of plan.tensors) g.message(F.graph.initializer, tensor(t.name, t.dataType, t.dims, t.data));
  g.message(F.graph.node, headNode(buf, plan.head, plan.inputs, plan.setN));
  const o = scan.outputs.find((x) => x.name === plan.output)!;
  g.message(F.graph.output, valueInfoWithLastDim(buf, o.name, o.start, o.end, k));
  return g.finish();
}

export interface PreparedDecoder {
  bytes: Uint8Array;
  lmHead: LmHeadInfo;
  /** Attention is ONNX Runtime's fused GroupQueryAttention (runs after a past must then be batch-1). */
  fusedAttention: boolean;
}

/**
 * The decoder load path's one hook on the ONNX bytes before the session is created: sees whether attention is fused
 * and, with `prune`, rewrites the LM head to `tokenIds`. `inPlace` only where the caller no longer needs the bytes.
 */
export function prepareDecoderGraph(bytes: Uint8Array, tokenIds: readonly number[], opts: { prune: boolean; inPlace: boolean }): PreparedDecoder {
  let fusedAttention = false;
  try {
    fusedAttention = usesGroupQueryAttention(scanModel(bytes));
  } catch {
    // An unreadable file is ONNX Runtime's to report, with its own message.
    return { bytes, fusedAttention, lmHead: { pruned: false, tokens: 0, reason: 'the ONNX file could not be read' } };
  }
  if (!opts.prune) return { bytes, fusedAttention, lmHead: { pruned: false, tokens: 0, reason: 'pruneLmHead: false' } };
  const r = pruneLmHead(bytes, tokenIds, { inPlace: opts.inPlace });
  return { bytes: r.bytes, fusedAttention, lmHead: { pruned: r.pruned, tokens: r.tokens, reason: r.reason } };
}
