import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { badLocation, externalDataFiles, externalDataPath, OnnxParseError } from '../../src/core/onnx-external.ts';
import { toExternalData } from '../../tools/models/external-data.ts';
import { Graph } from '../../tools/models/onnx-graph.ts';

const { onnx } = onnxProto;

/** A model whose initializers name the given (location, offset, length) entries; null: a tensor kept in the graph. */
function modelWith(tensors: ({ location: string; offset: number; length: number } | null)[], subgraph = false): Uint8Array {
  const init = tensors.map((t, i) => onnx.TensorProto.create({
    name: `w${i}`, dataType: 1, dims: [1],
    ...(t
      ? { dataLocation: 1, externalData: [{ key: 'location', value: t.location }, { key: 'offset', value: String(t.offset) }, { key: 'length', value: String(t.length) }] }
      : { rawData: new Uint8Array(4) }),
  }));
  const graph = subgraph
    ? onnx.GraphProto.create({
      name: 'outer',
      node: [onnx.NodeProto.create({ opType: 'If', attribute: [onnx.AttributeProto.create({ name: 'then_branch', type: 5, g: onnx.GraphProto.create({ name: 'inner', initializer: init }) })] })],
    })
    : onnx.GraphProto.create({ name: 'g', initializer: init });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, graph })).finish();
}

/** A generated-style model: one large weight (external-worthy) and one small one. */
function smallModel(): Uint8Array {
  const g = new Graph();
  const x = g.input('x', 1, [1, 512]);
  const w = g.f32('w', [512], new Float32Array(512).map((_, i) => i));
  const w2 = g.f32('w2', [512], new Float32Array(512).map((_, i) => -i));
  const b = g.f32('b', [1], [0.5]);
  const y = g.one('Add', [g.one('Mul', [g.one('Mul', [x, w]), w2]), b]);
  g.output(y, 1, [1, 512]);
  return g.encode('t');
}

describe('externalDataFiles: the files an ONNX graph names, from its own bytes', () => {
  it('a single-file model names none', () => {
    // The common case must cost nothing and fetch nothing extra.
    expect(externalDataFiles(smallModel())).toEqual([]);
  });

  it('reads the layout the generator writes: one part, and two parts named as transformers.js names them', () => {
    // The generator's writer and the worker's reader agree on names and extents (each file must hold what it reads).
    const one = toExternalData(smallModel(), 'model.onnx_data', 1);
    expect(externalDataFiles(one.graph)).toEqual([{ location: 'model.onnx_data', minBytes: 4096 }]);
    const two = toExternalData(smallModel(), 'model.onnx_data', 2);
    expect(externalDataFiles(two.graph)).toEqual([{ location: 'model.onnx_data', minBytes: 2048 }, { location: 'model.onnx_data_1', minBytes: 2048 }]);
    expect([...two.files.keys()]).toEqual(['model.onnx_data', 'model.onnx_data_1']);
  });

  it('finds initializers of subgraphs (If/Loop bodies)', () => {
    // Exports with control flow keep weights inside node attributes' graphs; missing them would fail in ORT later.
    expect(externalDataFiles(modelWith([{ location: 'a.bin', offset: 0, length: 8 }], true))).toEqual([{ location: 'a.bin', minBytes: 8 }]);
  });

  it('property: every location, in first-use order, with the largest offset + length', () => {
    // Whatever the mix of inline and external tensors, the reader returns exactly the distinct locations and extents.
    const entry = fc.option(fc.record({ location: fc.constantFrom('m.onnx_data', 'm.onnx_data_1', 'x/y.bin'), offset: fc.nat(1e9), length: fc.nat(1e6) }));
    fc.assert(fc.property(fc.array(entry, { maxLength: 12 }), (tensors) => {
      const expected = new Map<string, number>();
      for (const t of tensors) if (t) expected.set(t.location, Math.max(expected.get(t.location) ?? 0, t.offset + t.length));
      expect(externalDataFiles(modelWith(tensors))).toEqual([...expected].map(([location, minBytes]) => ({ location, minBytes })));
    }));
  });

  it('property: a cut-off model either reads or throws OnnxParseError, never runs past its bytes', () => {
    // A truncated download must end in a coded MODEL_INVALID, not an exception of another kind or a hang.
    const bytes = toExternalData(smallModel(), 'model.onnx_data', 2).graph;
    fc.assert(fc.property(fc.nat(bytes.byteLength), (cut) => {
      try {
        externalDataFiles(bytes.subarray(0, cut));
      } catch (e) {
        expect(e).toBeInstanceOf(OnnxParseError);
      }
    }));
  });

  it('garbage is an OnnxParseError', () => {
    // An HTML page or random bytes served as a graph.
    expect(() => externalDataFiles(new TextEncoder().encode('<!doctype html><html>'))).toThrow(OnnxParseError);
  });
});

describe('where an external-data file is fetched from', () => {
  it('beside the graph, under the location the graph names', () => {
    // ORT matches `path` against the location string; the URL is the graph's folder plus that string.
    expect(externalDataPath('onnx/model.onnx', 'model.onnx_data')).toBe('onnx/model.onnx_data');
    expect(externalDataPath('model.onnx', 'model.onnx_data_1')).toBe('model.onnx_data_1');
  });

  it('refuses locations that leave the model folder or name another origin', () => {
    // A graph must not make the worker fetch arbitrary URLs.
    for (const bad of ['../secrets', 'a/../../b', '/etc/passwd', 'https://evil.example/x', 'C:\\w', '', 'a?b', './x']) expect(badLocation(bad)).not.toBeNull();
    for (const good of ['model.onnx_data', 'model.onnx_data_1', 'weights/part.bin']) expect(badLocation(good)).toBeNull();
  });
});
