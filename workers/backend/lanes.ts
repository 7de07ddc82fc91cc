// Data-parallel WASM: several ORT sessions of one model, each in a lane worker of its own, running different
// documents at once. Why: one-document runs (dynamic int8) are small, and ORT's intra-op threads spend much of such a
// run waiting on each other; sessions of one thread each never do. It also needs no SharedArrayBuffer, so it gives a
// page that is not cross-origin isolated more than one core. A lane is this same worker script started under another
// name: every bundler that emitted the worker serves the lane too, and terminating the worker ends its lanes.
import type { PackedBatch } from '../../src/core/batching.ts';
import { deserializeError, RerankError, serializeError, type SerializedRerankError } from '../../src/errors.ts';
import { configureOrt, createSession, loadOrt, type ModelBytes, type ModelSession } from './session.ts';

export const LANE_NAME = 'rerank-web-lane';
/** Runs handed to a lane before its last one came back: the next waits there, so the lane never idles on messages. */
const DEPTH = 2;

/**
 * `wasm`: ORT's .wasm bytes, which the lane instantiates from (env.wasm.wasmBinary) instead of fetching them.
 * `shareWasm`: the lane fetches ORT's .wasm itself and posts a copy of the bytes as soon as they arrived.
 */
interface OpenMsg {
  type: 'open'; model: ModelBytes; numThreads: number; wasmPaths: string | null; lock: string;
  wasm: ArrayBuffer | null; shareWasm: boolean;
}
interface RunMsg { type: 'run'; id: number; batch: PackedBatch }
type ToLane = OpenMsg | RunMsg;

type FromLane =
  | { type: 'wasm'; bytes: ArrayBuffer | null }
  | { type: 'opened'; inputNames: string[]; outputName: string; hasTokenTypes: boolean }
  | { type: 'result'; id: number; data: Float32Array; dims: number[] }
  | { type: 'error'; id: number | null; error: SerializedRerankError };

export function isLaneWorker(): boolean {
  return typeof self !== 'undefined' && self.name.startsWith(LANE_NAME);
}

/** The lane's side: one WASM session, runs one at a time in arrival order. */
export function serveLane(): void {
  let session: ModelSession | null = null;
  let queue: Promise<void> = Promise.resolve();
  const post = (m: FromLane, transfer: Transferable[] = []) => self.postMessage(m, { transfer });
  const handle = async (m: ToLane) => {
    try {
      if (m.type === 'open') {
        // Held for the lane's life, so the parent learns of a death that fires no event (killed, out of memory).
        void navigator.locks?.request(m.lock, () => new Promise<never>(() => {}));
        // Lanes are WASM only: the CPU build (the parent chose WASM, so it loaded the same build and .wasm file).
        const ort = await loadOrt('cpu');
        configureOrt(ort, { numThreads: m.numThreads, wasmPaths: m.wasmPaths });
        if (m.wasm) ort.env.wasm.wasmBinary = m.wasm;
        const stopSharing = m.shareWasm ? shareWasmDownload((bytes) => post({ type: 'wasm', bytes }, bytes ? [bytes] : [])) : null;
        try {
          session = await createSession(ort, m.model, 'wasm');
        } finally {
          await stopSharing?.();
        }
        post({ type: 'opened', inputNames: [...session.inputNames], outputName: session.outputName, hasTokenTypes: session.hasTokenTypes });
      } else {
        if (!session) throw new RerankError('INFERENCE_FAILED', 'lane: run before open');
        const out = await session.run(m.batch);
        // A copy of our own to transfer (ORT's array may sit on memory that cannot be transferred).
        const data = new Float32Array(out.data);
        post({ type: 'result', id: m.id, data, dims: [...out.dims] }, [data.buffer]);
      }
    } catch (err) {
      post({ type: 'error', id: m.type === 'run' ? m.id : null, error: serializeError(err) });
    }
  };
  self.onmessage = (e: MessageEvent<ToLane>) => {
    queue = queue.then(() => handle(e.data));
  };
}

/**
 * While ORT starts in this lane: the first .wasm response it fetches is teed, and `share` gets a copy of its bytes
 * (null if ORT fetched none or the copy failed), so that the other lanes start from those bytes. Returns the undo.
 * Why: lanes that each fetch the same 26 MB file at once race for one URL, and a streaming compile whose response is
 * aborted in that race prints "wasm streaming compile failed" and downloads the file again (issue 12).
 */
function shareWasmDownload(share: (bytes: ArrayBuffer | null) => void): () => Promise<void> {
  const original = self.fetch;
  let copy: Promise<void> | null = null;
  self.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!copy && res.ok && new URL(url, self.location.href).pathname.endsWith('.wasm')) {
      copy = res.clone().arrayBuffer().then(share, () => share(null));
    }
    return res;
  };
  return async () => {
    self.fetch = original;
    // ORT instantiated without a fetch (it had the bytes): the pool must not wait for a copy.
    await (copy ?? share(null));
  };
}

interface Lane {
  worker: Worker;
  inFlight: number;
}

/**
 * Opens `lanes` WASM sessions of `model` in lane workers, `numThreads` threads each, as one ModelSession that takes
 * DEPTH runs per lane at once. Any lane failing to open fails the whole (with the lane's error code).
 */
export async function createLanePool(model: ModelBytes, lanes: number, numThreads: number, wasmPaths: string | null): Promise<ModelSession> {
  const pending = new Map<number, { resolve: (r: { data: Float32Array; dims: number[] }) => void; reject: (e: RerankError) => void }>();
  let nextId = 1;
  let dead: RerankError | null = null;
  const waiting: (() => void)[] = [];
  const pool: Lane[] = [];
  const failAll = (err: RerankError) => {
    dead ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    for (const l of pool) l.worker.terminate();
    waiting.splice(0).forEach((wake) => wake());
  };

  type Opened = Extract<FromLane, { type: 'opened' }>;
  // `wasm`: ORT's .wasm bytes for the lane to start from; `onWasm`: the lane fetches them and shares a copy.
  const open = (i: number, wasm: ArrayBuffer | null, onWasm?: (bytes: ArrayBuffer | null) => void) => new Promise<Opened>((resolve, reject) => {
    const worker = new Worker(self.location.href, { type: 'module', name: `${LANE_NAME}-${i}` });
    pool.push({ worker, inFlight: 0 });
    const lock = `${LANE_NAME}-${i}-${crypto.randomUUID()}`;
    const died = (why: string) => {
      const err = new RerankError('INFERENCE_FAILED', `a WASM session worker stopped: ${why}`);
      reject(err);
      failAll(err);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      died(e.message || 'it could not be started');
    };
    worker.onmessage = (e: MessageEvent<FromLane>) => {
      const m = e.data;
      if (m.type === 'wasm') {
        onWasm?.(m.bytes);
      } else if (m.type === 'opened') {
        // From now on the lane holds the lock: being granted it means the lane is gone.
        void navigator.locks?.request(lock, () => died('terminated, crashed or out of memory'));
        resolve(m);
      } else if (m.type === 'result') {
        pending.get(m.id)?.resolve(m);
        pending.delete(m.id);
      } else if (m.id === null) {
        reject(deserializeError(m.error));
      } else {
        pending.get(m.id)?.reject(deserializeError(m.error));
        pending.delete(m.id);
      }
    };
    // Each lane gets its own copy: ORT moves the model into the lane's WASM memory and drops it.
    const copy: ModelBytes = { file: model.file, graph: model.graph.slice(), externalData: model.externalData.map((d) => ({ path: d.path, data: d.data.slice() })) };
    const buffers = [copy.graph.buffer, ...copy.externalData.map((d) => d.data.buffer)];
    worker.postMessage({ type: 'open', model: copy, numThreads, wasmPaths, lock, wasm, shareWasm: Boolean(onWasm) } satisfies OpenMsg,
      wasm ? [...buffers, wasm] : buffers);
  });

  let first: Opened;
  try {
    // ORT's .wasm is fetched once, by the first lane; the others start from a copy of its bytes as soon as it has
    // them (while it still compiles), so no two lanes fetch and stream-compile the same URL at once.
    let others: Promise<Opened[]> | null = null;
    const startOthers = (bytes: ArrayBuffer | null) => {
      if (others) return;
      others = Promise.all(Array.from({ length: lanes - 1 }, (_, k) => open(k + 1, bytes ? bytes.slice(0) : null)));
      others.catch(() => {}); // awaited below; a first lane that fails first must not leave this one unhandled
    };
    first = await open(0, null, lanes > 1 ? startOthers : undefined);
    startOthers(null); // the first lane shared nothing (it never fetched): the others fetch for themselves
    await others;
  } catch (e) {
    failAll(e instanceof RerankError ? e : new RerankError('INFERENCE_FAILED', String(e)));
    throw e;
  }

  const acquire = async (): Promise<Lane> => {
    for (;;) {
      if (dead) throw dead;
      const free = pool.reduce<Lane | null>((best, l) => (l.inFlight < DEPTH && (!best || l.inFlight < best.inFlight) ? l : best), null);
      if (free) {
        free.inFlight++;
        return free;
      }
      await new Promise<void>((wake) => waiting.push(wake));
    }
  };

  return {
    device: 'wasm',
    parallelism: lanes * DEPTH,
    sessions: lanes,
    usable: () => dead === null,
    inputNames: first.inputNames,
    outputName: first.outputName,
    hasTokenTypes: first.hasTokenTypes,
    async run(batch) {
      const lane = await acquire();
      try {
        const id = nextId++;
        const reply = new Promise<{ data: Float32Array; dims: number[] }>((resolve, reject) => pending.set(id, { resolve, reject }));
        // Copies, not transfers: the caller's packed batch stays readable.
        lane.worker.postMessage({ type: 'run', id, batch } satisfies RunMsg);
        return await reply;
      } finally {
        lane.inFlight--;
        waiting.shift()?.();
      }
    },
    async release() {
      // Terminating a lane frees its WASM memory whole, which releasing the session inside it would not.
      failAll(new RerankError('DISPOSED', 'the WASM sessions were released'));
    },
  };
}
