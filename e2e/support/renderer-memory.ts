// The memory of Chromium's renderer processes under this Node process (the page and its workers live there, WASM heaps
// included), from /proc on Linux: the resident size now, and its high-water mark since the last reset. The mark
// (VmHWM) catches a peak that sampling would miss; writing 5 to /proc/<pid>/clear_refs resets it to the current RSS.
import fs from 'node:fs';

const read = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null; // gone meanwhile
  }
};

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = read(`/proc/${name}/stat`);
    if (!st) continue;
    const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
    (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(name));
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Renderer processes (command line --type=renderer) started under `root`; [] off Linux. */
export function rendererPids(root = process.pid): number[] {
  if (process.platform !== 'linux') return [];
  return descendants(root).filter((pid) => read(`/proc/${pid}/cmdline`)?.includes('--type=renderer'));
}

function field(pid: number, name: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${name}:\\s+(\\d+) kB`).exec(read(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) * 1024 : 0;
}

/** Summed resident bytes of these processes now. */
export const rssBytes = (pids: number[]): number => pids.reduce((a, p) => a + field(p, 'VmRSS'), 0);
/** Summed high-water marks since the last resetPeaks. */
export const peakBytes = (pids: number[]): number => pids.reduce((a, p) => a + field(p, 'VmHWM'), 0);
/** Sets each process's high-water mark to its current RSS. */
export function resetPeaks(pids: number[]): void {
  for (const p of pids) {
    try {
      fs.writeFileSync(`/proc/${p}/clear_refs`, '5');
    } catch {
      // gone meanwhile, or not ours to reset
    }
  }
}
