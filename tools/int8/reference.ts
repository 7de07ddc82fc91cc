// Which q8 is right (issue 12): distances of ORT builds to the float64 int8 reference (tools/int8) on the generated
// q8 models. Used by e2e/int8-reference.spec.ts, which adds ORT-web (WASM in Chromium); `npm run int8-ref` runs it,
// prints the table and writes test-results/int8-reference.json.
import fs from 'node:fs';
import path from 'node:path';
import { Float64Graph } from './evaluate.ts';
import { tensor } from './ops.ts';

export interface Pairs { ids: number[][]; types: number[][] }

/** The reference logits, one pair per run (as the browser runs dynamic int8: batch 1, no padding). */
export function referenceLogits(file: string, pairs: Pairs, quantArith: 'float64' | 'float32' = 'float64'): number[] {
  const g = new Float64Graph(fs.readFileSync(file));
  return pairs.ids.map((ids, k) => {
    const n = ids.length;
    const feeds: Record<string, ReturnType<typeof tensor>> = {
      input_ids: tensor([1, n], ids),
      attention_mask: tensor([1, n], ids.map(() => 1)),
    };
    if (g.inputNames.includes('token_type_ids')) feeds.token_type_ids = tensor([1, n], pairs.types[k]!);
    return g.run(feeds, 'logits', { quantArith }).data[0]!;
  });
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export interface Distance {
  /** max |score - reference score| over the documents (scores: sigmoid of the logit). */
  maxAbs: number;
  /** Document pairs ordered one way by the reference and the other way here (ties count as flips). */
  flips: number;
  pairs: number;
}

/** Both arguments are scores (sigmoid of the logits). */
export function distance(got: number[], ref: number[]): Distance {
  let flips = 0;
  let pairs = 0;
  for (let i = 0; i < ref.length; i++) {
    for (let j = i + 1; j < ref.length; j++) {
      if (ref[i] === ref[j]) continue;
      pairs++;
      if (Math.sign(ref[i]! - ref[j]!) !== Math.sign(got[i]! - got[j]!)) flips++;
    }
  }
  return {
    maxAbs: Math.max(...got.map((g, i) => Math.abs(g - ref[i]!))),
    flips,
    pairs,
  };
}

export const REPORT = path.resolve(import.meta.dirname, '../../test-results/int8-reference.json');
