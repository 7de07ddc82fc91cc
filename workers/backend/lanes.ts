// Data-parallel WASM: several ORT sessions of one model, each in a lane worker of its own, running different
// documents at once. Why: one-document runs (dynamic int8) are small, and ORT's intra-op threads spend much of such a
// run waiting on each other; sessions of one thread each never do. It also needs no SharedArrayBuffer, so it gives a
// page that is not cross-origin isolated more than one core. A lane is this same worker script started under another
// name: every bundler that emitted the worker serves the lane too, and terminating the worker ends its lanes.
import type { PackedBatch } from '../../src/core/batching.ts';
import { deserializeError, RerankError, serializeError, type SerializedRerankError } from '../../src/errors.ts';
import { configureOrt, createSession, loadOrt, type ModelSession } from './session.ts';

export const LANE_NAME = 'rerank-web-lane';
/** Runs handed to a lane before its last one came back: the next waits there, so the lane never idles on messages. */
const DEPTH = 2;

interface OpenMsg { type: 'open'; bytes: Uint8Array; file: string; numThreads: number; wasmPaths: string | null; lock: string }
interface RunMsg { type: 'run'; id: number; batch: PackedBatch }
type ToLane = OpenMsg | RunMsg;

type FromLane =
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
        const ort = await loadOrt();
        configureOrt(ort, { numThreads: m.numThreads, wasmPaths: m.wasmPaths });
        session = await createSession(ort, m.bytes, 'wasm', m.file);
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

interface Lane {
  worker: Worker;
  inFlight: number;
}

/**
 * Opens `lanes` WASM sessions of `bytes` in lane workers, `numThreads` threads each, as one ModelSession that takes
 * DEPTH runs per lane at once. Any lane failing to open fails the whole (with the lane's error code).
 */
export async function createLanePool(bytes: Uint8Array, file: string, lanes: number, numThreads: number, wasmPaths: string | null): Promise<ModelSession> {
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

  const open = (i: number) => new Promise<{ type: 'opened'; inputNames: string[]; outputName: string; hasTokenTypes: boolean }>((resolve, reject) => {
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
      if (m.type === 'opened') {
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
    const copy = bytes.slice();
    worker.postMessage({ type: 'open', bytes: copy, file, numThreads, wasmPaths, lock } satisfies OpenMsg, [copy.buffer]);
  });

  let first: Awaited<ReturnType<typeof open>>;
  try {
    const opened = await Promise.all(Array.from({ length: lanes }, (_, i) => open(i)));
    first = opened[0]!;
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
