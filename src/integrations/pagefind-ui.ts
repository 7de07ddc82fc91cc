// rerank-web/pagefind-ui: Pagefind's own UIs (the default UI and the modular UI), reranked. Both import
// `${bundlePath}pagefind.js` and read results only through its search(); this points bundlePath at a small module
// (a blob: URL) that forwards to the real pagefind.js through wrapPagefind, and asks the UI to search again once
// the reranked order is ready (the default UI's triggerFilters, the modular UI's triggerSearchWithFilters, both
// public methods). The results stay Pagefind's own objects, drawn by the UI's own markup.
import { createReranker, type RerankerOptions } from '../index.ts';
import { wrapPagefind, type PagefindModule, type PagefindRerankAdapterOptions, type RerankState } from './pagefind-wrap.ts';

export type { RerankState } from './pagefind-wrap.ts';
export { DEFAULT_UI_TOP_K } from './pagefind-wrap.ts';

/** The `rerank` option of `new PagefindUI({ ..., rerank })`: createReranker's options, the adapter's, and the UI's. */
export interface PagefindUIRerankOptions extends Omit<RerankerOptions, 'signal'>, PagefindRerankAdapterOptions {
  /** Text of the status line per state ('' hides it). Default: loading 'Loading the reranker…', reranking 'Reranking…'. */
  labels?: Partial<Record<RerankState, string>>;
  /** Hears every state change (and the error, for 'failed'). */
  onState?: (state: RerankState, error?: unknown) => void;
}

export const DEFAULT_LABELS: Record<RerankState, string> = { idle: '', loading: 'Loading the reranker…', reranking: 'Reranking…', reranked: '', failed: '' };

const REGISTRY = Symbol.for('rerank-web.pagefind-ui');
const EXPORTS = ['search', 'options', 'init', 'preload', 'filters', 'mergeIndex', 'destroy', 'debouncedSearch', 'createInstance'];
const WRAPPED = Symbol.for('rerank-web.pagefind-ui.wrapped');

/** A module URL whose exports forward to `mod`; the UI appends 'pagefind.js', which lands in the URL's fragment. */
function moduleUrlFor(mod: PagefindModule): string {
  const g = globalThis as unknown as Record<symbol, Map<string, PagefindModule>>;
  const registry = (g[REGISTRY] ??= new Map());
  const id = String(registry.size + 1);
  registry.set(id, mod);
  const src = `const m = globalThis[Symbol.for('rerank-web.pagefind-ui')].get(${JSON.stringify(id)});\n`
    + EXPORTS.map((n) => `export const ${n} = (...a) => m.${n}(...a);`).join('\n');
  return `${URL.createObjectURL(new Blob([src], { type: 'text/javascript' }))}#`;
}

/** Where pagefind.js is when the page did not say: beside the UI's own script, as the UI itself guesses, else /pagefind/. */
function defaultBundlePath(): string {
  for (const s of document.querySelectorAll<HTMLScriptElement>('script[src]')) {
    const m = new URL(s.src, location.href).pathname.match(/^(.*\/)pagefind-(?:modular-)?ui\.js$/);
    if (m) return m[1]!;
  }
  return '/pagefind/';
}

const ADAPTER_KEYS = ['topK', 'fields', 'getText', 'blend', 'threshold', 'scoreOptions'] as const;

function split(o: PagefindUIRerankOptions): { reranker: RerankerOptions; adapter: PagefindRerankAdapterOptions } {
  const reranker: Record<string, unknown> = { ...o };
  const adapter: Record<string, unknown> = {};
  for (const k of ADAPTER_KEYS) if (k in reranker) { adapter[k] = reranker[k]; delete reranker[k]; }
  delete reranker.labels;
  delete reranker.onState;
  return { reranker: reranker as RerankerOptions, adapter: adapter as PagefindRerankAdapterOptions };
}

/** The status line, placed above the default UI's results (in its form, before the drawer) and its state attribute. */
function statusLine(element: unknown, labels: Record<RerankState, string>): (s: RerankState) => void {
  const target = element instanceof HTMLElement ? element : typeof element === 'string' ? document.querySelector<HTMLElement>(element) : null;
  if (!target) return () => {};
  const line = document.createElement('p');
  line.className = 'rerank-web-status';
  line.setAttribute('role', 'status');
  line.hidden = true;
  const drawer = target.querySelector('.pagefind-ui__drawer');
  if (drawer) drawer.before(line);
  else target.append(line);
  return (s) => {
    target.dataset.rerankState = s;
    line.textContent = labels[s];
    line.hidden = labels[s] === '';
  };
}

type UI = { triggerFilters?(f: object): void; triggerSearchWithFilters?(term: string, f: object): void };
type UIClass = new (options?: Record<string, unknown>) => object;

/**
 * PagefindUI (or the modular UI's Instance) with a `rerank` option: the same constructor, whose results are
 * reranked. `rerank: false` turns it off for one instance; `defaults` apply to every instance.
 */
export function withReranking<C extends UIClass>(Base: C, defaults: PagefindUIRerankOptions = {}): C {
  if ((Base as unknown as Record<symbol, boolean>)[WRAPPED]) return Base;
  const Reranked = class extends (Base as UIClass) {
    constructor(...args: unknown[]) {
      const opts: Record<string, unknown> = { ...((args[0] as Record<string, unknown> | undefined) ?? {}) };
      const own = opts.rerank;
      delete opts.rerank; // the UI hands unknown options on to pagefind.js
      if (own === false) {
        super(opts);
        return;
      }
      const o: PagefindUIRerankOptions = { ...defaults, ...(own as PagefindUIRerankOptions | undefined) };
      const { reranker, adapter } = split(o);
      const bundle = typeof opts.bundlePath === 'string' ? opts.bundlePath : defaultBundlePath();
      const real = import(/* @vite-ignore */ new URL(`${bundle}pagefind.js`, location.href).href) as Promise<PagefindModule>;
      let show: (s: RerankState) => void = () => {};
      let self: UI | null = null;
      let warned = false;
      const mod = wrapPagefind(real, {
        scorer: () => createReranker(reranker),
        adapter,
        onReranked: (term, searchOptions) => {
          const filters = (searchOptions as { filters?: object } | undefined)?.filters ?? {};
          if (self?.triggerSearchWithFilters) self.triggerSearchWithFilters(term, filters);
          else self?.triggerFilters?.(filters);
        },
        onState: (s, error) => {
          show(s);
          o.onState?.(s, error);
          if (s === 'failed' && !o.onState && !warned) {
            warned = true;
            console.warn("rerank-web: the reranker failed; Pagefind's order stays.", error);
          }
        },
      });
      super({ ...opts, bundlePath: moduleUrlFor(mod) });
      self = this as UI;
      if ('element' in opts || !('triggerSearchWithFilters' in this)) show = statusLine(opts.element ?? '[data-pagefind-ui]', { ...DEFAULT_LABELS, ...o.labels });
    }
  };
  Object.defineProperty(Reranked, WRAPPED, { value: true });
  return Reranked as unknown as C;
}

/**
 * Makes `window.PagefindUI` and `window.PagefindModularUI.Instance` rerank, now or as soon as Pagefind's script
 * defines them: one script tag before the page's `new PagefindUI(...)`.
 */
export function installPagefindUI(defaults: PagefindUIRerankOptions = {}, win: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): void {
  // A copy: the modular UI's global is an esbuild namespace whose properties are getters with no setter.
  const wrapModular = (m: unknown) => {
    const mod = m as { Instance?: UIClass } | undefined;
    return mod?.Instance ? { ...mod, Instance: withReranking(mod.Instance, defaults) } : m;
  };
  for (const [name, wrap] of [['PagefindUI', (c: unknown) => (typeof c === 'function' ? withReranking(c as UIClass, defaults) : c)], ['PagefindModularUI', wrapModular]] as const) {
    if (win[name] !== undefined) {
      win[name] = wrap(win[name]);
      continue;
    }
    let value: unknown;
    Object.defineProperty(win, name, { configurable: true, enumerable: true, get: () => value, set: (v) => { value = wrap(v); } });
  }
}
