// Security: a strict CSP is enough, nothing is requested but the model source, and no text reaches the console.
import { expect, test, type Page } from '@playwright/test';
import { PORTS } from '../playwright.config.ts';
import { HUB, TINY } from './support/page.ts';

const CSP_SITE = `http://127.0.0.1:${PORTS.siteCsp}`;
const SECRET_QUERY = 'zebra-query-secret-4711';
const SECRET_DOC = 'okapi-document-secret-0815';

function watch(page: Page): { console: string[]; origins: Set<string> } {
  const seen = { console: [] as string[], origins: new Set<string>() };
  page.on('console', (m) => seen.console.push(m.text()));
  page.on('pageerror', (e) => seen.console.push(`pageerror: ${e.message}`));
  page.context().on('request', (r) => seen.origins.add(new URL(r.url()).origin));
  return seen;
}

for (const device of ['wasm', 'webgpu'] as const) {
  test(`under a strict CSP (no 'unsafe-eval'), on ${device}: loads, reranks, no violation, no text in the console`, async ({ page }) => {
    const seen = watch(page);
    await page.goto(`${CSP_SITE}/e2e/harness.html`);
    await page.waitForFunction(() => window.harnessReady === true);
    const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toContain("'unsafe-eval'");
    const r = await page.evaluate(async ([hubUrl, model, dev, q, d]) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      const rr = await window.rerankWeb.createReranker({ hubUrl, model, device: dev as 'wasm' });
      const ranked = await rr.rerank(q as string, [d as string, 'another document', `${d} again`], { topK: 2 });
      await rr.dispose();
      return { device: rr.info.device, n: ranked.length, violations };
    }, [HUB, TINY, device, SECRET_QUERY, SECRET_DOC] as const);
    expect(r).toEqual({ device, n: 2, violations: [] });
    // Violations inside the worker show up on the console only.
    expect(seen.console.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
    expect(seen.console.filter((m) => m.includes(SECRET_QUERY) || m.includes(SECRET_DOC))).toEqual([]);
    expect([...seen.origins].filter((o) => o !== CSP_SITE && o !== HUB)).toEqual([]);
  });
}

test('the demo works under the same CSP', async ({ page }) => {
  const seen = watch(page);
  await page.goto(`${CSP_SITE}/?model=${encodeURIComponent(TINY)}&hub=${encodeURIComponent(HUB)}&device=wasm`);
  await expect(page.locator('#device-pill')).toHaveText(/^Ready/, { timeout: 60_000 });
  await page.locator('#query').fill(`cats ${SECRET_QUERY}`);
  await expect(page.locator('#search-status')).toContainText('Reranked the top', { timeout: 60_000 });
  expect(seen.console.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
  expect(seen.console.filter((m) => m.includes(SECRET_QUERY))).toEqual([]);
});
