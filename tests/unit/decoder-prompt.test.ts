// Pure decoder-prompt logic: the pointwise prompt pieces, P(yes), and listwise windows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyWindow, listwisePrompt, pointwisePrompt, slidingWindows, yesProbability } from '../../src/core/decoder-prompt.ts';

describe('pointwisePrompt', () => {
  it('joins to the Qwen3-Reranker model card prompt, character for character', () => {
    const p = pointwisePrompt('what is bm25', 'BM25 ranks documents.', 'Find answers');
    expect(p.system + p.query + p.document + p.suffix).toBe(
      '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. ' +
        'Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n' +
        '<Instruct>: Find answers\n<Query>: what is bm25\n<Document>: BM25 ranks documents.' +
        '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
    );
  });
});

describe('yesProbability', () => {
  it('is softmax over [no, yes], stable for large logits', () => {
    expect(yesProbability(0, 0)).toBeCloseTo(0.5, 12);
    expect(yesProbability(2, 0)).toBeCloseTo(Math.exp(2) / (Math.exp(2) + 1), 12);
    expect(yesProbability(1000, 0)).toBe(1);
    expect(yesProbability(-1000, 0)).toBe(0);
  });
  it('grows with yes and falls with no', () => {
    fc.assert(fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0.01, max: 5, noNaN: true }), (y, n, d) => {
      expect(yesProbability(y + d, n)).toBeGreaterThanOrEqual(yesProbability(y, n));
      expect(yesProbability(y, n + d)).toBeLessThanOrEqual(yesProbability(y, n));
    }));
  });
});

describe('slidingWindows', () => {
  it('walks from the bottom up and ends at the top', () => {
    expect(slidingWindows(50, 20, 10)).toEqual([[30, 50], [20, 40], [10, 30], [0, 20]]);
    expect(slidingWindows(15, 20, 10)).toEqual([[0, 15]]);
    expect(slidingWindows(0, 20, 10)).toEqual([]);
  });
  it('covers every position, overlaps consecutive windows, and bounds each window', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 2, max: 26 }), fc.integer({ min: 1, max: 25 }), (n, w, s0) => {
      const s = Math.min(s0, w - 1);
      const ws = slidingWindows(n, w, s);
      expect(ws.at(0)![1]).toBe(n);
      expect(ws.at(-1)![0]).toBe(0);
      for (const [a, b] of ws) expect(b - a).toBeLessThanOrEqual(w);
      // Each window overlaps the one below it, so an item can climb through every window on the way up.
      for (let i = 1; i < ws.length; i++) expect(ws[i]![1]).toBeGreaterThan(ws[i - 1]![0]);
    }));
  });
  it('rejects windows a stride cannot move', () => {
    expect(() => slidingWindows(10, 5, 5)).toThrow(RangeError);
    expect(() => slidingWindows(10, 1, 1)).toThrow(RangeError);
  });
});

describe('applyWindow', () => {
  it('reorders only the window, best logit first, ties in current order', () => {
    expect(applyWindow([0, 1, 2, 3, 4], 1, 4, [0.1, 0.9, 0.1])).toEqual([0, 2, 1, 3, 4]);
  });
  it('a bottom-up walk brings the best item from position 40 to the top (window 20, stride 10)', () => {
    // Guards the window walk: the relevant passage must climb through every window, not stop at the first.
    let order = Array.from({ length: 50 }, (_, i) => i);
    const relevance = (d: number) => (d === 40 ? 10 : -d / 100);
    for (const [a, b] of slidingWindows(50, 20, 10)) order = applyWindow(order, a, b, order.slice(a, b).map(relevance));
    expect(order[0]).toBe(40);
  });
  it('is a permutation of the input', () => {
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 30 }), (logits) => {
      const order = logits.map((_, i) => i);
      expect([...applyWindow(order, 0, logits.length, logits)].sort((a, b) => a - b)).toEqual(order);
    }));
  });
});

describe('listwisePrompt', () => {
  it('letters the passages and ends where the first identifier is read', () => {
    const p = listwisePrompt('q', ['one', 'two']);
    expect(p.passages).toEqual(['[A] one\n', '[B] two\n']);
    expect(p.tail.endsWith('</think>\n\n[')).toBe(true);
    expect(() => listwisePrompt('q', Array.from({ length: 27 }, () => 'x'))).toThrow(RangeError);
  });
});
