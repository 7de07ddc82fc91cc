// Finds a causal LM's head in a scanned ONNX graph and plans its rewrite (lm-head.ts applies it): which node computes
// the vocabulary logits, the weights sliced to the read tokens, and which fields the rewrite disables.
import { elementSize, type GraphScan, type InitInfo, type NodeInfo } from './onnx-scan.ts';

export interface SlicedTensor { name: string; dataType: number; dims: number[]; data: Uint8Array }
export interface HeadPlan {
  head: NodeInfo;
  /** The new head node's inputs (sliced weights in place of the old ones). */
  inputs: string[];
  /** MatMulNBits: the new N attribute. */
  setN: number | null;
  tensors: SlicedTensor[];
  /** Tag offsets of the graph fields the rewrite disables. */
  disable: number[];
  /** The largest disabled initializer field, whose bytes an in-place rewrite reuses. */
  freed: { at: number; end: number } | null;
  output: string;
}

const PASS = new Set(['Identity', 'Cast', 'Mul', 'Add', 'Sub', 'Div', 'Reshape']);
const HEADS = new Set(['MatMul', 'Gemm', 'MatMulNBits', 'MatMulInteger']);
/** Marks rewritten weights, so a second rewrite of the same bytes is refused rather than mis-sliced. */
export const PRUNED_SUFFIX = '.rerank_web_pruned';
const SUFFIX = PRUNED_SUFFIX;
const count = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** Rows [N, ...] of an initializer's raw bytes, for the given row indices. */
function rows(buf: Uint8Array, t: InitInfo, n: number, pick: readonly number[]): Uint8Array {
  const raw = buf.subarray(t.raw!.start, t.raw!.end);
  const per = raw.length / n;
  const out = new Uint8Array(per * pick.length);
  pick.forEach((r, j) => out.set(raw.subarray(r * per, (r + 1) * per), j * per));
  return out;
}

/** Columns of a [K, V] initializer. */
function columns(buf: Uint8Array, t: InitInfo, pick: readonly number[]): Uint8Array {
  const [K, V] = t.dims as [number, number];
  const e = elementSize(t.dataType)!;
  const raw = buf.subarray(t.raw!.start, t.raw!.end);
  const out = new Uint8Array(K * pick.length * e);
  for (let r = 0; r < K; r++) pick.forEach((c, j) => out.set(raw.subarray((r * V + c) * e, (r * V + c + 1) * e), (r * pick.length + j) * e));
  return out;
}

/** Rows of a [V, K] initializer, transposed to [K, picked]. */
function rowsTransposed(buf: Uint8Array, t: InitInfo, pick: readonly number[]): Uint8Array {
  const [, K] = t.dims as [number, number];
  const e = elementSize(t.dataType)!;
  const raw = buf.subarray(t.raw!.start, t.raw!.end);
  const out = new Uint8Array(K * pick.length * e);
  for (let h = 0; h < K; h++) pick.forEach((r, j) => out.set(raw.subarray((r * K + h) * e, (r * K + h + 1) * e), (h * pick.length + j) * e));
  return out;
}

export function headPlan(buf: Uint8Array, scan: GraphScan, tokens: readonly number[], output: string): HeadPlan | { reason: string; vocab: number } {
  const fail = (reason: string, vocab = 0) => ({ reason, vocab });
  if (scan.graphFields !== 1) return fail(`the model holds ${scan.graphFields} graph fields`);
  if ([...scan.initializers.keys()].some((n) => n.endsWith(SUFFIX))) return fail('the head was already rewritten');
  const out = scan.outputs.find((o) => o.name === output);
  if (!out) return fail(`no '${output}' output`);
  if (tokens.length === 0) return fail('no tokens to keep');
  const producer = new Map<string, NodeInfo>();
  const consumers = new Map<string, NodeInfo[]>();
  for (const n of scan.nodes) {
    for (const o of n.outputs) producer.set(o, n);
    for (const i of n.inputs) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  }
  const init = (name: string | undefined) => (name ? scan.initializers.get(name) ?? null : null);
  const only = (tensor: string, node: NodeInfo) => (consumers.get(tensor) ?? []).every((c) => c === node);

  // Walk back from the output through shape-preserving ops to the head. The other operand of an elementwise op
  // must not be a vocabulary-sized initializer (a bias over the vocabulary would need slicing too).
  const chain: string[] = [output];
  const reshapes: NodeInfo[] = [];
  let t = output;
  let head: NodeInfo | null = null;
  for (let depth = 0; depth < 8 && !head; depth++) {
    const n = producer.get(t);
    if (!n) return fail(`'${t}' is not produced by a node`);
    if (HEADS.has(n.opType)) { head = n; break; }
    if (!PASS.has(n.opType)) return fail(`'${output}' comes from ${n.opType}, not a recognised head`);
    let next: string | undefined;
    if (n.opType === 'Reshape') { next = n.inputs[0]; reshapes.push(n); }
    else if (n.opType === 'Identity' || n.opType === 'Cast') next = n.inputs[0];
    else {
      const cands = n.inputs.filter((i) => !init(i) || count(init(i)!.dims) > 1);
      const viaHead = cands.filter((i) => { let p = producer.get(i); for (let d = 0; p && d < 8; d++) { if (HEADS.has(p.opType)) return true; p = producer.get(p.inputs[0]!); } return false; });
      if (viaHead.length !== 1 || n.inputs.some((i) => i !== viaHead[0] && init(i) && count(init(i)!.dims) > 1)) return fail(`'${output}' passes through ${n.opType} with a non-scalar operand`);
      next = viaHead[0];
    }
    if (!next || !only(next, n)) return fail(`'${next}' on the head's path has other consumers`);
    t = next;
    chain.push(t);
  }
  if (!head) return fail(`no MatMul, Gemm, MatMulNBits or MatMulInteger found before '${output}'`);

  const tensors: SlicedTensor[] = [];
  const dropped: InitInfo[] = [];
  const disable: number[] = [head.at, out.at];
  const raw = (x: InitInfo | null, what: string): InitInfo => {
    if (!x) throw new Error(`the head's ${what} is not an initializer`);
    if (!x.raw || !elementSize(x.dataType)) throw new Error(`the head's ${what} '${x.name}' is not stored as raw_data (external data or typed fields)`);
    return x;
  };
  const add = (from: InitInfo, dims: number[], data: Uint8Array) => {
    const name = `${from.name}${SUFFIX}`;
    tensors.push({ name, dataType: from.dataType, dims, data });
    if (only(from.name, head!)) dropped.push(from);
    return name;
  };
  const k = tokens.length;
  const inputs = [...head.inputs];
  let setN: number | null = null;
  let vocab = 0;
  const check = (v: number) => {
    vocab = v;
    const bad = tokens.find((x) => !Number.isInteger(x) || x < 0 || x >= v);
    if (bad !== undefined) throw new Error(`token ${bad} is outside the head's ${v} columns`);
  };
  try {
    if (head.opType === 'MatMul' || head.opType === 'MatMulInteger') {
      const direct = init(head.inputs[1]);
      if (direct) {
        const w = raw(direct, 'weight');
        if (w.dims.length !== 2) throw new Error(`the head's weight is ${w.dims.length}-D`);
        check(w.dims[1]!);
        inputs[1] = add(w, [w.dims[0]!, k], columns(buf, w, tokens));
      } else {
        // Tied: MatMul(x, Transpose(embedding)) reads the [vocab, hidden] table the lookup uses.
        const tr = producer.get(head.inputs[1]!);
        const perm = tr?.attrs.find((a) => a.name === 'perm')?.ints;
        if (!tr || tr.opType !== 'Transpose' || (perm && perm.join() !== '1,0')) throw new Error('the head weight is neither an initializer nor a transposed one');
        const e = raw(init(tr.inputs[0]), 'embedding');
        if (e.dims.length !== 2) throw new Error('the tied embedding is not 2-D');
        check(e.dims[0]!);
        const name = `${e.name}${SUFFIX}`;
        tensors.push({ name, dataType: e.dataType, dims: [e.dims[1]!, k], data: rowsTransposed(buf, e, tokens) });
        inputs[1] = name;
        if (only(head.inputs[1]!, head)) {
          disable.push(tr.at);
          if (only(e.name, tr)) dropped.push(e);
        }
      }
      if (head.opType === 'MatMulInteger' && head.inputs[3]) {
        const zp = raw(init(head.inputs[3]), 'zero point');
        if (count(zp.dims) === vocab) inputs[3] = add(zp, [k], rows(buf, zp, vocab, tokens));
        else if (count(zp.dims) !== 1) throw new Error('the head zero point is neither per tensor nor per column');
      }
    } else if (head.opType === 'Gemm') {
      const attr = (n: string) => head!.attrs.find((a) => a.name === n)?.i ?? 0;
      if (attr('transA')) throw new Error('Gemm with transA');
      const w = raw(init(head.inputs[1]), 'weight');
      const transB = attr('transB') === 1;
      check(transB ? w.dims[0]! : w.dims[1]!);
      inputs[1] = add(w, transB ? [k, w.dims[1]!] : [w.dims[0]!, k], transB ? rows(buf, w, vocab, tokens) : columns(buf, w, tokens));
      if (head.inputs[2]) {
        const c = raw(init(head.inputs[2]), 'bias');
        if (count(c.dims) === vocab) inputs[2] = add(c, c.dims.length === 2 ? [1, k] : [k], rows(buf, c, vocab, tokens));
        else if (count(c.dims) !== 1) throw new Error('the Gemm bias is neither a scalar nor per column');
      }
    } else {
      // MatMulNBits: B [N, blocks, blob], scales and zero points row-major by N, optional bias [N].
      const N = head.attrs.find((a) => a.name === 'N')?.i ?? 0;
      check(N);
      if (head.inputs[4]) throw new Error('MatMulNBits with g_idx');
      const b = raw(init(head.inputs[1]), 'weight');
      inputs[1] = add(b, [k, ...b.dims.slice(1)], rows(buf, b, N, tokens));
      const sc = raw(init(head.inputs[2]), 'scales');
      inputs[2] = add(sc, sc.dims.length === 1 ? [count(sc.dims) / N * k] : [k, ...sc.dims.slice(1)], rows(buf, sc, N, tokens));
      for (const at of [3, 5]) {
        if (!head.inputs[at]) continue;
        const x = raw(init(head.inputs[at]), at === 3 ? 'zero points' : 'bias');
        inputs[at] = add(x, x.dims.length === 1 ? [count(x.dims) / N * k] : [k, ...x.dims.slice(1)], rows(buf, x, N, tokens));
      }
      setN = k;
    }
    // A Reshape after a 2-D head (Gemm) must not name the vocabulary size in its shape.
    for (const r of reshapes) {
      const s = init(r.inputs[1]);
      if (!s || s.dataType !== 7 || !s.raw) throw new Error('a Reshape on the head\'s path has a computed shape');
      const last = new DataView(buf.buffer, buf.byteOffset + s.raw.end - 8, 8).getBigInt64(0, true);
      if (Number(last) === vocab) throw new Error('a Reshape on the head\'s path names the vocabulary size');
    }
  } catch (e) {
    return fail((e as Error).message, vocab);
  }
  for (const v of scan.valueInfo) if (chain.includes(v.name)) disable.push(v.at);
  let freed: { at: number; end: number } | null = null;
  for (const d of dropped) {
    disable.push(d.at);
    if (!freed || d.end - d.at > freed.end - freed.at) freed = { at: d.at, end: d.end };
  }
  return { head, inputs, setN, tensors, disable, freed, output };
}
