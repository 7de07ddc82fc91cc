// Decoders exported as the hub's Qwen3 ports are (issue 25): attention fused as com.microsoft.GroupQueryAttention
// (tools/models/qwen3-gqa.ts), and the LM head cut down at load to the logits the mode reads (src/core/lm-head.ts).
// Scores come from the engine's real path (shared prefix, batches, pruned head) and are compared with
// onnxruntime-node running each full prompt alone, with the plain-op twin (same weights), and with the full head.
import { expect, test, type Page } from '@playwright/test';
import { mustLoad, openHarness, score } from './support/page.ts';
import { decoderReferenceScores, fullPrompts } from './support/decoder-reference.ts';
import fs from 'node:fs';
import path from 'node:path';
import { MODELS_DIR, modelAvailable } from './support/reference.ts';
import { record } from './support/report.ts';
import { BUILTIN } from './support/texts.ts';
import { DECODER_DEFAULT_MAX_LENGTH, DECODER_PRUNED_MAX_LENGTH } from '../src/core/model-policy.ts';

const GQA = 'rerank-web-test/tiny-qwen3-gqa';
const GQA_UNTIED = 'rerank-web-test/tiny-qwen3-gqa-untied';
const PLAIN = 'rerank-web-test/tiny-qwen3';
// Qwen3's real vocabulary, generated on demand: npx tsx scripts/gen-models.ts --only tiny-qwen3-gqa-151k
const GQA_151K = 'rerank-web-test/tiny-qwen3-gqa-151k';
const FILE = { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx', q4: 'onnx/model_q4.onnx' } as const;
const DOCS = BUILTIN.docs.slice(0, 6).map((d) => d.slice(0, 300));
const logit = (p: number) => Math.log(p / (1 - p));
const diffs = (a: number[], b: number[]) => ({
  maxDiff: Math.max(...a.map((s, i) => Math.abs(s - b[i]!))),
  marginDiff: Math.max(...a.map((s, i) => Math.abs(logit(s) - logit(b[i]!)))),
});

const lastTimings = (page: Page) => page.evaluate(() => (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker.lastTimings!);
const vocabSize = (model: string) => (JSON.parse(fs.readFileSync(path.join(MODELS_DIR, model, 'config.json'), 'utf8')) as { vocab_size: number }).vocab_size;

async function scores(page: Page): Promise<number[]> {
  const got = await score(page, BUILTIN.query, DOCS);
  if (!got.ok) throw new Error(`${got.code}: ${got.message}`);
  return got.value;
}

for (const device of ['wasm', 'webgpu'] as const) {
  for (const dtype of ['fp32', 'q4'] as const) {
    test(`fused attention ${dtype} on ${device}: shared prefix + pruned head against full prompts in onnxruntime-node and the plain-op twin`, async ({ page }) => {
      test.skip(!modelAvailable(GQA), `${GQA} was not generated (npm run models)`);
      // On WebGPU this holds because the sessions run on a device without subgroups where the adapter's are narrower
      // than 8 lanes (SwiftShader: 4): with them, ORT-web 1.30's flash-attention prefill attends to wrong keys in
      // runs of 32+ tokens (workers/backend/webgpu-device.ts; docs/decoder-rerankers.md, "Fused attention").
      test.setTimeout(180_000);
      await openHarness(page);
      const info = await mustLoad(page, { model: GQA, device, dtype });
      // The head is recognised and cut to yes/no; GroupQueryAttention after a past runs one document per run.
      expect(info).toMatchObject({ family: 'decoder', sharedPrefix: true, lmHead: { pruned: true, tokens: 2, reason: null }, batchSize: 1, maxLength: DECODER_PRUNED_MAX_LENGTH });
      const got = await scores(page);
      const prompts = fullPrompts(GQA, BUILTIN.query, DOCS);
      const ref = await decoderReferenceScores(GQA, FILE[dtype], prompts);
      const twin = await decoderReferenceScores(PLAIN, FILE[dtype], prompts);
      const vsRef = diffs(got, ref);
      const vsTwin = diffs(got, twin);
      record('test-results/decoder-parity.json', `gqa/${dtype}/${device}`, { model: GQA, dtype, device, docs: DOCS.length, ...vsRef, compared: 'browser (shared prefix, pruned head) vs onnxruntime-node (full prompts)' });
      record('test-results/decoder-parity.json', `gqa-twin/${dtype}/${device}`, { model: GQA, dtype, device, docs: DOCS.length, ...vsTwin, compared: `browser vs the plain-op twin ${PLAIN} in onnxruntime-node` });
      console.log(`[decoder-gqa] ${dtype} ${device}: vs node ${vsRef.maxDiff.toExponential(2)} (margin ${vsRef.marginDiff.toExponential(2)}), vs plain twin ${vsTwin.maxDiff.toExponential(2)} (margin ${vsTwin.marginDiff.toExponential(2)})`);
      // fp32 held to the 1e-5; q4 to the plain decoder's bound (docs/decoder-rerankers.md).
      expect(vsRef.maxDiff).toBeLessThanOrEqual(dtype === 'fp32' ? 1e-5 : 1e-4);
      expect(vsTwin.maxDiff).toBeLessThanOrEqual(dtype === 'fp32' ? 1e-5 : 1e-4);
    });
  }

  test(`fused attention, full prompts in right-padded batches on ${device} equal onnxruntime-node's one per run`, async ({ page }) => {
    test.skip(!modelAvailable(GQA), `${GQA} was not generated (npm run models)`);
    test.setTimeout(180_000);
    await openHarness(page);
    const info = await mustLoad(page, { model: GQA, device, dtype: 'fp32', sharedPrefix: false, batchSize: 6 });
    // Without a past, GroupQueryAttention reads each row's length from seqlens_k: right padding is exact, so batches stay.
    expect(info.batchSize).toBe(6);
    const got = await scores(page);
    const ref = await decoderReferenceScores(GQA, FILE.fp32, fullPrompts(GQA, BUILTIN.query, DOCS));
    const d = diffs(got, ref);
    record('test-results/decoder-parity.json', `gqa-padded/${device}`, { model: GQA, dtype: 'fp32', device, docs: DOCS.length, ...d, compared: 'browser (full prompts, right-padded batch of 6) vs onnxruntime-node (one per run)' });
    expect(d.maxDiff).toBeLessThanOrEqual(1e-5);
  });
}

// Pruned against full head on WASM: tied fp32 (MatMul on the transposed embedding), untied fp32, q4 (MatMulNBits),
// int8 (MatMulInteger). Same kernels per column, so fp32 within 1e-6 and the quantised heads exactly.
for (const [model, dtype, label] of [[GQA, 'fp32', 'tied'], [GQA_UNTIED, 'fp32', 'untied'], [GQA, 'q4', 'q4'], [GQA, 'q8', 'int8'], [GQA_151K, 'q4', 'q4 at 151,669 tokens']] as const) {
  test(`pruned head equals the full head: ${label} (${model.split('/')[1]} ${dtype}, wasm)`, async ({ page }) => {
    test.skip(!modelAvailable(model), `${model} was not generated (npm run models; the 151k model: --only tiny-qwen3-gqa-151k)`);
    test.setTimeout(120_000);
    await openHarness(page);
    const fullInfo = await mustLoad(page, { model, device: 'wasm', dtype, pruneLmHead: false });
    expect(fullInfo.lmHead).toMatchObject({ pruned: false, reason: 'pruneLmHead: false' });
    expect(fullInfo.maxLength).toBe(DECODER_DEFAULT_MAX_LENGTH); // a full head keeps the decoder default
    const full = await scores(page);
    const fullLogits = (await lastTimings(page)).maxRunLogitsBytes!;
    const info = await mustLoad(page, { model, device: 'wasm', dtype });
    expect(info.lmHead).toEqual({ pruned: true, tokens: 2, reason: null });
    const pruned = await scores(page);
    // The logits that come back: the same runs, two columns instead of the vocabulary; under 4 KB a run here (the
    // issue's bound for a 300-token document; these prompts are at most about 300 tokens).
    const prunedLogits = (await lastTimings(page)).maxRunLogitsBytes!;
    expect(prunedLogits).toBeGreaterThan(0);
    expect(prunedLogits).toBeLessThanOrEqual(4096);
    expect(fullLogits).toBe((prunedLogits / 2) * vocabSize(model));
    const gap = Math.max(...full.map((s, i) => Math.abs(s - pruned[i]!)));
    record('test-results/decoder-parity.json', `pruned/${label}`, { model, dtype, device: 'wasm', docs: DOCS.length, maxDiff: gap, compared: `pruned head vs full head (${label}), both in the browser` });
    expect(gap).toBeLessThanOrEqual(dtype === 'fp32' ? 1e-6 : 0);
  });
}

test('listwise with a pruned head (the window\'s letters only) ranks as the full head does', async ({ page }) => {
  test.skip(!modelAvailable(GQA), `${GQA} was not generated (npm run models)`);
  test.setTimeout(120_000);
  await openHarness(page);
  const run = async (pruneLmHead: boolean) => {
    const info = await mustLoad(page, { model: GQA, device: 'wasm', dtype: 'fp32', mode: 'listwise', listwise: { window: 6, stride: 3 }, pruneLmHead });
    const r = await page.evaluate(async ([q, d]) => {
      const rr = (window as unknown as { reranker: import('../src/index.ts').Reranker }).reranker;
      return (await rr.rerank(q as string, d as string[])).map((x) => [x.index, x.score]);
    }, [BUILTIN.query, DOCS] as const);
    return { info, r };
  };
  const full = await run(false);
  const pruned = await run(true);
  expect(pruned.info.lmHead).toEqual({ pruned: true, tokens: 6, reason: null });
  expect(pruned.r.map((x) => x[0])).toEqual(full.r.map((x) => x[0]));
  expect(Math.max(...pruned.r.map((x, i) => Math.abs(x[1]! - full.r[i]![1]!)))).toBeLessThanOrEqual(1e-5);
});
