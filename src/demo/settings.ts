// Demo settings: presets, defaults, and the URL parameters that preset them (?model=&hub=&device=&dtype=&k=&maxlen=&stage=&mode=&localhub=).
import { DEFAULT_MODEL, PRESETS, type DecoderMode, type Device, type Dtype } from '../index.ts';
import { DEFAULT_LOCAL_HUB } from './offline.ts';
import { FIRST_STAGE_MODES, type FirstStageMode } from '../../tools/search-kit/search.ts';

export { PRESETS };

export interface Settings {
  model: string;
  hubUrl: string | undefined;
  device: Device;
  dtype: Dtype | 'auto';
  /** How many first-stage results go to the reranker. */
  k: number;
  maxLength: number | undefined;
  /** The first stage's set-up: standard BM25 (default) or the classic one, to compare. */
  firstStage: FirstStageMode;
  /** Decoder rerankers: pointwise yes/no per document, or listwise windows (cross-encoders ignore it). */
  mode: DecoderMode;
  /** Where the one-click local test model is fetched from when the model cannot be (`npm run hub`). */
  localHub: string;
}

function int(v: string | null, fallback: number | undefined, min: number, max: number): number | undefined {
  const n = v === null ? NaN : Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

export function settingsFromUrl(params: URLSearchParams): Settings {
  return {
    model: params.get('model') || DEFAULT_MODEL,
    hubUrl: params.get('hub') || undefined,
    device: (['auto', 'webgpu', 'wasm'].includes(params.get('device') ?? '') ? params.get('device') : 'auto') as Device,
    dtype: (params.get('dtype') || 'auto') as Dtype | 'auto',
    k: int(params.get('k'), 50, 1, 500)!,
    maxLength: int(params.get('maxlen'), undefined, 16, 8192),
    firstStage: FIRST_STAGE_MODES.find((m) => m === params.get('stage')) ?? 'standard',
    mode: params.get('mode') === 'listwise' ? 'listwise' : 'pointwise',
    localHub: params.get('localhub') || DEFAULT_LOCAL_HUB,
  };
}

/** Writes settings back into the address bar so that a configuration can be shared as a link. */
export function settingsToUrl(s: Settings): void {
  const p = new URLSearchParams(location.search);
  const set = (k: string, v: string | number | undefined, dflt?: string | number) => (v === undefined || v === dflt ? p.delete(k) : p.set(k, String(v)));
  set('model', s.model, DEFAULT_MODEL);
  set('hub', s.hubUrl);
  set('device', s.device, 'auto');
  set('dtype', s.dtype, 'auto');
  set('k', s.k, 50);
  set('maxlen', s.maxLength);
  set('stage', s.firstStage, 'standard');
  set('mode', s.mode, 'pointwise');
  history.replaceState(null, '', `${location.pathname}${p.size ? `?${p}` : ''}`);
}
