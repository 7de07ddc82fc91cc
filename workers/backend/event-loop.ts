// Yielding to the worker's event loop between runs, so that a cancel message is seen before the next run.
const channel = typeof MessageChannel === 'undefined' ? null : new MessageChannel();
const woken: (() => void)[] = [];
if (channel) channel.port1.onmessage = () => woken.shift()?.();
/**
 * A macrotask boundary (faster than setTimeout's clamp) so that messages queued during a run are handled. Several
 * runners (one per WASM session) may wait at once: each gets its own message.
 */
export function yieldToEventLoop(): Promise<void> {
  if (!channel) return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    woken.push(resolve);
    channel.port2.postMessage(null);
  });
}
