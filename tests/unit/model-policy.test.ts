import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoDeviceReason, chooseDecoderDtype, softwareAdapterReason, chooseDtype, isDynamicInt8, modelFileUrl, onnxFileFor, planWasmSessions, runBatchSize, defaultMaxLength, DECODER_DEFAULT_MAX_LENGTH, DECODER_PRUNED_MAX_LENGTH, LONG_WINDOW_DEFAULT, resolveMaxLength, STANDARD_WINDOW } from '../../src/core/model-policy.ts';
import type { Dtype } from '../../src/options.ts';

describe('dtype choice', () => {
  it('auto on WASM: the int8 file the hub ports ship, fp32 if there is none', () => {
    expect(chooseDtype('wasm', 'auto', false).candidates).toEqual(['q8', 'fp32']);
  });

  it('auto on WebGPU never picks dynamic int8 (no WebGPU kernels) and picks fp16 only with shader-f16', () => {
    expect(chooseDtype('webgpu', 'auto', false).candidates).toEqual(['fp32']);
    expect(chooseDtype('webgpu', 'auto', true).candidates).toEqual(['fp16', 'fp32']);
  });

  it('an explicit fp16 on a WebGPU adapter without shader-f16 is an error, not garbage scores', () => {
    expect(chooseDtype('webgpu', 'fp16', false).error).toMatch(/shader-f16/);
    expect(chooseDtype('wasm', 'fp16', false).candidates).toEqual(['fp16']);
  });

  it('device auto with an explicit int8 dtype goes to WASM and says why', () => {
    expect(autoDeviceReason('q8')).toMatch(/no WebGPU kernels/);
    expect(autoDeviceReason('q4')).toBeNull();
    expect(isDynamicInt8('uint8')).toBe(true);
    expect(isDynamicInt8('q4')).toBe(false);
  });

  it('names files as the hub ports do', () => {
    expect(onnxFileFor('fp32')).toBe('onnx/model.onnx');
    expect(onnxFileFor('q8')).toBe('onnx/model_quantized.onnx');
    expect(onnxFileFor('q4')).toBe('onnx/model_q4.onnx');
    expect(onnxFileFor('fp16')).toBe('onnx/model_fp16.onnx');
  });
});

describe('modelFileUrl', () => {
  it('hub ids resolve to <hub>/<id>/resolve/<revision>/<file>', () => {
    expect(modelFileUrl({ model: 'Xenova/ms-marco-MiniLM-L-6-v2', hubUrl: 'https://huggingface.co', revision: 'main' }, 'onnx/model.onnx'))
      .toBe('https://huggingface.co/Xenova/ms-marco-MiniLM-L-6-v2/resolve/main/onnx/model.onnx');
  });

  it('a folder URL is used as it is', () => {
    expect(modelFileUrl({ model: 'https://cdn.example/models/x/', hubUrl: 'unused', revision: 'main' }, 'config.json'))
      .toBe('https://cdn.example/models/x/config.json');
  });
});

describe('WASM sessions side by side', () => {
  it('auto: one-thread sessions for dynamic int8 (one-document runs), at most 4; one session for batched dtypes', () => {
    expect(planWasmSessions('auto', 'q8', 2)).toEqual({ sessions: 2, threadsEach: 1 });
    expect(planWasmSessions('auto', 'q8', 8)).toEqual({ sessions: 4, threadsEach: 2 });
    // Not cross-origin isolated: one thread, so one session unless asked.
    expect(planWasmSessions('auto', 'q8', 1)).toEqual({ sessions: 1, threadsEach: 1 });
    expect(planWasmSessions('auto', 'fp32', 8)).toEqual({ sessions: 1, threadsEach: 8 });
    expect(planWasmSessions('auto', 'q4', 2)).toEqual({ sessions: 1, threadsEach: 2 });
  });

  it('an explicit count is kept, even above the threads (sessions need no SharedArrayBuffer)', () => {
    expect(planWasmSessions(3, 'fp32', 1)).toEqual({ sessions: 3, threadsEach: 1 });
  });

  it('never plans more threads than given, nor a session without a thread', () => {
    const dtypes: Dtype[] = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'];
    fc.assert(fc.property(fc.oneof(fc.constant('auto' as const), fc.integer({ min: 1, max: 16 })), fc.constantFrom(...dtypes), fc.integer({ min: 1, max: 64 }), (req, dtype, threads) => {
      const p = planWasmSessions(req, dtype, threads);
      expect(p.threadsEach).toBeGreaterThanOrEqual(1);
      expect(p.sessions).toBeGreaterThanOrEqual(1);
      if (p.sessions <= threads) expect(p.sessions * p.threadsEach).toBeLessThanOrEqual(threads);
    }));
  });
});

describe('documents per run', () => {
  it('dynamic int8 runs one document at a time whatever is asked (its scale spans the run)', () => {
    expect(runBatchSize('wasm', 'q8', 32)).toBe(1);
    expect(runBatchSize('wasm', 'uint8', null)).toBe(1);
  });

  it('defaults: small runs on WASM (measured fastest), larger on WebGPU; an explicit size wins', () => {
    expect(runBatchSize('wasm', 'fp32', null)).toBe(4);
    expect(runBatchSize('webgpu', 'fp32', null)).toBe(16);
    expect(runBatchSize('wasm', 'q4', 12)).toBe(12);
  });
});

describe('defaultMaxLength (issue 12: long windows)', () => {
  it('keeps classic windows at 512, including XLM-R whose config counts 514 positions', () => {
    // Guards the old behaviour: a 514 in config.json must not be read as a long window.
    expect(defaultMaxLength([512, 512])).toBe(512);
    expect(defaultMaxLength([512, 514])).toBe(512);
    expect(defaultMaxLength([undefined, undefined])).toBe(STANDARD_WINDOW);
    expect(defaultMaxLength([128, 512])).toBe(128);
  });
  it('gives 8k-window models the cost-based default, and a window below it the window', () => {
    // JinaBERT/ModernBERT: the window is 8,192 but one such pair costs as much as 49 of 256 tokens well before.
    expect(defaultMaxLength([8192, 8192])).toBe(LONG_WINDOW_DEFAULT);
    expect(defaultMaxLength([2048, 8192])).toBe(2048);
    expect(defaultMaxLength([1e30, 8192])).toBe(LONG_WINDOW_DEFAULT);
  });
});

describe('decoder defaults', () => {
  it('auto picks int8 on WASM, 4-bit on WebGPU (q4f16 with shader-f16), fp32 last', () => {
    // Guards the rule: these models are the reason a GPU matters, and their 4-bit files are the GPU ones.
    expect(chooseDecoderDtype('wasm', 'auto', false).candidates).toEqual(['q8', 'q4', 'fp32']);
    expect(chooseDecoderDtype('webgpu', 'auto', false).candidates).toEqual(['q4', 'fp32']);
    expect(chooseDecoderDtype('webgpu', 'auto', true).candidates).toEqual(['q4f16', 'q4', 'fp32']);
    expect(chooseDecoderDtype('webgpu', 'q4f16', false).error).toMatch(/shader-f16/);
  });
});

describe('software adapters under device auto', () => {
  const hw = { vendor: 'nvidia', architecture: 'ada', description: '', isFallbackAdapter: false };

  it("SwiftShader as Chromium reports it (fallback flag set) is refused, with the adapter's name and the way to force it", () => {
    // The adapter these machines offer, slower than WASM (issue 24).
    const why = softwareAdapterReason({ vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true });
    expect(why).toMatch(/software \(fallback\) adapter \(google swiftshader\)/);
    expect(why).toMatch(/device 'webgpu'/);
  });

  it('a software renderer without the flag is still recognised by its name', () => {
    // Browsers that leave isFallbackAdapter unset (older Chromium, other engines) still name the renderer.
    expect(softwareAdapterReason({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)', isFallbackAdapter: false })).toMatch(/software renderer/);
    expect(softwareAdapterReason({ vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: false })).toMatch(/software renderer/);
  });

  it('a hardware adapter is taken', () => {
    // A real GPU must not be refused: that would send every user to WASM.
    expect(softwareAdapterReason(hw)).toBeNull();
    fc.assert(fc.property(fc.constantFrom('nvidia', 'amd', 'intel', 'apple', 'qualcomm'), fc.constantFrom('ada', 'rdna-3', 'gen-12lp', 'metal-3', 'adreno-7xx'), (vendor, architecture) =>
      softwareAdapterReason({ vendor, architecture, description: '', isFallbackAdapter: false }) === null));
  });
});

describe('resolveMaxLength: the one default for both families', () => {
  it('the option wins; else the stated window, capped for decoders', () => {
    // Both engines take maxLength from here, so a cross-encoder and a decoder with the same config differ only by the cap.
    expect(resolveMaxLength('cross-encoder', 128, { max_position_embeddings: 512 }, {})).toBe(128);
    expect(resolveMaxLength('cross-encoder', null, { max_position_embeddings: 514 }, { model_max_length: 512 })).toBe(512);
    expect(resolveMaxLength('cross-encoder', null, { max_position_embeddings: 8192 }, {})).toBe(LONG_WINDOW_DEFAULT);
    expect(resolveMaxLength('decoder', null, { max_position_embeddings: 40960 }, {})).toBe(DECODER_DEFAULT_MAX_LENGTH);
    expect(resolveMaxLength('decoder', null, { max_position_embeddings: 512 }, {})).toBe(512);
    // A pruned LM head lifts the logits' cap; attention's memory caps it then (measured: docs/decoder-rerankers.md).
    expect(resolveMaxLength('decoder', null, { max_position_embeddings: 40960 }, {}, true)).toBe(DECODER_PRUNED_MAX_LENGTH);
    expect(DECODER_PRUNED_MAX_LENGTH).toBeGreaterThan(DECODER_DEFAULT_MAX_LENGTH);
    expect(resolveMaxLength('decoder', null, { max_position_embeddings: 512 }, {}, true)).toBe(512);
  });
});
