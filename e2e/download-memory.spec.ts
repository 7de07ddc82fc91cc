// Lean downloads, measured: the renderer's resident memory (the page and its workers, from /proc) while an 87 MB model
// downloads grows by at most 1.1x the file, and while its session is created it peaks within 1.1x of what
// onnxruntime-web alone peaks at on the same bytes (e2e/bare-ort.html).
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { HUB, MINILM, openHarness } from './support/page.ts';
import { MODELS_DIR } from './support/reference.ts';
import { loadWithEvents, type TimedEvent } from './support/downloads.ts';
import { rendererPids, rssBytes } from './support/renderer-memory.ts';
import type {} from './bare-ort.ts'; // window.bareLoad

const FILE = 'onnx/model.onnx';
const SIZE = fs.statSync(`${MODELS_DIR}/${MINILM}/${FILE}`).size;
const MiB = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

/** Samples the renderers' summed RSS every 5 ms while `run` goes on. */
async function sampled<T>(run: () => Promise<T>): Promise<{ value: T; samples: { t: number; rss: number }[] }> {
  const pids = rendererPids();
  const samples: { t: number; rss: number }[] = [];
  const take = () => samples.push({ t: Date.now(), rss: rssBytes(pids) });
  take();
  const timer = setInterval(take, 5);
  try {
    return { value: await run(), samples };
  } finally {
    clearInterval(timer);
    take();
  }
}

/** Growth above the last sample before `from`, at its highest within [from, to]. */
function growth(samples: { t: number; rss: number }[], from: number, to: number): number {
  const base = samples.filter((s) => s.t <= from).at(-1)!.rss;
  const inside = samples.filter((s) => s.t >= from && s.t <= to);
  return Math.max(...inside.map((s) => s.rss)) - base;
}

const eventTime = (events: TimedEvent[], pred: (e: TimedEvent) => boolean) => events.find(pred)?.t ?? NaN;

test.skip(process.platform !== 'linux', 'reads renderer memory from /proc');

test('download peak <= 1.1x the file; session creation peak within 1.1x of bare onnxruntime-web', async ({ page, context }) => {
  test.setTimeout(300_000);
  // The yardstick first, in a page of its own.
  const bare = await context.newPage();
  await bare.goto('/e2e/bare-ort.html');
  await bare.waitForFunction(() => window.bareReady === true);
  const url = `${HUB}/${MINILM}/resolve/main/${FILE}`;
  const b = await sampled(() => bare.evaluate((u) => window.bareLoad(u), url));
  const barePeak = growth(b.samples, b.value.start, b.value.created);
  await bare.close();

  await openHarness(page);
  const r = await sampled(() => loadWithEvents(page, { model: MINILM, device: 'wasm', dtype: 'fp32', cache: false, numThreads: 1, wasmSessions: 1 }));
  if (!r.value.ok) throw new Error(r.value.message);
  const events = r.value.events;
  const started = eventTime(events, (e) => e.status === 'download' && e.file === FILE);
  const downloaded = eventTime(events, (e) => e.status === 'session');
  const ready = eventTime(events, (e) => e.status === 'ready');
  const downloadPeak = growth(r.samples, started, downloaded);
  const loadPeak = growth(r.samples, started, ready);
  console.log(`[memory] ${MiB(SIZE)} file: download peak +${MiB(downloadPeak)} (${(downloadPeak / SIZE).toFixed(2)}x the file); `
    + `whole load +${MiB(loadPeak)} against bare onnxruntime-web's +${MiB(barePeak)} (${(loadPeak / barePeak).toFixed(2)}x)`);
  // The measurement saw the file arrive (a sampler that missed it would pass anything).
  expect(downloadPeak).toBeGreaterThan(0.8 * SIZE);
  expect(downloadPeak).toBeLessThanOrEqual(1.1 * SIZE);
  expect(loadPeak).toBeLessThanOrEqual(1.1 * barePeak);
});
