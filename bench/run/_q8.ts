import path from 'node:path';
import { createNative } from './native.ts';
import { loadWorkload } from './workload.ts';
const w = loadWorkload(2, [50]);
const dir = path.resolve('.models/rerank-web-test/ms-marco-MiniLM-L-6-v2');
const q = w.queries[0]!;
const runs: Record<string, number[]> = {};
for (const [name, file, bs] of [['q8 b1', 'onnx/model_quantized.onnx', 1], ['q8 b16', 'onnx/model_quantized.onnx', 16], ['fp32 b1', 'onnx/model.onnx', 1], ['fp32 b16', 'onnx/model.onnx', 16], ['q4 b16', 'onnx/model_q4.onnx', 16], ['q4 b1', 'onnx/model_q4.onnx', 1]] as const) {
  const n = await createNative({ modelDir: dir, onnxFile: file, threads: 2, batchSize: bs, maxLength: 512 });
  const r = await n.run(q.text, q.docs[50]!);
  runs[name] = r.scores;
  console.log(name, (r.latencyMs / 1000).toFixed(2), 's', r.scores.slice(0, 5).map((x) => x.toFixed(4)).join(' '));
  await n.release();
}
const d = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
console.log('q8 b1 vs b16', d(runs['q8 b1']!, runs['q8 b16']!), 'q8 vs fp32', d(runs['q8 b1']!, runs['fp32 b1']!), 'fp32 b1 vs b16', d(runs['fp32 b1']!, runs['fp32 b16']!), 'q4 vs fp32', d(runs['q4 b1']!, runs['fp32 b1']!), 'q4 b1 vs b16', d(runs['q4 b1']!, runs['q4 b16']!));
