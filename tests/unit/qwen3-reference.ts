// Qwen3ForCausalLM's forward pass written out in float64 from the seeded weights, following Hugging Face's
// modeling_qwen3 (RMSNorm, per-head q_norm/k_norm before rotary, rotate_half, repeat_kv grouping, SwiGLU): an
// independent check that the generated ONNX graph is that architecture, not only self-consistent.
import type { Qwen3Shape } from '../../tools/models/qwen3.ts';
import { RMS_EPS } from '../../tools/models/qwen3.ts';

type Weights = Map<string, { dims: number[]; data: Float32Array }>;

const rms = (x: number[], g: Float32Array) => {
  const r = 1 / Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length + RMS_EPS);
  return x.map((v, i) => v * r * g[i]!);
};
const matVec = (x: number[], w: { dims: number[]; data: Float32Array }) => {
  const [K, N] = w.dims as [number, number];
  const y = new Array<number>(N).fill(0);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) y[n]! += x[k]! * w.data[k * N + n]!;
  return y;
};

/** Logits [position][vocab] for one unpadded sequence at positions 0..n-1. */
export function qwen3Reference(s: Qwen3Shape, w: Weights, ids: number[]): number[][] {
  const W = (n: string) => w.get(n)!;
  const hd = s.headDim;
  const groups = s.heads / s.kvHeads;
  const inv = Array.from({ length: hd / 2 }, (_, i) => s.ropeTheta ** ((-2 * i) / hd));
  const rope = (v: number[], pos: number) => v.map((x, i) => {
    const j = i % (hd / 2);
    const [c, sn] = [Math.cos(pos * inv[j]!), Math.sin(pos * inv[j]!)];
    return i < hd / 2 ? x * c - v[i + hd / 2]! * sn : x * c + v[i - hd / 2]! * sn;
  });
  const emb = W('emb');
  let x = ids.map((id) => Array.from(emb.data.subarray(id * s.hidden, (id + 1) * s.hidden)));
  for (let l = 0; l < s.layers; l++) {
    const h = x.map((t) => rms(t, W(`l${l}.ln1.g`).data));
    const split = (v: number[], n: number) => Array.from({ length: n }, (_, i) => v.slice(i * hd, (i + 1) * hd));
    const q = h.map((t, p) => split(matVec(t, W(`l${l}.q.w`)), s.heads).map((u) => rope(rms(u, W(`l${l}.q_norm.g`).data), p)));
    const k = h.map((t, p) => split(matVec(t, W(`l${l}.k.w`)), s.kvHeads).map((u) => rope(rms(u, W(`l${l}.k_norm.g`).data), p)));
    const v = h.map((t) => split(matVec(t, W(`l${l}.v.w`)), s.kvHeads));
    x = x.map((xt, t) => {
      const ctx: number[] = [];
      for (let head = 0; head < s.heads; head++) {
        const kv = Math.floor(head / groups); // repeat_kv: query head h reads KV head h / groups
        const sc = Array.from({ length: t + 1 }, (_, j) => q[t]![head]!.reduce((a, qi, i) => a + qi * k[j]![kv]![i]!, 0) / Math.sqrt(hd));
        const m = Math.max(...sc);
        const e = sc.map((z) => Math.exp(z - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let i = 0; i < hd; i++) ctx.push(e.reduce((a, p, j) => a + (p / z) * v[j]![kv]![i]!, 0));
      }
      const x1 = xt.map((val, i) => val + matVec(ctx, W(`l${l}.o.w`))[i]!);
      const h2 = rms(x1, W(`l${l}.ln2.g`).data);
      const up = matVec(h2, W(`l${l}.up.w`));
      const act = matVec(h2, W(`l${l}.gate.w`)).map((g, i) => (g / (1 + Math.exp(-g))) * up[i]!);
      const down = matVec(act, W(`l${l}.down.w`));
      return x1.map((val, i) => val + down[i]!);
    });
  }
  return x.map((t) => matVec(rms(t, W('norm.g').data), W('lm_head.w')));
}
