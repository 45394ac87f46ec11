/**
 * History scenario: the parcel cycle's p99 with 10,000 and with 10,000,000 finished
 * parcels already in the database (built by bench/history-gen.ts straight into SQLite,
 * not through the API), at the same fixed offered rate on the same scaled world. The
 * target is p99 at 10 M ≤ 1.5 × p99 at 10 k. One node serves both: the difference is
 * bulk-loaded into its database between the two measurements. The short mode compares
 * 1,000 with 20,000.
 */
import { startRig, window } from './cycle-rig.ts';
import type { ScenarioContext } from './run.ts';
import { median, r3 } from './stats.ts';

const STEPS = ['deposit', 'depositOpen', 'notice', 'pickup'] as const;

/** The scenario. */
export async function historyScenario(ctx: ScenarioContext): Promise<object> {
  const log = console.log;
  const big = ctx.short ? 20_000 : Number(ctx.args.history ?? 10_000_000);
  const sizes = ctx.short ? [1_000, big] : [10_000, big];
  if (big <= sizes[0]!) throw new Error(`--history must be more than ${sizes[0]}`);
  const lockers = ctx.short ? 40 : Number(ctx.args.lockers ?? 1500);
  const rate = ctx.short ? 4 : 10;
  const seconds = ctx.short ? 3 : 10;
  const out: Record<string, unknown>[] = [];
  // One node and one world for both sizes: measure with the small history, bulk-load the rest into the same database, measure again.
  const t0 = performance.now();
  const rig = await startRig({
    lockers,
    halls: ctx.short ? 3 : 50,
    seed: ctx.seed,
    historyParcels: sizes[0]!,
    log,
  });
  try {
    let generator: unknown = rig.info.history;
    let setupSeconds = r3((performance.now() - t0) / 1000);
    for (const parcels of sizes) {
      if (parcels !== sizes[0]) {
        const t1 = performance.now();
        log(`\nadding ${(parcels - sizes[0]!).toLocaleString('en')} finished parcels…`);
        generator = await rig.node.call('history', {
          parcels: parcels - sizes[0]!,
          seed: `${ctx.seed}:history:big`,
          offset: sizes[0],
        });
        setupSeconds = r3((performance.now() - t1) / 1000);
        log(`  ${JSON.stringify(generator)}`);
      }
      log(`history ${parcels.toLocaleString('en')} parcels`);
      await window(rig, rate, 2, `hist-warm-${parcels}`, null);
      const runs: Awaited<ReturnType<typeof window>>[] = [];
      for (let run = 0; run < ctx.runs; run++) {
        const w = await window(rig, rate, seconds, `hist-${parcels}-${run}`, null);
        runs.push(w);
        log(
          `  run ${run + 1}: ${w.completed}/${w.started} done, p99 deposit ${w.stepsMs.deposit.p99} · open ${w.stepsMs.depositOpen.p99} · notice ${w.stepsMs.notice.p99} · pickup ${w.stepsMs.pickup.p99} ms`,
        );
      }
      const med = (f: (w: (typeof runs)[number]) => number) => r3(median(runs.map(f)));
      out.push({
        historyParcels: parcels,
        generator,
        setupSeconds,
        stepsMs: Object.fromEntries(
          STEPS.map((k) => [
            k,
            { p50: med((w) => w.stepsMs[k].p50), p99: med((w) => w.stepsMs[k].p99) },
          ]),
        ),
        nodeCpuPerCycleMs: med((w) => w.nodeCpuPerCycleMs),
        failed: runs.reduce((n, w) => n + w.failed, 0),
        runs,
      });
    }
  } finally {
    await rig.stop();
  }
  const [small, large] = out as { stepsMs: Record<string, { p99: number }> }[];
  const ratio = Object.fromEntries(
    STEPS.map((k) => [k, r3(large!.stepsMs[k]!.p99 / small!.stepsMs[k]!.p99)]),
  );
  console.table(
    Object.fromEntries(
      out.map((o) => [
        `${(o.historyParcels as number).toLocaleString('en')} parcels`,
        Object.fromEntries(
          STEPS.map((k) => [`${k} p99`, (o.stepsMs as Record<string, { p99: number }>)[k]!.p99]),
        ),
      ]),
    ),
  );
  console.log(`p99 ratio large/small: ${JSON.stringify(ratio)} (target ≤ 1.5)`);
  return {
    runs: ctx.runs,
    lockers,
    offeredPerSec: rate,
    windowSeconds: seconds,
    notes: [
      'Same world, same node, same offered rate; only the number of finished parcels differs. Parcels older than 90 days are de-identified, as retention leaves them.',
      'The generator writes on its own connection with synchronous=OFF, multi-row INSERTs of 250 rows and one transaction per 50,000 rows.',
    ],
    sizes: out,
    p99RatioLargeToSmall: ratio,
  };
}
