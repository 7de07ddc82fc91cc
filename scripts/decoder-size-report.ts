// The tables and target checks of `npm run bench:decoder:size`, from its raw results (pure: no browser, no files).
// Speed-ups are per round (both contenders ran the same query in the same round), then median [min-max] over rounds.

export interface ContenderRoundResult {
  round: number;
  /** Place in the round's order (0: first). */
  position: number;
  docsPerSec: number;
  scores: number[];
  ms: number;
  runs: number;
  paddedTokens: number;
  maxRunLogitsBytes: number;
}

export interface ContenderResult {
  name: string;
  impl: 'rerank-web' | 'transformers.js';
  detail: string;
  loadMs: number;
  lmHead: { pruned: boolean; tokens: number; reason: string | null } | null;
  /** Renderer RSS of this contender's browser: before the load, after load and warm-up, and the peak over the run. */
  baseRss: number;
  loadedRss: number;
  peakRss: number;
  rounds: ContenderRoundResult[];
}

export interface LengthResult {
  docTokens: number;
  paddedTokens: number;
  ms: number;
  beforeRss: number;
  peakRss: number;
  maxRunLogitsBytes: number;
}

export interface Spread { median: number; min: number; max: number }

export function spread(xs: number[]): Spread {
  const s = [...xs].sort((x, y) => x - y);
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

const fmt = (s: Spread, d = 2) => `${s.median.toFixed(d)} [${s.min.toFixed(d)}-${s.max.toFixed(d)}]`;
const mib = (b: number) => (b / 2 ** 20).toFixed(b < 2 ** 20 ? 3 : 0);

/** Per-round ratio of a's docs/s to b's. */
export function ratio(a: ContenderResult, b: ContenderResult): Spread {
  return spread(a.rounds.map((r, i) => r.docsPerSec / b.rounds[i]!.docsPerSec));
}

/** Largest |score difference| from the reference contender, over every round and document. */
export function maxScoreDiff(a: ContenderResult, ref: ContenderResult): number {
  let m = 0;
  a.rounds.forEach((r, i) => r.scores.forEach((s, j) => (m = Math.max(m, Math.abs(s - ref.rounds[i]!.scores[j]!)))));
  return m;
}

export interface Target { what: string; target: string; measured: string; met: boolean }

export function decoderSizeReport(o: {
  model: string; fileBytes: number; workload: string; k: number; docTokens: number; rounds: number;
  contenders: ContenderResult[]; lengths: LengthResult[]; cmd: string; env: string; lengthsRun?: string; note?: string;
}): { markdown: string; summary: { targets: Target[]; contenders: object[] } } {
  const [def, fullHead, fullPrompts, tjs] = o.contenders as [ContenderResult, ContenderResult?, ContenderResult?, ContenderResult?];
  if (!def) return { markdown: '(no contender ran)', summary: { targets: [], contenders: [] } };
  const date = new Date().toISOString().slice(0, 10);
  const rows = o.contenders.map((c) => ({
    name: c.name, docsPerSec: spread(c.rounds.map((r) => r.docsPerSec)), loadS: c.loadMs / 1000,
    loadedPerFile: c.loadedRss / o.fileBytes, peakPerFile: c.peakRss / o.fileBytes, addedPerFile: (c.peakRss - c.baseRss) / o.fileBytes,
    maxRunLogitsBytes: Math.max(...c.rounds.map((r) => r.maxRunLogitsBytes)), tokensPerRound: spread(c.rounds.map((r) => r.paddedTokens)).median,
    maxDiff: c === def ? 0 : maxScoreDiff(c, def), detail: c.detail,
  }));
  const targets: Target[] = [];
  if (fullHead) {
    const r = ratio(def, fullHead);
    targets.push({ what: 'pruned head vs full head, docs/s', target: '>= 1.3x', measured: `${fmt(r)}x`, met: r.median >= 1.3 });
  }
  if (tjs) {
    const r = ratio(def, tjs);
    targets.push({ what: 'rerank-web vs transformers.js, docs/s', target: '>= 1.7x', measured: `${fmt(r)}x`, met: r.median >= 1.7 });
    // Memory a contender added to its renderer (peak less the renderer before the load: the page and an idle worker).
    const m = (def.peakRss - def.baseRss) / (tjs.peakRss - tjs.baseRss);
    targets.push({ what: 'rerank-web vs transformers.js, peak memory added', target: '<= 0.3x', measured: `${m.toFixed(2)}x (${mib(def.peakRss - def.baseRss)} vs ${mib(tjs.peakRss - tjs.baseRss)} MiB)`, met: m <= 0.3 });
  }
  const peak = (def.peakRss - def.baseRss) / o.fileBytes;
  targets.push({ what: 'rerank-web peak memory added vs the file', target: '<= 1.5x', measured: `${peak.toFixed(2)}x (${mib(def.peakRss - def.baseRss)} MiB for ${mib(o.fileBytes)} MiB)`, met: peak <= 1.5 });
  const logits = Math.max(...def.rounds.map((r) => r.maxRunLogitsBytes), ...o.lengths.map((l) => l.maxRunLogitsBytes));
  targets.push({ what: 'logits one run returns, at most (rounds and long documents)', target: '<= 64 MiB', measured: `${mib(logits)} MiB`, met: logits <= 64 * 2 ** 20 });
  const lines: string[] = [
    `_${date}, \`${o.cmd}\`${o.note ?? ''}: ${o.model} (${mib(o.fileBytes)} MiB q8), ${o.env}; ${o.workload}; ${o.rounds} rounds of one query's top-${o.k}, passages cut to ${o.docTokens} tokens, contenders in turn (order rotating per round), median [min-max]._`,
    '',
    '| contender | docs/s | tokens run per query | load s | renderer after load ÷ file | renderer peak ÷ file | peak added ÷ file | largest logits per run | max score diff vs default |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${fmt(r.docsPerSec, 3)} | ${r.tokensPerRound.toFixed(0)} | ${r.loadS.toFixed(1)} | ${r.loadedPerFile.toFixed(2)} | ${r.peakPerFile.toFixed(2)} | ${r.addedPerFile.toFixed(2)} | ${mib(r.maxRunLogitsBytes)} MiB | ${r.maxDiff.toExponential(1)} |`),
    '',
    '| target | wanted | measured | |',
    '|---|---|---|---|',
    ...targets.map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${t.met ? 'met' : '**missed**'} |`),
  ];
  if (fullPrompts) lines.push('', `Shared prefix vs full prompts (both pruned): ${fmt(ratio(def, fullPrompts))}x the docs/s.`);
  if (o.lengths.length > 0) {
    lines.push('', `One long document, scored alone by the default contender (${o.lengthsRun ?? `\`${o.cmd}\``}; garbage collected before each):`, '');
    lines.push('| one document of | prompt tokens | seconds | renderer memory added over the loaded model | largest logits per run |', '|---|---|---|---|---|');
    for (const l of o.lengths) lines.push(`| ${l.docTokens} tokens | ${l.paddedTokens} | ${(l.ms / 1000).toFixed(1)} | ${mib(l.peakRss - l.beforeRss)} MiB | ${mib(l.maxRunLogitsBytes)} MiB |`);
  }
  return { markdown: lines.join('\n'), summary: { targets, contenders: rows } };
}
