// The run-plan A/B: raw onnxruntime-web (no tokenizer, no library) running several plans (documents per run, padding)
// over the same token lengths, interleaved round by round so that a shared machine's background load hits all alike.
// ORT sits inlined in this worker's chunk, so its pthreads start from this file too: they must not take our messages.
import type * as Ort from 'onnxruntime-web/webgpu';
interface Msg { threads: number; models: Record<string, { url: string; options: Record<string, unknown> }>; plans: { name: string; model: string; plan: [number, number][] }[]; rounds: number }
export function serve(ort: typeof Ort): void {
  if (self.name.startsWith('em-pthread')) return;
  self.onmessage = async (e: MessageEvent<Msg>) => {
    try {
      const { threads, models, plans, rounds } = e.data;
      ort.env.wasm.numThreads = threads;
      ort.env.logLevel = 'error';
      const sessions: Record<string, Ort.InferenceSession> = {};
      for (const [k, { url, options }] of Object.entries(models)) {
        const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
        sessions[k] = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', ...options });
      }
      const run = async (s: Ort.InferenceSession, b: number, l: number) => {
        const n = b * l;
        const ids = new BigInt64Array(n).map((_, i) => BigInt(1000 + (i * 7919) % 20000));
        const ones = new BigInt64Array(n).fill(1n);
        const zeros = new BigInt64Array(n);
        await s.run({ input_ids: new ort.Tensor('int64', ids, [b, l]), attention_mask: new ort.Tensor('int64', ones, [b, l]), token_type_ids: new ort.Tensor('int64', zeros, [b, l]) });
      };
      for (const p of plans) for (const [b, l] of p.plan.slice(0, 4)) await run(sessions[p.model]!, b, l);
      await new Promise((r) => setTimeout(r, 1000));
      const times: Record<string, number[]> = {};
      for (let k = 0; k < rounds; k++) {
        for (let j = 0; j < plans.length; j++) {
          const p = plans[(j + k) % plans.length]!;
          const t0 = performance.now();
          for (const [b, l] of p.plan) await run(sessions[p.model]!, b, l);
          (times[p.name] ??= []).push(performance.now() - t0);
        }
      }
      self.postMessage({ times, version: ort.env.versions.web });
    } catch (err) {
      self.postMessage({ times: {}, version: 'error ' + String(err) });
    }
  };
}
