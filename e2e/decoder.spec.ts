// Decoder rerankers (issue 10) in Chromium: a Qwen3-shaped causal LM scored pointwise (P("yes"), shared prefix
// cache) and listwise (identifier logits, windows), against onnxruntime-node on full prompts, and on the oracle
// decoder whose logits are a stated function of query/document word overlap (tools/models/decoder-oracle.ts).
import { expect, test, type Page } from '@playwright/test';
import { mustLoad, openHarness, score } from './support/page.ts';
import { decoderReferenceScores, fullPrompts } from './support/decoder-reference.ts';
import { modelAvailable } from './support/reference.ts';
import { record } from './support/report.ts';
import { DECODER_PRUNED_MAX_LENGTH } from '../src/core/model-policy.ts';
import { BUILTIN } from './support/texts.ts';

const QWEN = 'rerank-web-test/tiny-qwen3';
const ORACLE = 'rerank-web-test/decoder-oracle';
const FILE = { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx', q4: 'onnx/model_q4.onnx' } as const;
// fp32 is held to the 1e-4; the quantised bounds sit above what was measured (docs/decoder-rerankers.md).
const BOUND = { fp32: 1e-4, q8: 5e-2, q4: 1e-4 } as const;
const DOCS = BUILTIN.docs.slice(0, 6).map((d) => d.slice(0, 300));

type RerankRow = { index: number; score: number; truncated: boolean; rank?: number };
async function rerank(page: Page, query: string, docs: string[], topK?: number): Promise<RerankRow[]> {
  return page.evaluate(async ([q, d, k]) => {
    const r = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
    return (await r.rerank(q as string, d as string[], k ? { topK: k as number } : {})).map(({ index, score, truncated, rank }) => ({ index, score, truncated, rank }));
  }, [query, docs, topK ?? 0] as const);
}

for (const device of ['wasm', 'webgpu'] as const) {
  for (const dtype of ['fp32', 'q8', 'q4'] as const) {
    // Dynamic int8 has no WebGPU kernels (its nodes would run on the CPU): 'auto' never picks it there.
    if (device === 'webgpu' && dtype === 'q8') continue;
    test(`decoder parity ${dtype} on ${device}: shared-prefix pointwise scores against full prompts in onnxruntime-node`, async ({ page }) => {
      test.skip(!modelAvailable(QWEN), `${QWEN} was not generated (npm run models)`);
      test.setTimeout(180_000);
      await openHarness(page);
      const info = await mustLoad(page, { model: QWEN, device, dtype });
      // The head is cut to yes/no at load, so the long-window default applies (a full head keeps 1,024:
      // decoder-gqa.spec.ts).
      expect(info).toMatchObject({ family: 'decoder', mode: 'pointwise', sharedPrefix: true, device, dtype, maxLength: DECODER_PRUNED_MAX_LENGTH, lmHead: { pruned: true, tokens: 2 } });
      const got = await score(page, BUILTIN.query, DOCS);
      if (!got.ok) throw new Error(`${got.code}: ${got.message}`);
      const ref = await decoderReferenceScores(QWEN, FILE[dtype], fullPrompts(QWEN, BUILTIN.query, DOCS));
      const maxDiff = Math.max(...got.value.map((s, i) => Math.abs(s - ref[i]!)));
      // P(yes) of a random-weight model sits near 0 or 1, where probabilities hide differences: compare the yes-no
      // margins (the logit of P(yes)) too.
      const logit = (p: number) => Math.log(p / (1 - p));
      const marginDiff = Math.max(...got.value.map((s, i) => Math.abs(logit(s) - logit(ref[i]!))));
      record('test-results/decoder-parity.json', `${dtype}/${device}`, { model: QWEN, dtype, device, docs: DOCS.length, maxDiff, marginDiff });
      console.log(`[decoder] ${QWEN} ${dtype} ${device}: max |browser (shared prefix) - node (full prompt)| = ${maxDiff.toExponential(2)} (yes-no margin ${marginDiff.toExponential(2)})`);
      expect(maxDiff).toBeLessThanOrEqual(BOUND[dtype]);
      if (dtype === 'fp32') expect(marginDiff).toBeLessThanOrEqual(1e-3);
    });
  }

  test(`shared prefix equals full prompts in the browser (fp32, ${device})`, async ({ page }) => {
    test.skip(!modelAvailable(QWEN), `${QWEN} was not generated (npm run models)`);
    test.setTimeout(180_000);
    await openHarness(page);
    await mustLoad(page, { model: QWEN, device, dtype: 'fp32', sharedPrefix: false });
    const full = await score(page, BUILTIN.query, DOCS);
    await mustLoad(page, { model: QWEN, device, dtype: 'fp32', sharedPrefix: true });
    const shared = await score(page, BUILTIN.query, DOCS);
    if (!full.ok || !shared.ok) throw new Error('scoring failed');
    const maxDiff = Math.max(...full.value.map((s, i) => Math.abs(s - shared.value[i]!)));
    record('test-results/decoder-parity.json', `prefix/${device}`, { model: QWEN, dtype: 'fp32', device, docs: DOCS.length, maxDiff, kind: 'prefix-vs-full' });
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });
}

test.describe('oracle decoder (relevance = query words found in the document)', () => {
  test.skip(() => !modelAvailable(ORACLE), `${ORACLE} was not generated (npm run models)`);

  test('pointwise: more query words in the document rank higher', async ({ page }) => {
    await openHarness(page);
    await mustLoad(page, { model: ORACLE, device: 'wasm' });
    // Guards the yes/no reading and the shared prefix: hits are counted from the cached query against the document.
    const docs = ['music and songs', 'cats in water', 'fish and cats in water', 'cats'];
    const got = await rerank(page, 'cats fish water', docs);
    expect(got.map((r) => r.index)).toEqual([2, 1, 3, 0]);
    expect(got.every((r) => r.rank === undefined)).toBe(true); // pointwise results carry no listwise rank
  });

  test('listwise: one window orders passages by overlap, and the scores are identifier logits', async ({ page }) => {
    await openHarness(page);
    const info = await mustLoad(page, { model: ORACLE, device: 'wasm', mode: 'listwise' });
    expect(info.mode).toBe('listwise');
    const docs = ['dogs', 'cats in water', 'fish', 'cats fish water'];
    const got = await rerank(page, 'cats fish water', docs);
    // Guards reading the order from the first generated position: 3 hits, 2, 1, 0.
    expect(got.map((r) => r.index)).toEqual([3, 1, 2, 0]);
    expect(got.map((r) => r.score)).toEqual([3, 2, 1, 0]);
    expect(got.map((r) => r.rank)).toEqual([0, 1, 2, 3]);
  });

  test('listwise window walk: a relevant passage at position 40 of 50 reaches the top', async ({ page }) => {
    await openHarness(page);
    await mustLoad(page, { model: ORACLE, device: 'wasm', mode: 'listwise', listwise: { window: 20, stride: 10 } });
    const docs = Array.from({ length: 50 }, (_, i) => (i === 40 ? 'cats fish water' : i % 7 === 0 ? 'cats' : 'music'));
    const got = await rerank(page, 'cats fish water', docs, 5);
    // Guards the bottom-up walk: the passage climbs through four overlapping windows, not just the first.
    expect(got[0]!.index).toBe(40);
    expect(got.slice(1).every((r) => r.index % 7 === 0)).toBe(true);
  });

  test('a long query and a document that does not fit: scores stay finite, the document is marked truncated', async ({ page }) => {
    await openHarness(page);
    await mustLoad(page, { model: ORACLE, device: 'wasm', maxLength: 256 });
    const longQuery = 'cats fish water '.repeat(400);
    const got = await rerank(page, longQuery, ['cats', 'fish and water '.repeat(300)]);
    expect(got.every((r) => Number.isFinite(r.score))).toBe(true);
    expect(got.find((r) => r.index === 1)!.truncated).toBe(true);
  });

  test('cancellation mid-call rejects ABORTED and the next call works', async ({ page }) => {
    await openHarness(page);
    await mustLoad(page, { model: ORACLE, device: 'wasm', batchSize: 1 });
    const r = await page.evaluate(async () => {
      const rr = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
      const ctl = new AbortController();
      const docs = Array.from({ length: 200 }, (_, i) => `cats and fish number ${i} `.repeat(10));
      let code = 'none';
      await rr.rerank('cats', docs, { signal: ctl.signal, onBatch: () => ctl.abort() }).catch((e: { code: string }) => (code = e.code));
      const after = await rr.rerank('cats', ['cats', 'dogs']);
      return { code, after: after.map((x) => x.index) };
    });
    expect(r).toEqual({ code: 'ABORTED', after: [0, 1] });
  });
});
