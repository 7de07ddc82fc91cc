// inlineAsExternal (src/core/onnx-inline-external.ts): an in-memory model handed to ONNX Runtime as a small graph
// whose large initializers point into the model's own bytes (external data). It must give exactly the original's
// outputs (checked in onnxruntime-node, which reads the same external-data fields from a file beside the graph), and
// every moved initializer must point at precisely its old raw_data bytes (a property over random tensor sets).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { inlineAsExternal } from '../../src/core/onnx-inline-external.ts';
import { pruneLmHead } from '../../src/core/lm-head.ts';
import { buildQwen3Gqa } from '../../tools/models/qwen3-gqa.ts';
import { qwen3Weights } from '../../tools/models/qwen3.ts';
import { DECODER_SPECS } from '../../tools/models/specs.ts';
import type { Quant } from '../../tools/models/bert.ts';
import { encode, rerankerPrompt, step } from './decoder-support.ts';

const { onnx } = onnxProto;
const LOCATION = 'rerank-web-inline.bin';
const IDS = encode(Object.values(rerankerPrompt('cats and dogs', 'fish in water')).join('')).slice(-16);

/** Runs a decoder graph on IDS in onnxruntime-node: from bytes, or from a folder holding the graph and LOCATION. */
async function logits(model: Uint8Array | string): Promise<Float32Array> {
  const s = typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model);
  const spec = DECODER_SPECS.find((x) => x.name === 'tiny-qwen3-gqa')!;
  const r = await step(s, [IDS], [IDS.map(() => 1)], [IDS.map((_, i) => i)], null, spec.shape.kvHeads, spec.shape.headDim);
  await s.release();
  return r.logits;
}

function writeSplit(original: Uint8Array, graph: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inline-ext-'));
  fs.writeFileSync(path.join(dir, 'model.onnx'), graph);
  fs.writeFileSync(path.join(dir, LOCATION), original);
  return path.join(dir, 'model.onnx');
}

describe('inlineAsExternal', () => {
  const spec = DECODER_SPECS.find((x) => x.name === 'tiny-qwen3-gqa')!;
  const weights = qwen3Weights(spec.shape, spec.seed);
  // fp32 (MatMul), q8 (MatMulInteger), q4 (MatMulNBits); and after the LM-head rewrite, appended (a second graph
  // field, which protobuf merges) and in place (the disabled head's fields are dropped from the small graph).
  for (const dtype of ['fp32', 'q8', 'q4'] as Quant[]) {
    for (const head of ['full', 'pruned, appended', 'pruned, in place'] as const) {
      it(`${dtype}, ${head} head: the small graph plus the model's own bytes give exactly the original's logits`, async () => {
        let model = buildQwen3Gqa(spec.shape, weights, dtype);
        if (head !== 'full') {
          const r = pruneLmHead(model, [5, 9], { inPlace: head === 'pruned, in place' });
          expect(r.pruned).toBe(true);
          model = r.bytes;
        }
        const want = await logits(model);
        const split = inlineAsExternal(model, LOCATION)!;
        expect(split.moved).toBeGreaterThan(10);
        // The graph ORT parses is a small fraction of the model: the weights stay in the caller's buffer.
        expect(split.graph.length).toBeLessThan(model.length * 0.1);
        expect(split.movedBytes).toBeGreaterThan(model.length * 0.85);
        const got = await logits(writeSplit(model, split.graph));
        expect(got).toEqual(want);
      });
    }
  }

  it('a model without a large inline initializer comes back as null (used as it is)', () => {
    const t = onnx.TensorProto.create({ name: 'w', dataType: 1, dims: [2], rawData: new Uint8Array(8) });
    const m = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, graph: onnx.GraphProto.create({ name: 'g', initializer: [t] }) })).finish();
    expect(inlineAsExternal(m, LOCATION)).toBeNull();
  });

  it('property: each moved initializer points at exactly its raw_data bytes; the rest stay as they were', () => {
    fc.assert(fc.property(fc.array(fc.record({ n: fc.integer({ min: 0, max: 3000 }), seed: fc.integer({ min: 0, max: 255 }), external: fc.boolean() }), { minLength: 1, maxLength: 8 }), (specs) => {
      const init = specs.map((s, i) => onnx.TensorProto.create({
        name: `w${i}`, dataType: 2, dims: [s.n],
        ...(s.external && s.n > 0
          ? { dataLocation: 1, externalData: [{ key: 'location', value: 'other.bin' }, { key: 'offset', value: '0' }, { key: 'length', value: String(s.n) }] }
          : { rawData: Uint8Array.from({ length: s.n }, (_, k) => (k * 31 + s.seed) & 255) }),
      }));
      const m = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, producerName: 'p', graph: onnx.GraphProto.create({ name: 'g', initializer: init }) })).finish();
      const split = inlineAsExternal(m, LOCATION, 1024);
      const large = specs.filter((s) => !(s.external && s.n > 0) && s.n >= 1024).length;
      if (large === 0) return split === null;
      const back = onnx.ModelProto.decode(split!.graph);
      expect(back.producerName).toBe('p');
      expect(back.graph!.initializer!.map((t) => t.name)).toEqual(specs.map((_, i) => `w${i}`));
      back.graph!.initializer!.forEach((t, i) => {
        const s = specs[i]!;
        const kv = Object.fromEntries((t.externalData ?? []).map((e) => [e.key, e.value]));
        if (kv.location === LOCATION) {
          expect(t.dataLocation).toBe(1);
          expect(t.rawData?.length ?? 0).toBe(0);
          expect(Array.from(m.subarray(Number(kv.offset), Number(kv.offset) + Number(kv.length)))).toEqual(Array.from(init[i]!.rawData ?? []));
        } else {
          expect(onnx.TensorProto.encode(t).finish()).toEqual(onnx.TensorProto.encode(init[i]!).finish());
          expect(s.external || s.n < 1024).toBe(true);
        }
      });
      return split!.moved === large;
    }), { numRuns: 60 });
  });
});
