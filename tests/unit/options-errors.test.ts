import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, RerankError, deserializeError, serializeError } from '../../src/errors.ts';
import { resolveTopK } from '../../src/call-options.ts';
import { resolveOptions } from '../../src/options.ts';
import { installErrorTransfer } from '../../src/protocol.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as RerankError).code;
  }
  return undefined;
}

describe('resolveOptions', () => {
  it('fills the documented defaults', () => {
    expect(resolveOptions({})).toEqual({
      model: 'Xenova/ms-marco-MiniLM-L-6-v2', hubUrl: 'https://huggingface.co', revision: 'main', device: 'auto', dtype: 'auto',
      maxLength: null, batchSize: null, numThreads: null, wasmSessions: 'auto', wasmPaths: null, cache: true, persistStorage: false, integrity: {}, verifyGpu: true, webgpuShapes: 'exact',
      decoder: {
        mode: 'pointwise', instruction: null, sharedPrefix: true, pruneLmHead: true, window: 20, stride: 10, passageTokens: 128, recipe: 'auto', gpuPrefixCache: true,
        allowSlowDevice: false, slowDeviceLimits: { modelMB: 100, msPer1kTokens: 2000 },
      },
    });
  });

  it('resolves recipes by name or validates a recipe object, and checks the slow-device limits', () => {
    // A typo in a preset name or a malformed recipe fails at createReranker, before any download.
    expect(resolveOptions({ recipe: 'mxbai-rerank-v2' }).decoder.recipe).toBe('mxbai-rerank-v2');
    expect(codeOf(() => resolveOptions({ recipe: 'mxbai' as never }))).toBe('INVALID_OPTION');
    expect(codeOf(() => resolveOptions({ recipe: { prefix: ['no query'] } as never }))).toBe('INVALID_OPTION');
    const own = resolveOptions({ recipe: { name: 'mine', prefix: ['Q: {query}\nD:'], document: ' {document}', suffix: ['\nA:'], tokens: ['yes', 'no'], score: 'margin', instructionFormat: '{text}', defaultInstruction: null } }).decoder.recipe;
    expect(own).toMatchObject({ name: 'mine', score: 'margin' });
    expect(resolveOptions({ slowDeviceLimits: { msPer1kTokens: 5000 } }).decoder.slowDeviceLimits).toEqual({ modelMB: 100, msPer1kTokens: 5000 });
    expect(codeOf(() => resolveOptions({ slowDeviceLimits: { modelMB: -1 } }))).toBe('INVALID_OPTION');
  });

  it('resolves the decoder options and rejects windows that letters cannot label', () => {
    // The stride defaults to half the window, so that consecutive windows overlap by half (FIRST, RankGPT).
    expect(resolveOptions({ mode: 'listwise', listwise: { window: 8 } }).decoder).toMatchObject({ mode: 'listwise', window: 8, stride: 4 });
    expect(codeOf(() => resolveOptions({ mode: 'pairwise' as never }))).toBe('INVALID_OPTION');
    expect(codeOf(() => resolveOptions({ listwise: { window: 27 } }))).toBe('INVALID_OPTION');
    expect(codeOf(() => resolveOptions({ listwise: { window: 10, stride: 10 } }))).toBe('INVALID_OPTION');
    expect(codeOf(() => resolveOptions({ instruction: 3 as never }))).toBe('INVALID_OPTION');
  });

  it('trims a trailing slash from hubUrl', () => {
    expect(resolveOptions({ hubUrl: 'http://127.0.0.1:1/' }).hubUrl).toBe('http://127.0.0.1:1');
  });

  it('rejects unknown devices and dtypes, and bad numbers, with INVALID_OPTION', () => {
    expect(codeOf(() => resolveOptions({ device: 'cuda' as never }))).toBe('INVALID_OPTION');
    expect(codeOf(() => resolveOptions({ dtype: 'int3' as never }))).toBe('INVALID_OPTION');
    expect(codeOf(() => resolveOptions({ maxLength: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => resolveOptions({ batchSize: 1.5 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => resolveOptions({ wasmSessions: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => resolveOptions({ wasmSessions: 'many' as never }))).toBe('INVALID_OPTION');
    expect(codeOf(() => resolveOptions({ model: ' ' }))).toBe('INVALID_OPTION');
  });
});

describe('resolveTopK', () => {
  it('defaults to all and caps at the number of documents', () => {
    expect(resolveTopK(undefined, 7)).toBe(7);
    expect(resolveTopK(100, 7)).toBe(7);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3'])('rejects topK %s with INVALID_ARGUMENT', (k) => {
    expect(codeOf(() => resolveTopK(k, 7))).toBe('INVALID_ARGUMENT');
  });
});

describe('errors', () => {
  it('every code has a description', () => {
    for (const [code, text] of Object.entries(ERROR_CODES)) expect(text.length, code).toBeGreaterThan(10);
  });

  it('round-trips code, message and details through the plain wire shape', () => {
    const e = deserializeError(serializeError(new RerankError('MODEL_NOT_FOUND', 'x: 404', { file: 'x', status: 404 })));
    expect(e).toBeInstanceOf(RerankError);
    expect([e.code, e.message, e.details]).toEqual(['MODEL_NOT_FOUND', 'x: 404', { file: 'x', status: 404 }]);
  });

  it('an uncoded error becomes INFERENCE_FAILED with its message', () => {
    expect(deserializeError(serializeError(new TypeError('boom')))).toMatchObject({ code: 'INFERENCE_FAILED', message: 'boom' });
  });

  it('keeps its code across a real Comlink boundary', async () => {
    installErrorTransfer();
    const { port1, port2 } = new MessageChannel();
    Comlink.expose({ fail: () => { throw new RerankError('MODEL_INVALID', 'bad file', { file: 'onnx/model.onnx' }); } }, port1 as unknown as Comlink.Endpoint);
    const remote = Comlink.wrap<{ fail(): void }>(port2 as unknown as Comlink.Endpoint);
    const err = await remote.fail().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RerankError);
    expect(err).toMatchObject({ code: 'MODEL_INVALID', details: { file: 'onnx/model.onnx' } });
    port1.close();
    port2.close();
  });
});
