// A causal LM's ONNX session (the hub's decoder ports: input_ids, attention_mask, position_ids,
// past_key_values.N.key/value in; logits, present.N.key/value out), run with or without a key/value cache.
import type * as Ort from 'onnxruntime-web/webgpu';
import type { RunDevice } from '../../src/core/model-policy.ts';
import { RerankError } from '../../src/errors.ts';

type KvData = Float32Array | Uint16Array;

/** A key/value cache of one sequence (batch 1): per layer, key and value as [kvHeads, length, headDim]. */
export interface KvCache {
  length: number;
  keys: KvData[];
  values: KvData[];
}

export interface KvShape {
  layers: number;
  kvHeads: number;
  headDim: number;
  type: 'float32' | 'float16';
}

export interface DecoderRunResult {
  /** logits[row][k] of tokenIds[k] at each row's read position. */
  picked: Float32Array[];
  /** The cache after this run, for batch-1 runs that asked for it. */
  present: KvCache | null;
}

export interface DecoderSession {
  device: RunDevice;
  kv: KvShape;
  /**
   * Runs rows of token ids (right-padded to the longest) after `past` (shared by every row; null: no past), and
   * returns the logits of `tokenIds` at `readAt[row]` (an index into that row's own tokens).
   */
  run(rows: readonly (readonly number[])[], past: KvCache | null, readAt: readonly number[], tokenIds: readonly number[], keepPresent: boolean): Promise<DecoderRunResult>;
  release(): Promise<void>;
}

export function kvShapeFrom(config: Record<string, unknown>, inputNames: readonly string[], dtype: string): KvShape {
  const num = (k: string) => (typeof config[k] === 'number' ? (config[k] as number) : null);
  const layers = inputNames.filter((n) => /^past_key_values\.\d+\.key$/.test(n)).length;
  const heads = num('num_attention_heads');
  const kvHeads = num('num_key_value_heads') ?? heads;
  const headDim = num('head_dim') ?? (num('hidden_size') && heads ? num('hidden_size')! / heads : null);
  if (!layers || !kvHeads || !headDim) {
    throw new RerankError('MODEL_UNSUPPORTED', `a decoder reranker needs past_key_values.N inputs and config.json's num_key_value_heads and head_dim (found ${layers} layers, kv heads ${kvHeads}, head dim ${headDim})`, { file: 'config.json' });
  }
  // fp16 and q4f16 ports keep the cache in float16.
  return { layers, kvHeads, headDim, type: dtype === 'fp16' || dtype === 'q4f16' ? 'float16' : 'float32' };
}

/**
 * `columns`: the token id of each logit column when the LM head was pruned (src/core/lm-head.ts); null when the
 * logits cover the whole vocabulary.
 */
export function wrapDecoderSession(ort: typeof Ort, session: Ort.InferenceSession, device: RunDevice, kv: KvShape, padId: number, columns: readonly number[] | null = null): DecoderSession {
  const names = session.inputNames;
  const hasPositions = names.includes('position_ids');
  const per = kv.kvHeads * kv.headDim;
  const empty = () => (kv.type === 'float16' ? new Uint16Array(0) : new Float32Array(0));
  const tile = (src: KvData, n: number): KvData => {
    if (n === 1) return src;
    const out = kv.type === 'float16' ? new Uint16Array(src.length * n) : new Float32Array(src.length * n);
    for (let r = 0; r < n; r++) out.set(src, r * src.length);
    return out;
  };
  return {
    device,
    kv,
    async run(rows, past, readAt, tokenIds, keepPresent) {
      const n = rows.length;
      const L = rows.reduce((m, r) => Math.max(m, r.length), 0);
      const P = past?.length ?? 0;
      const ids = new BigInt64Array(n * L).fill(BigInt(padId));
      const mask = new BigInt64Array(n * (P + L));
      const pos = new BigInt64Array(n * L);
      rows.forEach((row, r) => {
        for (let j = 0; j < P; j++) mask[r * (P + L) + j] = 1n;
        for (let j = 0; j < L; j++) {
          if (j < row.length) {
            ids[r * L + j] = BigInt(row[j]!);
            mask[r * (P + L) + P + j] = 1n;
          }
          pos[r * L + j] = BigInt(P + j);
        }
      });
      const feeds: Record<string, Ort.Tensor> = {
        input_ids: new ort.Tensor('int64', ids, [n, L]),
        attention_mask: new ort.Tensor('int64', mask, [n, P + L]),
      };
      if (hasPositions) feeds.position_ids = new ort.Tensor('int64', pos, [n, L]);
      for (let l = 0; l < kv.layers; l++) {
        const dims = [n, kv.kvHeads, P, kv.headDim];
        feeds[`past_key_values.${l}.key`] = new ort.Tensor(kv.type, past ? tile(past.keys[l]!, n) : empty(), dims);
        feeds[`past_key_values.${l}.value`] = new ort.Tensor(kv.type, past ? tile(past.values[l]!, n) : empty(), dims);
      }
      const fetches = ['logits'];
      if (keepPresent) for (let l = 0; l < kv.layers; l++) fetches.push(`present.${l}.key`, `present.${l}.value`);
      let out: Ort.InferenceSession.ReturnType;
      try {
        out = await session.run(feeds, fetches);
      } catch (e) {
        throw new RerankError('INFERENCE_FAILED', `ONNX Runtime failed on a decoder run of ${n}x${L} after ${P} cached tokens on ${device}: ${(e as Error).message}`);
      } finally {
        for (const t of Object.values(feeds)) t.dispose();
      }
      try {
        const logits = out.logits!;
        const V = logits.dims.at(-1)!;
        const data = (await logits.getData()) as Float32Array | Uint16Array;
        const col = tokenIds.map((t) => (columns ? columns.indexOf(t) : t));
        if (col.some((c) => c < 0 || c >= V)) throw new RangeError(`a token read is not among the ${V} logit columns`);
        const picked = rows.map((_, r) => {
          const base = (r * L + readAt[r]!) * V;
          return Float32Array.from(col, (c) => (data instanceof Float32Array ? data[base + c]! : halfToFloat(data[base + c]!)));
        });
        let present: KvCache | null = null;
        if (keepPresent) {
          if (n !== 1) throw new RangeError('keepPresent is for batch-1 runs');
          present = { length: P + L, keys: [], values: [] };
          for (let l = 0; l < kv.layers; l++) {
            present.keys.push((await out[`present.${l}.key`]!.getData()) as KvData);
            present.values.push((await out[`present.${l}.value`]!.getData()) as KvData);
          }
        }
        if (present && present.keys[0]!.length !== per * present.length) {
          throw new RerankError('MODEL_UNSUPPORTED', `present.0.key holds ${present.keys[0]!.length} values; [1, ${kv.kvHeads}, ${present.length}, ${kv.headDim}] was expected from config.json`);
        }
        return { picked, present };
      } finally {
        for (const t of Object.values(out)) t.dispose();
      }
    },
    release: () => session.release(),
  };
}

/** IEEE 754 half (as its 16 bits) to a number: fp16 ports return fp16 logits. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}
