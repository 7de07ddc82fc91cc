// TEMPORARY experiment: the same ONNX Runtime runs on two ORT builds.
import type * as Ort from 'onnxruntime-web/webgpu';
export function serve(ort: typeof Ort): void {
  if (self.name.startsWith('em-pthread')) return;
  self.onmessage = async (e: MessageEvent<{ url: string; threads: number; plan: [number, number][]; rounds: number }>) => {
    const { url, threads, plan, rounds } = e.data;
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const run = async (b: number, l: number) => {
      const n = b * l;
      const ids = new BigInt64Array(n).map((_, i) => BigInt(1000 + (i * 7919) % 20000));
      const ones = new BigInt64Array(n).fill(1n);
      const zeros = new BigInt64Array(n);
      await s.run({ input_ids: new ort.Tensor('int64', ids, [b, l]), attention_mask: new ort.Tensor('int64', ones, [b, l]), token_type_ids: new ort.Tensor('int64', zeros, [b, l]) });
    };
    for (const [b, l] of plan.slice(0, 6)) await run(b, l);
    await new Promise((r) => setTimeout(r, 1000));
    const times: number[] = [];
    for (let k = 0; k < rounds; k++) {
      const t0 = performance.now();
      for (const [b, l] of plan) await run(b, l);
      times.push(performance.now() - t0);
    }
    self.postMessage({ times, version: ort.env.versions.web });
  };
}
