// The WebGPU device ORT's sessions run on. Normally ORT's own; on an adapter whose subgroups can be narrower than 8
// lanes (SwiftShader: 4), a device of our own without the subgroup features, because ORT-web 1.30's (and 1.31-dev's)
// flash-attention prefill shader assumes at least 8: with 4 it steps through the keys 4 at a time but scores 8, so
// every query past position 3 attends to keys it should not, in any attention op run with 32 or more new tokens
// (GroupQueryAttention here). Without subgroups ORT takes the shader's shared-memory path, which is exact
// (bench/experiments/gqa-webgpu.ts; docs/decoder-rerankers.md, "Fused attention").
import type * as Ort from 'onnxruntime-web/webgpu';

/** The narrowest subgroup the flash-attention shader handles (its sg_size <= 8 branch scores 8 keys per step). */
export const MIN_SAFE_SUBGROUP = 8;

let ours: Promise<GPUDevice | null> | null = null;

/** Our device when the adapter needs one (see above), else null: ORT creates and keeps its own. One per worker. */
export function ownWebGpuDevice(): Promise<GPUDevice | null> {
  ours ??= (async () => {
    const adapter = await (navigator as Navigator & { gpu?: GPU }).gpu?.requestAdapter().catch(() => null);
    const info = adapter?.info as (GPUAdapterInfo & { subgroupMinSize?: number }) | undefined;
    if (!adapter || !adapter.features.has('subgroups') || !(typeof info?.subgroupMinSize === 'number' && info.subgroupMinSize < MIN_SAFE_SUBGROUP)) return null;
    // Every other feature and limit of the adapter, as ORT asks for them; 'subgroup-size-control' would bring
    // subgroups back, so it goes too.
    const requiredFeatures = [...adapter.features].filter((f) => !f.startsWith('subgroup')) as GPUFeatureName[];
    const requiredLimits: Record<string, number> = {};
    for (const k in adapter.limits) {
      const v = (adapter.limits as unknown as Record<string, unknown>)[k];
      if (typeof v === 'number') requiredLimits[k] = v;
    }
    return adapter.requestDevice({ requiredFeatures, requiredLimits });
  })().catch(() => null);
  return ours;
}

/** The WebGPU entry of a session's executionProviders: ORT's device, or ours. */
export async function webgpuProvider(): Promise<Ort.InferenceSession.ExecutionProviderConfig> {
  const device = await ownWebGpuDevice();
  return device ? ({ name: 'webgpu', device } as Ort.InferenceSession.ExecutionProviderConfig) : 'webgpu';
}
