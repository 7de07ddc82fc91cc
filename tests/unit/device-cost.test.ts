// The MODEL_TOO_SLOW rule (src/core/device-cost.ts): only device 'auto' that landed a real-size decoder on a slow WASM
// is refused, and the message says why and what to use instead.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLOW_DEVICE_LIMITS, slowDeviceMessage, type SlowDeviceInput } from '../../src/core/device-cost.ts';

// Qwen3-Reranker-0.6B q8 on WASM: 596 MB; about 10 s per 300 tokens (issue 25's onnxruntime-node figure x 4).
const real: SlowDeviceInput = {
  requested: 'auto', device: 'wasm', modelBytes: 596e6, msPer1kTokens: 33_000, limits: DEFAULT_SLOW_DEVICE_LIMITS, allow: false,
  fallbackReason: 'no WebGPU adapter',
};

describe('slowDeviceMessage', () => {
  it('refuses a real-size decoder that auto left on a slow WASM, and says what to do', () => {
    const m = slowDeviceMessage(real)!;
    expect(m).toContain('596 MB');
    expect(m).toContain('33000 ms per 1,000 tokens');
    expect(m).toContain('about 198 s'); // 20 x 300 tokens at 33 s per 1,000
    expect(m).toMatch(/cross-encoder preset/);
    expect(m).toMatch(/WebGPU/);
    expect(m).toMatch(/allowSlowDevice: true/);
    expect(m).toContain('no WebGPU adapter');
  });

  it('lets the load go on when the caller opted in, chose the device, or landed on WebGPU', () => {
    // An explicit device: 'wasm' is the caller's decision; the refusal is about what 'auto' chose for them.
    expect(slowDeviceMessage({ ...real, allow: true })).toBeNull();
    expect(slowDeviceMessage({ ...real, requested: 'wasm' })).toBeNull();
    expect(slowDeviceMessage({ ...real, device: 'webgpu' })).toBeNull();
  });

  it('needs both: a file of real size and a measured cost above the limit', () => {
    // A small decoder is not refused on a slow machine; a big one on a fast CPU is not either.
    expect(slowDeviceMessage({ ...real, modelBytes: 99e6 })).toBeNull();
    expect(slowDeviceMessage({ ...real, msPer1kTokens: 2000 })).toBeNull();
    expect(slowDeviceMessage({ ...real, msPer1kTokens: 2001 })).not.toBeNull();
    expect(slowDeviceMessage({ ...real, modelBytes: 1e6, msPer1kTokens: 50, limits: { modelMB: 0.5, msPer1kTokens: 10 } })).not.toBeNull();
  });
});
