// `npx tsx bench/experiments/gqa-webgpu.ts [--ort 130|131] [--case NAME]`: where does ORT-web's WebGPU
// com.microsoft.GroupQueryAttention differ from the CPU kernel, and does any layout make it exact?
// One GroupQueryAttention node, tiny dims, seeded random q/k/v/past; run in onnxruntime-node (CPU), in ORT-web's WASM
// (CPU kernel) and in ORT-web's WebGPU EP through Dawn in Node (SwiftShader here, the adapter Chromium uses), and
// checked against a plain JS causal attention (reference). Prints, per case, the max |diff| of each runtime against
// the reference and, where WebGPU is off, which query rows / heads are wrong. --ort 131 runs the ORT-web that
// @huggingface/transformers pins (1.31-dev) instead of ours (1.30); --no-subgroups gives ORT a device of our own
// without the subgroup features (what workers/backend/webgpu-device.ts does on narrow subgroups).
// Writes bench-results/gqa-webgpu-<ort>[-no-subgroups].json. See docs/decoder-rerankers.md "Fused attention".
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as ortNode from 'onnxruntime-node';
import { installDawn, releaseDawn, rerunOnSwiftShader } from '../gpu/dawn.ts';
import { DT, Graph } from '../../tools/models/onnx-graph.ts';

const { values: args } = parseArgs({ options: { ort: { type: 'string', default: '130' }, case: { type: 'string' }, 'no-subgroups': { type: 'boolean', default: false } } });
const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = args.ort === '131'
  ? path.join(ROOT, 'node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist')
  : path.join(ROOT, 'node_modules/onnxruntime-web/dist');

interface Case {
  name: string;
  /** Query heads, KV heads, head size, new tokens, past tokens. */
  nH: number; kvH: number; hd: number; S: number; P: number;
  rotary: boolean;
  /** 'none': past inputs left out; 'empty': [1, kvH, 0, hd] tensors given (as the engine's first run does). */
  past?: 'none' | 'empty';
}

// Qwen3's tiny test shape (4 heads, 2 KV heads, head size 16), then one knob at a time.
const CASES: Case[] = [
  { name: 'prefill S=1', nH: 4, kvH: 2, hd: 16, S: 1, P: 0, rotary: false },
  { name: 'prefill S=2', nH: 4, kvH: 2, hd: 16, S: 2, P: 0, rotary: false },
  { name: 'prefill S=8', nH: 4, kvH: 2, hd: 16, S: 8, P: 0, rotary: false },
  { name: 'prefill S=8 empty past', nH: 4, kvH: 2, hd: 16, S: 8, P: 0, rotary: false, past: 'empty' },
  { name: 'prefill S=40', nH: 4, kvH: 2, hd: 16, S: 40, P: 0, rotary: false },
  { name: 'prefill S=8 kvH=nH', nH: 4, kvH: 4, hd: 16, S: 8, P: 0, rotary: false },
  { name: 'prefill S=8 kvH=1', nH: 4, kvH: 1, hd: 16, S: 8, P: 0, rotary: false },
  { name: 'prefill S=8 nH=1', nH: 1, kvH: 1, hd: 16, S: 8, P: 0, rotary: false },
  { name: 'prefill S=40 hd=8', nH: 4, kvH: 2, hd: 8, S: 40, P: 0, rotary: false },
  { name: 'prefill S=8 rotary', nH: 4, kvH: 2, hd: 16, S: 8, P: 0, rotary: true },
  { name: 'decode S=1 P=8', nH: 4, kvH: 2, hd: 16, S: 1, P: 8, rotary: false },
  { name: 'after past S=6 P=8', nH: 4, kvH: 2, hd: 16, S: 6, P: 8, rotary: false },
  { name: 'after past S=6 P=8 rotary', nH: 4, kvH: 2, hd: 16, S: 6, P: 8, rotary: true },
  { name: 'after past S=40 P=8', nH: 4, kvH: 2, hd: 16, S: 40, P: 8, rotary: false },
  // Where it starts: the run's length S, batch 1, no past.
  ...[9, 12, 15, 16, 17, 20, 24, 31, 32, 33, 64].map((S): Case => ({ name: `sweep S=${S}`, nH: 4, kvH: 2, hd: 16, S, P: 0, rotary: false })),
  ...[9, 16, 17, 33].map((S): Case => ({ name: `sweep S=${S} P=3`, nH: 4, kvH: 2, hd: 16, S, P: 3, rotary: false })),
];

const ROTARY_POSITIONS = 128;
const THETA = 10_000;

/** Seeded uniform values in [-1, 1) (mulberry32). */
function random(seed: number, n: number): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  });
}

function graphFor(c: Case): Uint8Array {
  const g = new Graph();
  const q = g.input('query', DT.FLOAT, [1, c.S, c.nH * c.hd]);
  const k = g.input('key', DT.FLOAT, [1, c.S, c.kvH * c.hd]);
  const v = g.input('value', DT.FLOAT, [1, c.S, c.kvH * c.hd]);
  const withPast = c.P > 0 || c.past === 'empty';
  const pk = withPast ? g.input('past_key', DT.FLOAT, [1, c.kvH, 'past', c.hd]) : '';
  const pv = withPast ? g.input('past_value', DT.FLOAT, [1, c.kvH, 'past', c.hd]) : '';
  const seqlensK = g.input('seqlens_k', DT.INT32, [1]);
  const total = g.input('total_sequence_length', DT.INT32, [1]);
  const rot: string[] = [];
  if (c.rotary) {
    const half = c.hd / 2;
    const cos = new Float32Array(ROTARY_POSITIONS * half);
    const sin = new Float32Array(ROTARY_POSITIONS * half);
    for (let p = 0; p < ROTARY_POSITIONS; p++) {
      for (let i = 0; i < half; i++) {
        cos[p * half + i] = Math.cos(p * THETA ** ((-2 * i) / c.hd));
        sin[p * half + i] = Math.sin(p * THETA ** ((-2 * i) / c.hd));
      }
    }
    rot.push(g.f32('cos_cache', [ROTARY_POSITIONS, half], cos), g.f32('sin_cache', [ROTARY_POSITIONS, half], sin));
  }
  g.opTo('GroupQueryAttention', [q, k, v, pk, pv, seqlensK, total, ...rot], ['output', 'present_key', 'present_value'],
    { num_heads: c.nH, kv_num_heads: c.kvH, do_rotary: c.rotary ? 1 : 0, rotary_interleaved: 0, scale: 1 / Math.sqrt(c.hd) }, 'com.microsoft');
  g.output('output', DT.FLOAT, [1, c.S, c.nH * c.hd]);
  g.output('present_key', DT.FLOAT, [1, c.kvH, 'total', c.hd]);
  g.output('present_value', DT.FLOAT, [1, c.kvH, 'total', c.hd]);
  return g.encode('gqa');
}

interface Inputs { q: Float32Array; k: Float32Array; v: Float32Array; pk: Float32Array; pv: Float32Array }

function inputsFor(c: Case): Inputs {
  return {
    q: random(1, c.S * c.nH * c.hd), k: random(2, c.S * c.kvH * c.hd), v: random(3, c.S * c.kvH * c.hd),
    pk: random(4, c.kvH * c.P * c.hd), pv: random(5, c.kvH * c.P * c.hd),
  };
}

/** Rotate-half rotary at position p of one head's vector (what do_rotary with rotary_interleaved 0 does). */
function rope(x: Float32Array, p: number, hd: number): Float32Array {
  const half = hd / 2;
  const out = new Float32Array(hd);
  for (let i = 0; i < half; i++) {
    const a = p * THETA ** ((-2 * i) / hd);
    const [co, si] = [Math.cos(a), Math.sin(a)];
    out[i] = x[i]! * co - x[i + half]! * si;
    out[i + half] = x[i + half]! * co + x[i]! * si;
  }
  return out;
}

/** Causal grouped-query attention in float64: query s (position P + s) attends to keys 0..P+s of head h's KV head. */
function reference(c: Case, x: Inputs): Float32Array {
  const { nH, kvH, hd, S, P } = c;
  const key = (kh: number, t: number): Float32Array => {
    if (t < P) return x.pk.subarray((kh * P + t) * hd, (kh * P + t + 1) * hd);
    const k = x.k.subarray(((t - P) * kvH + kh) * hd, ((t - P) * kvH + kh + 1) * hd);
    return c.rotary ? rope(k, t, hd) : k;
  };
  const value = (kh: number, t: number) => (t < P ? x.pv.subarray((kh * P + t) * hd, (kh * P + t + 1) * hd) : x.v.subarray(((t - P) * kvH + kh) * hd, ((t - P) * kvH + kh + 1) * hd));
  const out = new Float32Array(S * nH * hd);
  for (let s = 0; s < S; s++) {
    for (let h = 0; h < nH; h++) {
      const kh = Math.floor(h / (nH / kvH));
      let q = x.q.subarray((s * nH + h) * hd, (s * nH + h + 1) * hd);
      if (c.rotary) q = rope(q, P + s, hd);
      const logits = Array.from({ length: P + s + 1 }, (_, t) => key(kh, t).reduce((a, kv, i) => a + kv * q[i]!, 0) / Math.sqrt(hd));
      const m = Math.max(...logits);
      const w = logits.map((l) => Math.exp(l - m));
      const z = w.reduce((a, b) => a + b, 0);
      for (let t = 0; t <= P + s; t++) {
        const vv = value(kh, t);
        for (let i = 0; i < hd; i++) out[(s * nH + h) * hd + i]! += (w[t]! / z) * vv[i]!;
      }
    }
  }
  return out;
}

type OrtLike = typeof ortNode;

async function runWith(ort: OrtLike, session: ortNode.InferenceSession, c: Case, x: Inputs): Promise<Float32Array> {
  const feeds: Record<string, ortNode.Tensor> = {
    query: new ort.Tensor('float32', x.q, [1, c.S, c.nH * c.hd]),
    key: new ort.Tensor('float32', x.k, [1, c.S, c.kvH * c.hd]),
    value: new ort.Tensor('float32', x.v, [1, c.S, c.kvH * c.hd]),
    seqlens_k: new ort.Tensor('int32', Int32Array.of(c.P + c.S - 1), [1]),
    total_sequence_length: new ort.Tensor('int32', Int32Array.of(c.P + c.S), [1]),
  };
  if (c.P > 0 || c.past === 'empty') {
    feeds.past_key = new ort.Tensor('float32', x.pk, [1, c.kvH, c.P, c.hd]);
    feeds.past_value = new ort.Tensor('float32', x.pv, [1, c.kvH, c.P, c.hd]);
  }
  const out = await session.run(feeds);
  return out.output!.data as Float32Array;
}

/** Max |a - b| overall, and per query row and head where it exceeds 1e-5. */
function compare(c: Case, got: Float32Array, ref: Float32Array) {
  let max = 0;
  const bad: string[] = [];
  for (let s = 0; s < c.S; s++) {
    for (let h = 0; h < c.nH; h++) {
      let d = 0;
      for (let i = 0; i < c.hd; i++) d = Math.max(d, Math.abs(got[(s * c.nH + h) * c.hd + i]! - ref[(s * c.nH + h) * c.hd + i]!));
      max = Math.max(max, d);
      if (d > 1e-5) bad.push(`s${s}h${h}:${d.toExponential(1)}`);
    }
  }
  return { max, bad };
}

async function main(): Promise<number> {
  const dawn = await installDawn();
  if (!dawn.adapter) return rerunOnSwiftShader() ?? 2;
  const real = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file:')) return real(input, init);
    return new Response(fs.readFileSync(new URL(url)), { headers: { 'content-type': url.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' } });
  };
  const web = (await import(pathToFileURL(path.join(DIST, 'ort.webgpu.bundle.min.mjs')).href)) as OrtLike & { env: { versions: { web: string }; wasm: { wasmPaths?: string; numThreads: number }; logLevel: string } };
  web.env.wasm.wasmPaths = pathToFileURL(DIST).href + '/';
  web.env.wasm.numThreads = 1;
  web.env.logLevel = 'error';
  const adapter = await (navigator as Navigator & { gpu: GPU }).gpu.requestAdapter();
  let customDevice: GPUDevice | null = null;
  const info = adapter?.info as (GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number }) | undefined;
  if (args['no-subgroups'] && adapter) {
    // Our own device, with every feature and limit of the adapter except subgroups (and subgroup-size-control, which brings them back): ORT-web 1.30 takes a device in
    // the EP's options ({ name: 'webgpu', device }), and its kernels ask the device which features they may use.
    const requiredFeatures = [...adapter.features].filter((f) => !f.startsWith('subgroup')) as GPUFeatureName[];
    const requiredLimits: Record<string, number> = {};
    for (const k in adapter.limits) requiredLimits[k] = (adapter.limits as unknown as Record<string, number>)[k]!;
    customDevice = await adapter.requestDevice({ requiredFeatures, requiredLimits });
  }
  console.log(`subgroup sizes ${info?.subgroupMinSize}-${info?.subgroupMaxSize}; device without subgroups: ${args['no-subgroups']}`);
  console.log(`ORT-web ${web.env.versions.web}; adapter ${dawn.adapter.vendor}/${dawn.adapter.architecture}; subgroups: ${adapter?.features.has('subgroups')}; maxComputeWorkgroupStorageSize ${adapter?.limits.maxComputeWorkgroupStorageSize}`);
  const gpuEp = () => (customDevice ? { name: 'webgpu', device: customDevice } : 'webgpu') as ortNode.InferenceSession.ExecutionProviderConfig;
  {
    // Which device ORT ended up with (after a first session): the one set above, with or without subgroups?
    const probe = await web.InferenceSession.create(graphFor(CASES[0]!), { executionProviders: [gpuEp()] });
    await probe.release();
    const used = customDevice ?? ((await (web.env as unknown as { webgpu: { device: Promise<GPUDevice> } }).webgpu.device) as GPUDevice);
    console.log(`ORT's device has subgroups: ${used.features.has('subgroups')}`);
  }
  const rows: Record<string, unknown>[] = [];
  for (const c of CASES.filter((k) => !args.case || k.name.includes(args.case))) {
    const bytes = graphFor(c);
    const x = inputsFor(c);
    const ref = reference(c, x);
    const results: Record<string, ReturnType<typeof compare> | string> = {};
    for (const [label, ort, ep] of [['node', ortNode, 'cpu'], ['wasm', web, 'wasm'], ['webgpu', web, gpuEp()]] as const) {
      try {
        const session = await (ort as OrtLike).InferenceSession.create(bytes, { executionProviders: [ep] });
        results[label] = compare(c, await runWith(ort as OrtLike, session, c, x), ref);
        await session.release();
      } catch (e) {
        results[label] = `error: ${(e as Error).message.split('\n')[0]}`;
      }
    }
    const fmt = (r: ReturnType<typeof compare> | string) => (typeof r === 'string' ? r : r.max.toExponential(2));
    console.log(`${c.name.padEnd(40)} node ${fmt(results.node!)}  wasm ${fmt(results.wasm!)}  webgpu ${fmt(results.webgpu!)}`);
    const g = results.webgpu;
    if (typeof g !== 'string' && g && g.bad.length) console.log(`  webgpu off at ${g.bad.length} row-heads, first: ${g.bad.slice(0, 8).join(' ')}`);
    rows.push({ ...c, ...Object.fromEntries(Object.entries(results).map(([k, r]) => [k, typeof r === 'string' ? r : r.max])) });
  }
  const out = path.join(ROOT, `bench-results/gqa-webgpu-${args.ort}${args['no-subgroups'] ? '-no-subgroups' : ''}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ when: new Date().toISOString(), ortWeb: web.env.versions.web, adapter: dawn.adapter, subgroupSizes: [info?.subgroupMinSize, info?.subgroupMaxSize], noSubgroups: args['no-subgroups'], rows }, null, 2));
  releaseDawn();
  return 0;
}

process.exitCode = await main();
