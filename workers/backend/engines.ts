// The seam between the worker and the model families: what an engine offers the worker (RerankEngine), and
// loadEngine, which picks the family from config.json. The device guard both families score through is device-guard.ts.
import type { WorkerLoadOptions } from '../../src/options.ts';
import type { PassageOptions, ProgressEvent, RerankerInfo, ScoreReply } from '../../src/protocol.ts';
import type { ScoreControl } from './device-guard.ts';
import { beginLoad, isCausalLm } from './loader.ts';



/** What the worker holds: a cross-encoder or a decoder engine. */
export interface RerankEngine {
  readonly info: RerankerInfo;
  score(query: string, texts: string[], passages: PassageOptions, ctl: ScoreControl): Promise<ScoreReply>;
  dispose(): Promise<void>;
}

/** Loads the model the options name, as the family its config.json says (a causal LM is a decoder reranker). */
export async function loadEngine(o: WorkerLoadOptions, emit: (e: ProgressEvent) => void, signal?: AbortSignal): Promise<RerankEngine> {
  const ctx = await beginLoad(o, emit, signal);
  if (!isCausalLm(ctx.config)) {
    const { CrossEncoderEngine } = await import('./cross-encoder-engine.ts');
    return CrossEncoderEngine.load(ctx);
  }
  const { DecoderEngine } = await import('./decoder-engine.ts');
  return DecoderEngine.load(ctx);
}
