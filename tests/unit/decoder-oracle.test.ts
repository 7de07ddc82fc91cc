// The decoder oracle (tools/models/decoder-oracle.ts) on stated examples: yes-logit = document words found in the
// query, identifier logits = each passage's words found in the query, whatever the prefix caching and padding.
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDecoderOracle } from '../../tools/models/decoder-oracle.ts';
import { QWEN3_RERANKER_PROMPT as P } from '../../tools/models/bpe-tokenizer.ts';
import { qwenSpecialIds } from '../../tools/models/decoders.ts';
import { encode, lastLogits, rerankerPrompt, row, step, tilePast } from './decoder-support.ts';

// Query "cats fish water"; hits per document (corpus words, so each is one token): fish+cats+water, cats+water,
// fish, none. Expected pointwise order: A, D, B, C.
const QUERY = 'cats fish water';
const DOCS = { A: 'fish and cats in water', B: 'dogs and fish', C: 'the sun and the moon', D: 'cats in water' };
const HITS = { A: 3, B: 1, C: 0, D: 2 };
const PAD = qwenSpecialIds().endOfText;
const YES = encode('yes')[0]!;
const NO = encode('no')[0]!;

describe('decoder oracle', () => {
  let s: ort.InferenceSession;
  beforeAll(async () => {
    s = await ort.InferenceSession.create(buildDecoderOracle());
  });

  it('pointwise, full Qwen3-Reranker prompts: yes-logit = hits, no-logit = 0, so P(yes) orders A, D, B, C', async () => {
    // Guards the stated function that ranking tests rely on.
    const got: Record<string, number> = {};
    for (const [k, d] of Object.entries(DOCS)) {
      const l = await lastLogits(s, encode(Object.values(rerankerPrompt(QUERY, d)).join('')), 1, 1);
      expect([l[YES], l[NO]]).toEqual([HITS[k as keyof typeof HITS], 0]);
      got[k] = 1 / (1 + Math.exp(l[NO]! - l[YES]!));
    }
    expect(Object.keys(got).sort((a, b) => got[b]! - got[a]!)).toEqual(['A', 'D', 'B', 'C']);
  });

  it('counts only document words: the instruction and the system line do not count, repeats do', async () => {
    const l = await lastLogits(s, encode(Object.values(rerankerPrompt(QUERY, 'cats cats the query answer')).join('')), 1, 1);
    expect(l[YES]).toBe(2); // "query"/"answer" are in the instruction, not the query: no hit
  });

  for (const side of ['left', 'right'] as const) {
    it(`shared prefix (KV holds the ids) + documents ${side}-padded in one batch: same yes-logits`, async () => {
      // Guards the oracle under the runtime's shared-prefix batching, so ranking tests hold on that path too.
      const p = encode(rerankerPrompt(QUERY, '').prefix);
      const rests = Object.values(DOCS).map((d) => encode(rerankerPrompt(QUERY, d).rest));
      const first = await step(s, [p], [p.map(() => 1)], [p.map((_, i) => i)], null, 1, 1);
      const S = Math.max(...rests.map((r) => r.length));
      const fill = (r: number[], v: number) => Array(S - r.length).fill(v);
      const ids = rests.map((r) => (side === 'left' ? [...fill(r, PAD), ...r] : [...r, ...fill(r, PAD)]));
      const mask = rests.map((r) => [...p.map(() => 1), ...(side === 'left' ? [...fill(r, 0), ...r.map(() => 1)] : [...r.map(() => 1), ...fill(r, 0)])]);
      const pos = rests.map((r) => (side === 'left' ? [...fill(r, 0), ...r.map((_, i) => p.length + i)] : [...r.map((_, i) => p.length + i), ...fill(r, 0)]));
      const out = await step(s, ids, mask, pos, tilePast(first.present, rests.length), 1, 1);
      const yes = rests.map((r, b) => row(out, b, side === 'left' ? S - 1 : r.length - 1)[YES]);
      expect(yes).toEqual(Object.values(HITS));
    });
  }

  const listwise = (ids: string[]) => {
    const passages = Object.values(DOCS).map((d, i) => `[${ids[i]}] ${d}`).join('\n');
    return `${P.prefix}<Query>: ${QUERY}\n${passages}<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n`;
  };
  for (const ids of [['1', '2', '3', '4'], ['A', 'B', 'C', 'D']]) {
    it(`listwise with identifiers ${ids.join(',')}: identifier logits at the last position = passage hits`, async () => {
      // Guards single-pass listwise ranking: the order is read from identifier logits, [A] first, then D, B, C.
      const l = await lastLogits(s, encode(listwise(ids)), 1, 1);
      const idTokens = ids.map((x) => encode(x)).map((t) => { expect(t).toHaveLength(1); return t[0]!; });
      expect(idTokens.map((t) => l[t])).toEqual(Object.values(HITS));
      expect(l[YES]).toBe(0); // no <Document> segment in a listwise prompt
    });
  }

  it('is causal: at the first document word, only that word has been counted', async () => {
    const { prefix, rest } = rerankerPrompt(QUERY, DOCS.A);
    const p = encode(prefix);
    const r = encode(rest);
    const out = await step(s, [[...p, ...r]], [[...p, ...r].map(() => 1)], [[...p, ...r].map((_, i) => i)], null, 1, 1);
    const firstWord = p.length + r.indexOf(encode(' fish')[0]!);
    expect(row(out, 0, firstWord)[YES]).toBe(1);
    expect(row(out, 0, firstWord - 1)[YES]).toBe(0);
  });
});
