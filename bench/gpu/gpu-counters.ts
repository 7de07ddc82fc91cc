// Counts what ORT's WebGPU EP asks of the device: compute pipelines created (and the time spent creating them),
// shader modules, and dispatches. Wraps Dawn's prototypes in Node (bench only: nothing in src/ or workers/ knows).

export interface GpuCounts {
  pipelines: number;
  /** Time inside createComputePipeline(Async) until the pipeline exists, summed (async ones may overlap). */
  pipelineMs: number;
  shaderModules: number;
  dispatches: number;
  submits: number;
}

type Proto = Record<string, unknown>;
type Globals = Record<string, { prototype: Proto } | undefined>;

const counts: GpuCounts = { pipelines: 0, pipelineMs: 0, shaderModules: 0, dispatches: 0, submits: 0 };

function wrap(proto: Proto | undefined, name: string, around: (orig: (...a: unknown[]) => unknown) => (this: unknown, ...a: unknown[]) => unknown): void {
  const orig = proto?.[name];
  if (typeof orig !== 'function') throw new Error(`gpu-counters: no ${name} to wrap`);
  proto![name] = around(orig as (...a: unknown[]) => unknown);
}

/** Installs the counters on the WebGPU globals (call after installDawn, before ORT creates its device). */
export function installGpuCounters(globals: Globals = globalThis as unknown as Globals): void {
  const device = globals.GPUDevice?.prototype;
  wrap(device, 'createComputePipeline', (orig) => function (this: unknown, ...a) {
    const t0 = performance.now();
    try {
      return orig.apply(this, a);
    } finally {
      counts.pipelines++;
      counts.pipelineMs += performance.now() - t0;
    }
  });
  wrap(device, 'createComputePipelineAsync', (orig) => function (this: unknown, ...a) {
    const t0 = performance.now();
    counts.pipelines++;
    return (orig.apply(this, a) as Promise<unknown>).finally(() => (counts.pipelineMs += performance.now() - t0));
  });
  wrap(device, 'createShaderModule', (orig) => function (this: unknown, ...a) {
    counts.shaderModules++;
    return orig.apply(this, a);
  });
  const pass = globals.GPUComputePassEncoder?.prototype;
  for (const name of ['dispatchWorkgroups', 'dispatchWorkgroupsIndirect']) {
    wrap(pass, name, (orig) => function (this: unknown, ...a) {
      counts.dispatches++;
      return orig.apply(this, a);
    });
  }
  wrap(globals.GPUQueue?.prototype, 'submit', (orig) => function (this: unknown, ...a) {
    counts.submits++;
    return orig.apply(this, a);
  });
}

/** The counts so far (a copy). */
export function gpuCounts(): GpuCounts {
  return { ...counts };
}

export function countsSince(before: GpuCounts): GpuCounts {
  const now = gpuCounts();
  return {
    pipelines: now.pipelines - before.pipelines, pipelineMs: now.pipelineMs - before.pipelineMs,
    shaderModules: now.shaderModules - before.shaderModules, dispatches: now.dispatches - before.dispatches,
    submits: now.submits - before.submits,
  };
}
