// A small, bounded protobuf wire-format reader and writer: enough to walk an ONNX ModelProto's graph (nodes,
// initializers, outputs) without decoding tensor payloads, and to write the few messages an LM-head rewrite adds.
// Every read is checked against its enclosing message's end, so a truncated or hostile buffer throws a RangeError
// instead of reading past it. No protobuf library: the worker stays small, and payloads are never copied.

export const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

/** One field of a message: its tag's byte offset, its payload's range (LEN) or its value (VARINT, I32, I64). */
export interface Field {
  no: number;
  wire: number;
  /** Offset of the tag's first byte. */
  at: number;
  /** Payload range for LEN fields (start inclusive, end exclusive); for other wire types, the value's bytes. */
  start: number;
  end: number;
  /** VARINT value (as a number; values beyond 2^53 lose precision, negative int64 come back negative). */
  value: number;
}

export function readVarint(buf: Uint8Array, pos: number, end: number): { value: number; next: number } {
  let lo = 0;
  let hi = 0;
  let shift = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new RangeError(`protobuf: varint runs past ${end}`);
    const b = buf[pos++]!;
    if (shift < 28) lo |= (b & 0x7f) << shift;
    else if (shift === 28) { lo |= (b & 0x0f) << 28; hi |= (b & 0x7f) >> 4; }
    else hi |= (b & 0x7f) << (shift - 32);
    shift += 7;
    if ((b & 0x80) === 0) {
      // Two's complement 64-bit: a set top bit is a negative int64 (ONNX stores axes such as -1 this way).
      const value = hi & 0x80000000 ? -((~hi >>> 0) * 2 ** 32 + (~lo >>> 0) + 1) : (hi >>> 0) * 2 ** 32 + (lo >>> 0);
      return { value, next: pos };
    }
  }
  throw new RangeError('protobuf: varint longer than 10 bytes');
}

/** The fields of the message in buf[start, end), in order. */
export function* fields(buf: Uint8Array, start: number, end: number): Generator<Field> {
  if (start < 0 || end > buf.length || start > end) throw new RangeError('protobuf: message range outside the buffer');
  let pos = start;
  while (pos < end) {
    const at = pos;
    const tag = readVarint(buf, pos, end);
    pos = tag.next;
    const no = Math.floor(tag.value / 8);
    const wire = tag.value & 7;
    if (no === 0) throw new RangeError(`protobuf: field number 0 at ${at}`);
    if (wire === WIRE.VARINT) {
      const v = readVarint(buf, pos, end);
      yield { no, wire, at, start: pos, end: v.next, value: v.value };
      pos = v.next;
    } else if (wire === WIRE.LEN) {
      const len = readVarint(buf, pos, end);
      const s = len.next;
      const e = s + len.value;
      if (len.value < 0 || e > end) throw new RangeError(`protobuf: field ${no} at ${at} runs past its message`);
      yield { no, wire, at, start: s, end: e, value: len.value };
      pos = e;
    } else if (wire === WIRE.I32 || wire === WIRE.I64) {
      const e = pos + (wire === WIRE.I32 ? 4 : 8);
      if (e > end) throw new RangeError(`protobuf: fixed field ${no} at ${at} runs past its message`);
      yield { no, wire, at, start: pos, end: e, value: 0 };
      pos = e;
    } else {
      throw new RangeError(`protobuf: wire type ${wire} (field ${no} at ${at}) is not supported`);
    }
  }
}

export const utf8 = (buf: Uint8Array, f: Field): string => new TextDecoder().decode(buf.subarray(f.start, f.end));

/** Repeated int64 (packed or not) from the fields numbered `no`. */
export function int64s(buf: Uint8Array, start: number, end: number, no: number): number[] {
  const out: number[] = [];
  for (const f of fields(buf, start, end)) {
    if (f.no !== no) continue;
    if (f.wire === WIRE.VARINT) out.push(f.value);
    else if (f.wire === WIRE.LEN) for (let p = f.start; p < f.end;) { const v = readVarint(buf, p, f.end); out.push(v.value); p = v.next; }
  }
  return out;
}

/** Bytes of a varint (non-negative, or negative as 10 bytes of two's complement). */
export function varint(value: number): number[] {
  const out: number[] = [];
  if (value < 0) {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) { out.push(Number(v & 0x7fn) | 0x80); v >>= 7n; }
    out.push(Number(v));
    return out;
  }
  let v = value;
  while (v >= 0x80) { out.push((v % 0x80) | 0x80); v = Math.floor(v / 0x80); }
  out.push(v);
  return out;
}

/** A message being written: fields appended in order, then `bytes()`. */
export class Writer {
  private parts: Uint8Array[] = [];
  length = 0;

  private push(b: Uint8Array | number[]): this {
    const u = b instanceof Uint8Array ? b : Uint8Array.from(b);
    this.parts.push(u);
    this.length += u.length;
    return this;
  }

  varint(no: number, value: number): this {
    return this.push([...varint(no * 8 + WIRE.VARINT), ...varint(value)]);
  }

  bytes(no: number, data: Uint8Array): this {
    this.push([...varint(no * 8 + WIRE.LEN), ...varint(data.length)]);
    return this.push(data);
  }

  string(no: number, s: string): this {
    return this.bytes(no, new TextEncoder().encode(s));
  }

  message(no: number, w: Writer): this {
    return this.bytes(no, w.finish());
  }

  /** Bytes copied as they are (fields read from another message). */
  raw(data: Uint8Array): this {
    return this.push(data);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let p = 0;
    for (const part of this.parts) { out.set(part, p); p += part.length; }
    return out;
  }
}
