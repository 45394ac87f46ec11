/**
 * `npm run test:faults` — the crash and fault suites, outside the default test run.
 *
 *   npx tsx test/faults/run.ts --mode short            CI: a few trials per dialect and target
 *   npx tsx test/faults/run.ts --mode full             1,000 crash trials per dialect (hours)
 *   npx tsx test/faults/run.ts --seed S --trials 1     replay one trial's schedule
 *
 * Options: --db sqlite|postgres|both (default: both when DATABASE_URL is PostgreSQL),
 * --target node|agent|both, --trials N, --seed S, --suites crash,network,slow,load.
 * Prints the run seed first and every failing trial's seed; exits 1 on any violation.
 */
import { parseArgs } from 'node:util';
import { type Answer, CrashWorld, type Dialect } from './crash-world.ts';
import { crashTrial, isFinal, type Pending, settle, type Target } from './crash.ts';
import type { Ledger } from './invariants.ts';
import { runNetworkFaults } from './network.ts';
import { runSlowClients } from './slow-clients.ts';
import { runLoad } from './load.ts';
import { scanLogFile } from './log-scan.ts';

const { values: a } = parseArgs({
  options: {
    mode: { type: 'string', default: 'short' },
    db: { type: 'string' },
    target: { type: 'string', default: 'both' },
    trials: { type: 'string' },
    seed: { type: 'string' },
    suites: { type: 'string', default: 'crash,network,slow,load' },
  },
});
const full = a.mode === 'full';
const pg = /^postgres/.test(process.env['DATABASE_URL'] ?? '');
const dialects: Dialect[] =
  a.db === 'sqlite' || a.db === 'postgres' ? [a.db] : pg ? ['sqlite', 'postgres'] : ['sqlite'];
const targets: Target[] =
  a.target === 'node' || a.target === 'agent' ? [a.target] : ['node', 'agent'];
const trials = Number(a.trials ?? (full ? 500 : 3));
const runSeed = a.seed ?? `r${Date.now().toString(36)}`;
const suites = new Set(a.suites!.split(','));
if (!pg)
  process.stdout.write('[faults] DATABASE_URL is not PostgreSQL: the PostgreSQL half is SKIPPED\n');
process.stdout.write(
  `[faults] seed ${runSeed} · mode ${a.mode} · ${dialects.join('+')} · ${trials} trials per target (${targets.join('+')})\n`,
);

/**
 * Violations the suites found that wait for a product fix (docs/reliability.md, "Open
 * findings"). They are printed as KNOWN BUG and do not fail the run, so CI stays green for
 * everything else; FAULTS_STRICT=1 fails on them too. Remove a line once its fix lands.
 */
const KNOWN_BUGS: { re: RegExp; what: string }[] = [];
let failures = 0;
let known = 0;
/** Report a violation; 1 when it counts as a failure, 0 for a known bug. */
const fail = (line: string): number => {
  const bug = KNOWN_BUGS.find((b) => b.re.test(line));
  if (bug && !process.env['FAULTS_STRICT']) {
    known++;
    process.stdout.write(`  KNOWN BUG ${line}\n       (${bug.what})\n`);
    return 0;
  }
  failures++;
  process.stdout.write(`  FAIL ${line}\n`);
  return 1;
};

// The slow-client scenario mostly waits (≈ 65 s for the node to cut trickling sockets) on its own
// in-process server: run it alongside the other suites instead of after them.
const slowClients: Promise<string[]> = suites.has('slow')
  ? runSlowClients().catch((e: unknown) => [`could not run: ${String(e)}`])
  : Promise.resolve([]);

/** The crash trials of one dialect: kill -9 the node and the agents mid-request, then check the ledger. */
async function crashSuite(dialect: Dialect): Promise<void> {
  let mine = 0; // this dialect's failures (the other dialect's run alongside)
  const w = await CrashWorld.create(dialect, { lockers: 3 });
  const ledger: Ledger = { deposits: new Map(), commands: new Set(), unknownWaybills: new Set() };
  const deferred: Pending[] = [];
  const started = Date.now();
  let done = 0;
  // A violation stays visible in later trials' checks; report each once, with the trial that found it.
  const reported = new Set<string>();
  try {
    for (const target of targets) {
      for (let i = 0; i < trials; i++) {
        // One trial replays from its own seed; with --trials 1 --seed S the seed is used as given.
        const seed = trials === 1 && a.seed ? a.seed : `${runSeed}-${dialect}-${target}-${i}`;
        const res = await crashTrial(w, ledger, seed, target, deferred);
        done++;
        if (process.env['FAULTS_VERBOSE'])
          process.stdout.write(
            `  trial ${seed}: kill at ${res.killAtMs} ms into ${res.ops.join(',')}, ${res.retried} retried, ${res.ms} ms\n`,
          );
        const fresh = res.violations.filter((v) => !reported.has(v));
        if (fresh.length) {
          const before = mine;
          for (const v of fresh) {
            reported.add(v);
            mine += fail(
              `[crash ${dialect} ${target}] ${v} — trial seed ${seed} (kill at ${res.killAtMs} ms into ${res.ops.join(',')}); replay: --db ${dialect} --target ${target} --seed ${seed} --trials 1`,
            );
          }
          // Later trials would repeat the same story; stop at the first real failure in short mode.
          if (mine > before && !full) break;
        }
        if (done % 25 === 0)
          process.stdout.write(
            `  [crash ${dialect}] ${done} trials, ${ledger.deposits.size} deposits accepted, ${Math.round((Date.now() - started) / 1000)} s\n`,
          );
      }
    }
    if (deferred.length) {
      process.stdout.write(
        `  [crash ${dialect}] ${deferred.length} requests still claimed by a dead node; waiting out the 60 s claim\n`,
      );
      await new Promise((r) => setTimeout(r, 62_000));
      for (const p of deferred.splice(0)) {
        const ans = await w.call(p.who, p.method, p.url, p.body, p.key);
        if (isFinal(ans)) p.onAnswer(ans.status, ans.body);
        else
          fail(
            `[crash ${dialect}] ${p.method} ${p.url} key ${p.key} never got a final answer (${(ans as Answer)?.status ?? 'no connection'})`,
          );
      }
      await settle(w);
      const { checkInvariants } = await import('./invariants.ts');
      for (const v of await checkInvariants(w, ledger, { settleGraceMs: 20_000 }))
        if (!reported.has(v)) fail(`[crash ${dialect}] after retries: ${v}`);
    }
    const kills = `${w.node.starts - 1} node kills, ${w.cabinets.reduce((n, c) => n + c.crashes, 0)} agent kills`;
    process.stdout.write(
      `[crash ${dialect}] ${done} trials (${kills}), ${ledger.deposits.size} deposits accepted, ${w.putIn.size} parcels stored by hand, ${w.takenOut.size} picked up, ${ledger.commands.size} staff commands · ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    for (const f of scanLogFile(w.node.logFile, w.codes))
      fail(`[privacy ${dialect}] node log: ${f}`);
  } finally {
    await w.close();
  }
}

/**
 * The two dialects' crash and network suites run side by side: each has its own node process,
 * database, ports and agents, and mostly waits (nodes restarting, doors closing, the network
 * healing), so together they take little more than the longer of the two. The load scenario
 * offers a fixed request rate and reports its latency, so it runs alone, one dialect at a time.
 */
await Promise.all(
  dialects.map(async (dialect) => {
    if (suites.has('crash')) await crashSuite(dialect);
    if (suites.has('network'))
      for (const f of await runNetworkFaults(dialect, { seed: `${runSeed}-net-${dialect}`, full }))
        fail(`[network ${dialect}] ${f}`);
  }),
);
for (const dialect of dialects)
  if (suites.has('load'))
    for (const f of await runLoad(dialect, { seed: `${runSeed}-load-${dialect}`, full }))
      fail(`[load ${dialect}] ${f}`);
for (const f of await slowClients) fail(`[slow clients] ${f}`);

const knownNote = known ? ` (${known} known bug(s) reported above)` : '';
process.stdout.write(
  failures
    ? `[faults] ${failures} failure(s)${knownNote}; seed ${runSeed}\n`
    : `[faults] all held${knownNote}; seed ${runSeed}\n`,
);
process.exit(failures ? 1 : 0);
