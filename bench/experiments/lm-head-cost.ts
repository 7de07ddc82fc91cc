// What the LM head costs in onnxruntime-node, and whether ONNX Runtime skips it when `logits` is not fetched:
// one 300-token run of a fused-attention Qwen3 graph (hidden 64, 2 layers) with an untied 151,669-token head,
// fetching `logits`, fetching only `present.0.key`, and with the head pruned to two tokens (src/core/lm-head.ts),
// interleaved over rounds; then what the rewrite itself costs (time, and new ArrayBuffer bytes it leaves allocated)
// appended (a copy) and in place. Run: npx tsx bench/experiments/lm-head-cost.ts [--rounds 7]
import * as ort from 'onnxruntime-node';
import { buildQwen3Gqa } from '../../tools/models/qwen3-gqa.ts';
import { qwen3Weights } from '../../tools/models/qwen3.ts';
import { DECODER_SPECS } from '../../tools/models/specs.ts';
import { pruneLmHead } from '../../src/core/lm-head.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] || 7) || 7;
const sp = DECODER_SPECS.find((s) => s.name === 'tiny-qwen3-gqa')!;
const shape = { ...sp.shape, vocabSize: 151_669, tied: false };
const bytes = buildQwen3Gqa(shape, qwen3Weights(shape, 5), 'fp32');
const pruned = pruneLmHead(new Uint8Array(bytes), [100, 200]).bytes;
const T = 300;
const feeds = () => {
  const f: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from({ length: T }, (_, i) => BigInt(i % 900)), [1, T]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(T).fill(1n), [1, T]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: T }, (_, i) => BigInt(i)), [1, T]),
  };
  for (let l = 0; l < shape.layers; l++) for (const k of ['key', 'value']) f[`past_key_values.${l}.${k}`] = new ort.Tensor('float32', new Float32Array(0), [1, shape.kvHeads, 0, shape.headDim]);
  return f;
};
const full = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
const cut = await ort.InferenceSession.create(pruned, { intraOpNumThreads: 2 });
const time = async (s: ort.InferenceSession, fetch: string[]) => { const t = performance.now(); await s.run(feeds(), fetch); return performance.now() - t; };
const rows: Record<string, number[]> = { 'full head, logits fetched': [], 'full head, only present.0.key fetched': [], 'pruned head (2 tokens), logits fetched': [] };
const [a, b, c] = Object.values(rows) as [number[], number[], number[]];
for (let r = 0; r < rounds; r++) {
  a.push(await time(full, ['logits']));
  b.push(await time(full, ['present.0.key']));
  c.push(await time(cut, ['logits']));
}
const med = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)]!;
console.log(`onnxruntime-node ${ort.env.versions.node}, 2 threads, 1 x ${T} tokens, ${rounds} rounds (median [min-max] ms):`);
for (const [k, v] of Object.entries(rows)) console.log(`  ${k}: ${med(v).toFixed(1)} [${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)}]`);

// The rewrite: new ArrayBuffer bytes held after it (the result kept alive), appended vs in place.
const rewrite = (inPlace: boolean) => {
  const input = new Uint8Array(bytes); // a private copy, allocated before the measurement starts
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().arrayBuffers;
  const t = performance.now();
  const r = pruneLmHead(input, [100, 200], { inPlace });
  const ms = performance.now() - t;
  const extra = process.memoryUsage().arrayBuffers - before;
  return { ms, extra, inPlace: r.inPlace, size: r.bytes.byteLength, keep: r };
};
for (const inPlace of [false, true]) {
  const r = rewrite(inPlace);
  console.log(`rewrite ${inPlace ? 'in place' : 'appended'} of a ${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB model: ${r.ms.toFixed(1)} ms, ` +
    `${(r.extra / 2 ** 20).toFixed(2)} MiB of new ArrayBuffer memory held, result ${(r.size / 2 ** 20).toFixed(1)} MiB (in place: ${r.inPlace})`);
}
