// A small, dependency-free SVG: docs/s per configuration, one bar per implementation, on a log scale (native is
// several times faster than either browser path, and TinyBERT ten times faster than MiniLM).
import type { RowResult } from './rows.ts';
import type { Impl } from '../types.ts';

const COLORS: Record<Impl, string> = { 'rerank-web': '#2563eb', 'transformers.js': '#f59e0b', 'transformers.js-chunked': '#b45309', 'onnxruntime-node': '#6b7280', 'rerank-web-1s': '#93c5fd', 'rerank-web-2s': '#93c5fd', 'rerank-web-b16': '#93c5fd' };
const IMPLS: Impl[] = ['rerank-web', 'transformers.js', 'transformers.js-chunked', 'onnxruntime-node'];
const LABEL: Partial<Record<Impl, string>> = { 'transformers.js': 'transformers.js naive', 'transformers.js-chunked': 'tjs sorted+chunked' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chartSvg(rows: RowResult[], subtitle: string): string {
  const barH = 9;
  const groupH = IMPLS.length * barH + 10;
  const left = 190;
  const width = 720;
  const plotW = width - left - 70;
  const top = 58;
  const height = top + rows.length * groupH + 34;
  const values = rows.flatMap((r) => r.impls.filter((s) => !s.error && s.docsPerSec > 0).map((s) => s.docsPerSec));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(1, ...values))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(10, ...values))));
  const x = (v: number) => left + (plotW * (Math.log10(v) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="20" font-size="14" font-weight="600">Documents reranked per second (log scale, higher is better)</text>`,
    `<text x="12" y="37" fill="#555">${esc(subtitle)}</text>`,
  ];
  IMPLS.forEach((impl, i) => {
    const lx = left - 170 + i * 140;
    parts.push(`<rect x="${lx}" y="44" width="10" height="10" fill="${COLORS[impl]}"/><text x="${lx + 14}" y="53">${LABEL[impl] ?? impl}</text>`);
  });
  for (let d = lo; d <= hi; d *= 10) {
    parts.push(`<line x1="${x(d)}" y1="${top - 2}" x2="${x(d)}" y2="${height - 28}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(d)}" y="${height - 14}" text-anchor="middle" fill="#555">${d}</text>`);
  }
  rows.forEach((r, g) => {
    const y0 = top + g * groupH;
    parts.push(`<text x="${left - 8}" y="${y0 + groupH / 2}" text-anchor="end" dominant-baseline="middle">${esc(r.key)}</text>`);
    IMPLS.forEach((impl, i) => {
      const s = r.impls.find((v) => v.impl === impl);
      const y = y0 + i * barH;
      if (!s) return;
      if (s.error || !(s.docsPerSec > 0)) {
        parts.push(`<text x="${left + 4}" y="${y + barH - 1}" fill="${COLORS[impl]}">${s.error ? 'failed' : 'n/a'}</text>`);
        return;
      }
      const w = Math.max(1, x(s.docsPerSec) - left);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH - 1}" fill="${COLORS[impl]}"><title>${impl}: ${s.docsPerSec.toFixed(1)} docs/s</title></rect>`);
      parts.push(`<text x="${(left + w + 4).toFixed(1)}" y="${y + barH - 1}" fill="#333" font-size="9">${s.docsPerSec.toFixed(1)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
