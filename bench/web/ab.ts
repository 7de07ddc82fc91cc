// Page of the run-plan A/B (bench/run/ab-plans.ts): one worker per call, on the ORT build asked for.
type Reply = { times: Record<string, number[]>; version: string };
declare global {
  interface Window {
    ab: (version: '130' | '131', msg: object) => Promise<Reply>;
    abReady: boolean;
  }
}

window.ab = (version, msg) => new Promise((resolve) => {
  // Literal URLs, so that Vite emits both worker chunks.
  const w = version === '130'
    ? new Worker(new URL('./ab130.worker.ts', import.meta.url), { type: 'module' })
    : new Worker(new URL('./ab131.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<Reply>) => {
    w.terminate();
    resolve(e.data);
  };
  w.onerror = (e) => {
    w.terminate();
    resolve({ times: {}, version: `error ${e.message}` });
  };
  w.postMessage(msg);
});
window.abReady = true;
export {};
