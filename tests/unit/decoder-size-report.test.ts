// The real-size decoder bench's report (scripts/decoder-size-report.ts): speed-ups are taken per round (both
// contenders ran the same query in that round), memory targets use what each contender added to its renderer, and a
// missed target is printed as missed, never rounded into a pass.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decoderSizeReport, maxScoreDiff, ratio, spread, type ContenderResult } from '../../scripts/decoder-size-report.ts';

const MiB = 2 ** 20;
function contender(name: string, docsPerSec: number[], o: Partial<ContenderResult> = {}, scores = [0.5, 0.25]): ContenderResult {
  return {
    name, impl: 'rerank-web', detail: name, loadMs: 1000, lmHead: null, baseRss: 300 * MiB, loadedRss: 900 * MiB, peakRss: 1000 * MiB,
    rounds: docsPerSec.map((d, round) => ({ round, position: 0, docsPerSec: d, scores, ms: 1000, runs: 2, paddedTokens: 600, maxRunLogitsBytes: 2400 })),
    ...o,
  };
}

describe('decoder size report', () => {
  it('spread gives the median (even and odd counts), min and max', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
  });

  it('the median lies within [min, max] for any sample (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (xs) => {
      const s = spread(xs);
      return s.min <= s.median && s.median <= s.max;
    }));
  });

  it('speed-ups pair rounds: a slow round for both contenders does not count as a win for either', () => {
    // Round 2 was slow for both (a noisy neighbour): per-round ratios stay 2x; a ratio of medians would also be 2 here,
    // but a ratio of the slow round of one to the fast round of the other would not.
    const a = contender('a', [10, 2, 10]);
    const b = contender('b', [5, 1, 5]);
    expect(ratio(a, b)).toEqual({ median: 2, min: 2, max: 2 });
  });

  it('score differences are taken document by document against the reference', () => {
    const ref = contender('ref', [1], {}, [0.5, 0.25]);
    const other = contender('other', [1], {}, [0.5, 0.3]);
    expect(maxScoreDiff(other, ref)).toBeCloseTo(0.05, 12);
  });

  it('checks each target and prints a miss as missed', () => {
    const def = contender('default', [3, 3, 3], { peakRss: 300 * MiB + 1500 * MiB });
    const full = contender('full head', [2, 2, 2], { rounds: contender('x', [2, 2, 2]).rounds.map((r) => ({ ...r, maxRunLogitsBytes: 155 * MiB })) });
    const prompts = contender('full prompts', [2.5, 2.5, 2.5]);
    const tjs = contender('tjs', [1, 1, 1], { impl: 'transformers.js', peakRss: 300 * MiB + 3000 * MiB });
    const r = decoderSizeReport({
      model: 'm', fileBytes: 1000 * MiB, workload: 'w', k: 20, docTokens: 256, rounds: 3, contenders: [def, full, prompts, tjs],
      lengths: [{ docTokens: 1024, paddedTokens: 1100, ms: 9000, beforeRss: 1000 * MiB, peakRss: 1100 * MiB, maxRunLogitsBytes: 8800 }], cmd: 'cmd', env: 'env',
    });
    const t = Object.fromEntries(r.summary.targets.map((x) => [x.what, x]));
    expect(t['pruned head vs full head, docs/s']!.met).toBe(true); // 1.5x >= 1.3x
    expect(t['rerank-web vs transformers.js, docs/s']!.met).toBe(true); // 3x >= 1.7x
    expect(t['rerank-web vs transformers.js, peak memory added']!.met).toBe(false); // 1500/3000 = 0.5x > 0.3x
    expect(t['rerank-web peak memory added vs the file']!.met).toBe(true); // 1500 MiB for a 1000 MiB file = 1.5x
    expect(t['logits one run returns, at most (rounds and long documents)']!.met).toBe(true); // the default's, not the full head's
    expect(r.markdown).toContain('**missed**');
    expect(r.markdown).toContain('| 1024 tokens | 1100 | 9.0 | 100 MiB |');
  });
});
