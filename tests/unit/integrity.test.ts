import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pinToHex } from '../../src/core/integrity.ts';
import { resolveOptions } from '../../src/options.ts';

describe('integrity pins', () => {
  const data = Buffer.from('model bytes');
  const hex = createHash('sha256').update(data).digest('hex');
  const sri = `sha256-${createHash('sha256').update(data).digest('base64')}`;

  it('accepts hex (any case) and SRI forms, meaning the same digest', () => {
    expect(pinToHex(hex.toUpperCase())).toBe(hex);
    expect(pinToHex(sri)).toBe(hex);
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'abc', 'sha384-xyz', `${hex}0`, 'sha256-short=']) expect(pinToHex(bad)).toBeNull();
  });

  it('createReranker options validate pins up front with INVALID_OPTION', () => {
    expect(resolveOptions({ integrity: { 'onnx/model.onnx': sri } }).integrity).toEqual({ 'onnx/model.onnx': hex });
    expect(() => resolveOptions({ integrity: { 'onnx/model.onnx': 'md5-abc' } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
