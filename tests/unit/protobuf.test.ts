// The bounded protobuf reader/writer under the LM-head rewrite (src/core/protobuf.ts): varints round-trip, and
// arbitrary bytes never make the reader step outside its message (it throws RangeError instead).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fields, readVarint, varint, Writer } from '../../src/core/protobuf.ts';

describe('protobuf wire format', () => {
  it('varints round-trip, negative int64 included (ONNX stores axes such as -1 as 10 bytes)', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), (v) => {
      const b = Uint8Array.from(varint(v));
      const r = readVarint(b, 0, b.length);
      expect(r).toEqual({ value: v, next: b.length });
    }));
    expect(varint(-1)).toHaveLength(10);
  });

  it('written messages read back field by field', () => {
    // Guards the writer's tags and lengths, which the in-place rewrite must get byte-exact.
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 2000 }), fc.oneof(fc.nat(), fc.string())), { maxLength: 20 }), (items) => {
      const w = new Writer();
      for (const [no, v] of items) typeof v === 'number' ? w.varint(no, v) : w.string(no, v);
      const buf = w.finish();
      const got = [...fields(buf, 0, buf.length)].map((f) => [f.no, f.wire === 0 ? f.value : new TextDecoder().decode(buf.subarray(f.start, f.end))]);
      expect(got).toEqual(items);
    }));
  });

  it('random bytes either parse within bounds or throw RangeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (buf) => {
      try {
        for (const f of fields(buf, 0, buf.length)) expect(f.end).toBeLessThanOrEqual(buf.length);
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
      }
    }));
  });
});
