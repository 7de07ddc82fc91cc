// A causal LM's ONNX session (the hub's decoder ports: input_ids, attention_mask, position_ids,
// past_key_values.N.key/value in; logits, present.N.key/value out), run with or without a key/value cache.
import type * as Ort from 'onnxruntime-web/webgpu';
import type { RunDevice } from '../../src/core/model-policy.ts';
import { RerankError } from '../../src/errors.ts';
import { createKvExpander, type KvExpander } from './kv-expand.ts';

type KvData = Float32Array | Uint16Array;

/**
 * A key/value cache of one sequence (batch 1): per layer, key and value as [kvHeads, length, headDim], in the worker's
 * memory (`keys`/`values`) or, on WebGPU with gpuPrefixCache, left in the GPU buffers the run wrote (`gpu`).
 */
export interface KvCache {
  length: number;
  keys: KvData[];
  values: KvData[];
  /** The run's present.* tensors, still on the GPU; null when the cache was read back into `keys`/`values`. */
  gpu: { keys: Ort.Tensor[]; values: Ort.Tensor[] } | null;
  /** Bytes of this cache read back from the device into the worker's memory (0 when it stayed on the GPU). */
  bytesToCpu: number;
  /** Frees the GPU buffers (a no-op for a cache in the worker's memory). */
  dispose(): void;
}

/**
 * Session options for a decoder: on WebGPU with `gpuPrefix`, the present.* outputs stay in GPU buffers (ORT's
 * preferredOutputLocation), so that the prefix cache feeds the document runs without a copy through the worker.
 * Logits stay 'cpu': the scorer reads them there.
 */
export function decoderSessionOptions(device: RunDevice, config: Record<string, unknown>, gpuPrefix: boolean): Pick<Ort.InferenceSession.SessionOptions, 'preferredOutputLocation'> {
  const layers = config.num_hidden_layers;
  if (device !== 'webgpu' || !gpuPrefix || typeof layers !== 'number') return {};
  const where: Record<string, 'gpu-buffer'> = {};
  for (let l = 0; l < layers; l++) where[`present.${l}.key`] = where[`present.${l}.value`] = 'gpu-buffer';
  return { preferredOutputLocation: where };
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
  /** Bytes of the logits tensor the run returned (all its rows and positions): what a pruned head keeps small. */
  logitsBytes: number;
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
  let expander: Promise<KvExpander> | null = null;
  /** The GPU cache's tensors for a run of n rows: as they are for one row, repeated on the GPU for more. */
  const gpuPast = async (gpu: NonNullable<KvCache['gpu']>, n: number): Promise<{ keys: Ort.Tensor[]; values: Ort.Tensor[]; owned: boolean }> => {
    if (n === 1) return { ...gpu, owned: false };
    expander ??= createKvExpander(ort, 2 * kv.layers, kv.type === 'float16');
    const out = await (await expander).expand([...gpu.keys, ...gpu.values], n);
    return { keys: out.slice(0, kv.layers), values: out.slice(kv.layers), owned: true };
  };
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
      // Tensors this run made and frees; a GPU cache given as it is belongs to the caller.
      const owned: Ort.Tensor[] = Object.values(feeds);
      const onGpu = past?.gpu ? await gpuPast(past.gpu, n) : null;
      if (onGpu?.owned) owned.push(...onGpu.keys, ...onGpu.values);
      for (let l = 0; l < kv.layers; l++) {
        const dims = [n, kv.kvHeads, P, kv.headDim];
        const cpu = (k: 'keys' | 'values') => {
          const t = new ort.Tensor(kv.type, past ? tile(past[k][l]!, n) : empty(), dims);
          owned.push(t);
          return t;
        };
        feeds[`past_key_values.${l}.key`] = onGpu ? onGpu.keys[l]! : cpu('keys');
        feeds[`past_key_values.${l}.value`] = onGpu ? onGpu.values[l]! : cpu('values');
      }
      const fetches = ['logits'];
      if (keepPresent) for (let l = 0; l < kv.layers; l++) fetches.push(`present.${l}.key`, `present.${l}.value`);
      let out: Ort.InferenceSession.ReturnType;
      try {
        out = await session.run(feeds, fetches);
      } catch (e) {
        throw new RerankError('INFERENCE_FAILED', `ONNX Runtime failed on a decoder run of ${n}x${L} after ${P} cached tokens on ${device}: ${(e as Error).message}`);
      } finally {
        for (const t of owned) t.dispose();
      }
      // present.* tensors kept on the GPU as the cache: the caller frees them (KvCache.dispose).
      let kept: Ort.Tensor[] = [];
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
          present = await keepCache(out, P + L);
          kept = present.gpu ? [...present.gpu.keys, ...present.gpu.values] : [];
        }
        return { picked, present, logitsBytes: data.byteLength };
      } finally {
        for (const t of Object.values(out)) if (!kept.includes(t)) t.dispose();
      }
    },
    release: async () => {
      if (expander) await (await expander).release();
      await session.release();
    },
  };

  /** The run's present.* as a KvCache: left on the GPU where ORT put them there, else read into the worker. */
  async function keepCache(out: Ort.InferenceSession.ReturnType, length: number): Promise<KvCache> {
    const key = (l: number) => out[`present.${l}.key`]!;
    const value = (l: number) => out[`present.${l}.value`]!;
    const dims = key(0).dims;
    if (dims[1] !== kv.kvHeads || dims[2] !== length || dims[3] !== kv.headDim) {
      throw new RerankError('MODEL_UNSUPPORTED', `present.0.key has shape [${dims.join(', ')}]; [1, ${kv.kvHeads}, ${length}, ${kv.headDim}] was expected from config.json`);
    }
    const all = Array.from({ length: kv.layers }, (_, l) => [key(l), value(l)]).flat();
    if (all.every((t) => t.location === 'gpu-buffer')) {
      const gpu = { keys: all.filter((_, i) => i % 2 === 0), values: all.filter((_, i) => i % 2 === 1) };
      return { length, keys: [], values: [], gpu, bytesToCpu: 0, dispose: () => all.forEach((t) => t.dispose()) };
    }
    const cache: KvCache = { length, keys: [], values: [], gpu: null, bytesToCpu: 0, dispose: () => {} };
    for (let l = 0; l < kv.layers; l++) {
      cache.keys.push((await key(l).getData()) as KvData);
      cache.values.push((await value(l).getData()) as KvData);
      cache.bytesToCpu += cache.keys[l]!.byteLength + cache.values[l]!.byteLength;
    }
    if (cache.keys[0]!.length !== per * length) {
      throw new RerankError('MODEL_UNSUPPORTED', `present.0.key holds ${cache.keys[0]!.length} values; [1, ${kv.kvHeads}, ${length}, ${kv.headDim}] was expected from config.json`);
    }
    return cache;
  }
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
