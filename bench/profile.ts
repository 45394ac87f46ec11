/** Reads a V8 .cpuprofile and names the top costs by self time: per function and per file. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const short = (url: string) =>
  url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules\/|src\/|bench\/)/, '$1') || '(native)';

/** Top self-time entries (ms and share of non-idle samples) by function and by file. */
export function summarizeProfile(p: CpuProfile, top = 20) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++)
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  // Samples taken while the inspector itself was being driven (starting the profile) are the benchmark's, not the node's.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const fromInspector = (id: number): boolean => {
    for (let c: number | undefined = id; c !== undefined; c = parent.get(c))
      if (byId.get(c)!.callFrame.url === 'node:inspector') return true;
    return false;
  };
  for (const [id, us] of self) {
    if (fromInspector(id)) continue;
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const where = cf.url ? `${short(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const f = cf.url ? short(cf.url) : cf.functionName;
    file.set(f, (file.get(f) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 100) / 10,
        share: Math.round((us / busy) * 1000) / 10,
      }));
  return {
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(idle / 1000),
    topFunctions: rank(fn),
    topFiles: rank(file),
  };
}
