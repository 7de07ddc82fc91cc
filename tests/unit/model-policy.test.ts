import { describe, expect, it } from 'vitest';
import { autoDeviceReason, chooseDtype, isDynamicInt8, modelFileUrl, onnxFileFor } from '../../src/core/model-policy.ts';

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
