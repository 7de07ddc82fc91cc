(window as unknown as Record<string, unknown>).ab = (v: string, msg: object) => new Promise((resolve) => {
  const w = v === '130' ? new Worker(new URL('./ab130.worker.ts', import.meta.url), { type: 'module' }) : new Worker(new URL('./ab131.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e) => { w.terminate(); resolve(e.data); };
  w.onerror = (e) => { w.terminate(); resolve({ times: [], version: 'error ' + e.message }); };
  w.postMessage(msg);
});
(window as unknown as Record<string, unknown>).abReady = true;
