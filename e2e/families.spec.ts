// Long windows on the new encoder families (issue 12): the default maxLength of an 8k-window model is the cost-based
// LONG_WINDOW_DEFAULT, and scores of documents longer than the classic 512 tokens match onnxruntime-node on the
// whole pair (ALiBi biases at distances a 512-token window never sees).
import { expect, test } from '@playwright/test';
import { mustLoad, openHarness, score } from './support/page.ts';
import { modelAvailable, referenceScores } from './support/reference.ts';
import { BUILTIN } from './support/texts.ts';
import { LONG_WINDOW_DEFAULT } from '../src/core/model-policy.ts';

const JINA = 'rerank-web-test/tiny-jinabert';
// Documents of ~700-1,500 tokens from the tiny vocabulary's words: longer than 512, shorter than the default window.
const words = BUILTIN.docs.slice(0, 4).join(' ').toLowerCase().replace(/[^a-z ]/g, '').split(/\s+/).filter(Boolean);
const longDoc = (n: number, shift: number) => Array.from({ length: n }, (_, i) => words[(i * 7 + shift) % words.length]).join(' ');
const DOCS = [longDoc(700, 0), longDoc(1100, 3), longDoc(1500, 5), BUILTIN.docs[0]!];

for (const device of ['wasm', 'webgpu'] as const) {
  test(`JinaBERT long window: default maxLength and fp32 parity past 512 tokens on ${device}`, async ({ page }) => {
    test.skip(!modelAvailable(JINA), `${JINA} was not generated (npm run models)`);
    // SwiftShader runs WebGPU on the CPU: one long document there (1,500 tokens took over 2 minutes under load).
    test.setTimeout(240_000);
    const docs = device === 'wasm' ? DOCS : [longDoc(600, 0), BUILTIN.docs[0]!];
    await openHarness(page);
    const info = await mustLoad(page, { model: JINA, device, dtype: 'fp32' });
    // Guards the long-window rule: 8,192 in the model's files, the cost-based default as maxLength.
    expect(info.maxLength).toBe(LONG_WINDOW_DEFAULT);
    const got = await score(page, BUILTIN.query, docs);
    if (!got.ok) throw new Error(`${got.code}: ${got.message}`);
    const ref = await referenceScores(JINA, 'onnx/model.onnx', BUILTIN.query, docs, LONG_WINDOW_DEFAULT);
    const cut = await referenceScores(JINA, 'onnx/model.onnx', BUILTIN.query, docs, 512);
    const maxDiff = Math.max(...got.value.map((s, i) => Math.abs(s - ref[i]!)));
    console.log(`[families] ${JINA} fp32 ${device}: max |browser - node| over ${docs.length} docs of up to ${docs[0]!.split(' ').length}+ words = ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
    // The tokens past 512 change the score: the window really is the long one (not a cut at 512).
    expect(Math.max(...got.value.slice(0, docs.length - 1).map((s, i) => Math.abs(s - cut[i]!)))).toBeGreaterThan(1e-4);
  });
}
