// Checks on README.md and docs/: relative links and anchors that resolve, `npm run` commands that exist, and the
// README's TypeScript samples (see tests/unit/docs.test.ts, which runs them).
import fs from 'node:fs';
import path from 'node:path';

/** GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Lines outside fenced code blocks. */
function prose(markdown: string): string[] {
  let fence = false;
  return markdown.split('\n').filter((l) => {
    if (l.startsWith('```')) fence = !fence;
    return !fence && !l.startsWith('```');
  });
}

export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const l of prose(markdown)) {
    const m = /^#{1,6}\s+(.*)$/.exec(l);
    if (!m) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Relative link targets in a markdown file's prose (images too); absolute URLs are not ours to check. */
export function relativeLinks(markdown: string): string[] {
  const out: string[] = [];
  for (const l of prose(markdown)) {
    for (const m of l.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]!;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) out.push(target);
    }
  }
  return out;
}

/** The links of `file` that do not resolve: a missing file, or an anchor that no heading of the target has. */
export function brokenLinks(file: string, read: (f: string) => string | null = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null)): string[] {
  const text = read(file) ?? '';
  const broken: string[] = [];
  for (const link of relativeLinks(text)) {
    const [target, anchor] = link.split('#') as [string, string | undefined];
    const resolved = target ? path.resolve(path.dirname(file), decodeURIComponent(target)) : file;
    const body = target && !target.endsWith('.md') ? (fs.existsSync(resolved) ? '' : null) : read(resolved);
    if (body === null) broken.push(`${link} (no such file)`);
    else if (anchor && resolved.endsWith('.md') && !anchors(body).has(anchor)) broken.push(`${link} (no such heading)`);
  }
  return broken;
}

/** Every `npm run NAME` the text names. */
export function npmRunNames(markdown: string): string[] {
  return [...markdown.matchAll(/npm run ([\w:.-]+)/g)].map((m) => m[1]!);
}

/** The ```ts blocks of a markdown text. */
export function tsSamples(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}
