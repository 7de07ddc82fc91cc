// Which q8 is right (issue 12): ORT-web (WASM, in Chromium) and onnxruntime-node against the float64 int8 reference
// (tools/int8: the ONNX definitions of DynamicQuantizeLinear and MatMulInteger, every other op in float64), on the
// generated q8 models and real text pairs. `npm run int8-ref` runs this file; figures in docs/quantization.md.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { distance, referenceLogits, REPORT, sigmoid, type Distance } from '../tools/int8/reference.ts';
import { MINILM, mustLoad, openHarness, score, TINY, TINYBERT } from './support/page.ts';
import { encodePairs, MODELS_DIR, modelAvailable, nodeLogits } from './support/reference.ts';
import { BUILTIN, scifactSample } from './support/texts.ts';

const FILE = 'onnx/model_quantized.onnx';
// Documents per model: the float64 reference runs in plain JS (MiniLM-L6: seconds per SciFact abstract).
// MiniLM-L6 takes about 5 minutes here, so `npm test` leaves it to `npm run int8-ref` (RERANK_INT8_FULL=1).
const FULL = process.env.RERANK_INT8_FULL === '1';
const CASES = [{ model: TINY, docs: 8 }, { model: TINYBERT, docs: 20 }, { model: MINILM, docs: 10, full: true }];
const rows: Record<string, unknown>[] = [];

test.afterAll(() => {
  if (rows.length === 0) return;
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, JSON.stringify(rows, null, 2));
  console.log('\n| model | docs | contender | max abs diff to float64 reference | order flips | max abs diff to float32-scale reference | order flips |\n|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const to32 = r.distances32 as Record<string, Distance>;
    for (const [name, d] of Object.entries(r.distances as Record<string, Distance>)) {
      const e = to32[name]!;
      console.log(`| ${String(r.model).replace('rerank-web-test/', '')} | ${r.docs} | ${name} | ${d.maxAbs.toExponential(2)} | ${d.flips} of ${d.pairs} | ${e.maxAbs.toExponential(2)} | ${e.flips} of ${e.pairs} |`);
    }
  }
  console.log(`written to ${REPORT}`);
});

for (const c of CASES) {
  test(`q8 ${c.model}: ORT-web and onnxruntime-node against the float64 reference`, async ({ page }) => {
    test.setTimeout(600_000);
    test.skip(!modelAvailable(c.model), `${c.model} was not generated (it needs ../shared/tokenizers/bert-base-uncased)`);
    test.skip(Boolean(c.full) && !FULL, `${c.model}'s float64 reference takes minutes: npm run int8-ref runs it`);
    const sample = c.model === TINY ? BUILTIN : (scifactSample(c.docs) ?? BUILTIN);
    const docs = sample.docs.slice(0, c.docs);
    const file = path.join(MODELS_DIR, c.model, FILE);
    const pairs = encodePairs(c.model, sample.query, docs);

    await openHarness(page);
    await mustLoad(page, { model: c.model, device: 'wasm', dtype: 'q8', wasmSessions: 1 });
    const web = await score(page, sample.query, docs);
    if (!web.ok) throw new Error(`${web.code}: ${web.message}`);

    const ref = referenceLogits(file, pairs).map(sigmoid);
    const contenders: Record<string, number[]> = {
      'ORT-web WASM (Chromium)': web.value,
      'onnxruntime-node': (await nodeLogits(file, pairs)).map(sigmoid),
      'onnxruntime-node, graph optimisation off': (await nodeLogits(file, pairs, { graphOptimizationLevel: 'disabled' })).map(sigmoid),
    };
    // The same reference with DynamicQuantizeLinear's scale and x / scale in float32, as its output tensor types are.
    const ref32 = referenceLogits(file, pairs, 'float32').map(sigmoid);
    const distances = Object.fromEntries([...Object.entries(contenders).map(([k, v]) => [k, distance(v, ref)] as const), ['float32-scale reference', distance(ref32, ref)] as const]);
    const distances32 = Object.fromEntries([...Object.entries(contenders).map(([k, v]) => [k, distance(v, ref32)] as const), ['float32-scale reference', distance(ref32, ref32)] as const]);
    rows.push({ model: c.model, docs: docs.length, source: sample === BUILTIN ? 'built-in' : 'SciFact', distances, distances32 });
    // The reference itself must be sane: every score finite and the contenders near it.
    expect(ref.every(Number.isFinite)).toBe(true);
  });
}
