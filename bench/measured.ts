/**
 * Did a scenario measure anything? A record can be valid JSON and still hold no figure: the
 * fleet benchmark once timed out every remote open, wrote `p50: null` and passed CI's short
 * run for two weeks. These checks name, per scenario, the figures a run that worked always has
 * (a finite, positive number, or a completed window); `checkResult` (bench/stats.ts) throws
 * with every missing one, so `bench` exits non-zero and CI fails.
 *
 * They say nothing about how good a figure is: a CI machine's numbers mean nothing.
 */

type Rec = Record<string, unknown>;

const isRec = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const positive = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x > 0;
const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);

/** The value at a dotted path (`a.b.c`), or undefined. */
function at(r: unknown, dotted: string): unknown {
  let x: unknown = r;
  for (const k of dotted.split('.')) x = isRec(x) ? x[k] : undefined;
  return x;
}

/** Collects "where: what" lines for the figures that are missing. */
class Problems {
  readonly list: string[] = [];
  need(ok: boolean, where: string, what: string): void {
    if (!ok) this.list.push(`${where}: ${what}`);
  }
  positive(r: unknown, where: string, ...paths: string[]): void {
    for (const p of paths)
      this.need(
        positive(at(r, p)),
        where,
        `${p} is ${JSON.stringify(at(r, p)) ?? 'missing'}, not a positive number`,
      );
  }
  finite(r: unknown, where: string, ...paths: string[]): void {
    for (const p of paths)
      this.need(
        finite(at(r, p)),
        where,
        `${p} is ${JSON.stringify(at(r, p)) ?? 'missing'}, not a number`,
      );
  }
  entries(r: unknown, where: string): unknown[] {
    const xs = Array.isArray(r) ? r : [];
    this.need(xs.length > 0, where, 'no entries');
    return xs;
  }
}

const STEPS = ['deposit', 'depositOpen', 'notice', 'pickup'];
const stepPaths = (prefix: string) =>
  STEPS.flatMap((s) => [`${prefix}.${s}.p50`, `${prefix}.${s}.p99`]);

const CHECKS: Record<string, (r: Rec, p: Problems) => void> = {
  floor(r, p) {
    p.positive(
      r,
      'floor',
      'medians.sqliteCommitsPerSec',
      'medians.httpCpuPerRequestUs',
      'medians.brokerCpuPerMessageUs',
      'medians.brokerRoundTripP50Ms',
    );
  },
  cycle(r, p) {
    const variants = isRec(r.variants) ? Object.entries(r.variants) : [];
    p.need(variants.length > 0, 'cycle', 'no variants');
    for (const [name, v] of variants) {
      const w = `cycle ${name}`;
      // A window that completed cycles measured them, whether or not it held the p99 limit: on a
      // loaded CI machine (the short run goes beside the fault suites) none may hold, and then
      // atSustained carries the best window and sustainedCyclesPerSec is 0.
      const windows = (Array.isArray(at(v, 'runs')) ? (at(v, 'runs') as unknown[]) : []).flat();
      p.need(
        windows.some((x) => positive(at(x, 'completed'))),
        w,
        'no window completed a cycle',
      );
      p.finite(v, w, 'sustainedCyclesPerSec');
      p.positive(
        v,
        w,
        'atSustained.nodeCpuPerCycleMs',
        'atSustained.ratioToFloor',
        'atSustained.perCycle.commits',
        'atSustained.perCycle.sqlStatements',
        'atSustained.perCycle.brokerMessages',
      );
      p.finite(v, w, ...stepPaths('atSustained.stepsMs'));
      // The store replay (bench/store-replay.ts), where it ran: a price, and the copy stayed in step.
      if (at(v, 'storeReplay') !== null && at(v, 'storeReplay') !== undefined) {
        p.positive(v, w, 'storeReplay.storeCpuPerCycleMs', 'storeReplay.statementsPerCycle');
        p.need(
          at(v, 'storeReplay.divergent') === 0,
          w,
          `the store replay diverged from the node: ${String(at(v, 'storeReplay.firstDivergence'))}`,
        );
      }
    }
  },
  fleet(r, p) {
    const sizes = p.entries(r.sizes, 'fleet sizes');
    p.positive(r, 'fleet', 'lockersHeld', 'nodeRssMiBAtHeld');
    for (const s of sizes) {
      const w = `fleet at ${String(at(s, 'lockers'))} lockers`;
      p.need(at(s, 'online') === at(s, 'lockers'), w, `${String(at(s, 'online'))} online`);
      p.positive(s, w, 'commandRoundTripMs.p50', 'commandRoundTripMs.p99');
    }
  },
  history(r, p) {
    const sizes = p.entries(r.sizes, 'history sizes');
    p.need(sizes.length >= 2, 'history', 'needs a small and a large history to compare');
    for (const s of sizes) {
      const w = `history at ${String(at(s, 'historyParcels'))} parcels`;
      p.finite(s, w, ...stepPaths('stepsMs'));
      p.positive(s, w, 'nodeCpuPerCycleMs');
    }
    p.finite(r, 'history', ...STEPS.map((x) => `p99RatioLargeToSmall.${x}`));
  },
  web(r, p) {
    const wire = isRec(r.wire) ? Object.entries(r.wire) : [];
    p.need(wire.length > 0, 'web', 'no app measured on the wire');
    for (const [app, x] of wire) p.positive(x, `web ${app}`, 'brKiB', 'gzipKiB');
    p.positive(r, 'web', 'firstParcelList.coldMs', 'firstParcelList.warmMs');
  },
  analytics(r, p) {
    const qs = p.entries(r.queries, 'analytics queries');
    qs.forEach((q, i) => p.finite(q, `analytics query ${i}`, 'rollupP95Ms'));
    p.finite(r, 'analytics', 'worstRollupP95Ms');
  },
  prepared(r, p) {
    const runs = isRec(r.runs) ? Object.entries(r.runs) : [];
    p.need(runs.length > 0, 'prepared', 'no dialect measured');
    for (const [dialect, x] of runs)
      p.positive(x, `prepared ${dialect}`, 'builderUsPerCall', 'compiledUsPerCall');
  },
};

/**
 * The figures a record of its scenario is missing, one line each; empty when it measured
 * what it should. A skipped scenario (`skipped`: no web build, no PostgreSQL) and a probe
 * (`<scenario>-probe`, a single fixed rate that may break on purpose) are not checked.
 */
export function unmeasured(record: Rec): string[] {
  if ('skipped' in record) return [];
  const check = CHECKS[String(record.scenario)];
  if (!check) return [];
  const p = new Problems();
  check(record, p);
  return p.list;
}
