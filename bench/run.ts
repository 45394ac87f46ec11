/**
 * The benchmark harness: `antnest bench <scenario|all> [--short] [--runs N] [--seed S]`
 * (`npm run bench`, `npm run bench:short`). Each scenario prints a table and writes
 * bench/results/<scenario>.json (the machine, the seed, medians of ≥ 3 runs); the short
 * mode (CI) shrinks every scenario so all of them finish in under two minutes, writes to
 * bench/results/short/ and only checks that each completes with valid JSON holding the figures its
 * scenario always measures when it works (bench/measured.ts), whatever their values.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { checkResult, machine, writeResult } from './stats.ts';

/** What every scenario receives. */
export interface ScenarioContext {
  short: boolean;
  runs: number;
  seed: string;
  cpuProf: boolean;
  args: Record<string, string | boolean | undefined>;
}

type Scenario = (ctx: ScenarioContext) => Promise<object>;
const SCENARIOS: Record<string, () => Promise<Scenario>> = {
  floor: async () => (await import('./floor.ts')).floorScenario,
  cycle: async () => (await import('./cycle.ts')).cycleScenario,
  fleet: async () => (await import('./fleet-scale.ts')).fleetScenario,
  history: async () => (await import('./history.ts')).historyScenario,
  web: async () => (await import('./web.ts')).webScenario,
  analytics: async () => (await import('./analytics.ts')).analyticsScenario,
  prepared: async () => (await import('./prepared.ts')).preparedScenario,
};
const ORDER = ['floor', 'cycle', 'fleet', 'history', 'web', 'analytics', 'prepared'];

const HELP = `antnest bench <scenario|all> [flags]

Scenarios: ${ORDER.join(', ')}, all (each in its own process, in that order)
Flags:
  --short          CI mode: small sizes, writes bench/results/short/, checks the JSON
  --runs N         runs per measurement (default 3; medians are reported)
  --seed S         seed of arrivals, lockers and the fleet (default bench-2026)
  --cpu-prof       cycle: profile the node during one steady window (bench/results/cycle.cpuprofile)
  --store-replay   cycle: also price the store alone — one steady window's SQL replayed raw
                   on a copy of the database (bench/store-replay.ts); on in full runs
  --lockers N      cycle/history: lockers in the scaled subdistrict (default 1500)
  --rate R         cycle: one steady window per run at R cycles/s instead of the ramp
  --seconds S      cycle: window length (default 8; 3 with --short)
  --variant NAME   cycle: only the variant whose name starts with NAME (node, fleet)
                   (with --rate or --variant the result goes to <scenario>-probe.json)
  --max-lockers N  fleet: largest fleet to try (default 10000)
  --history N      history/analytics: the large history size (default 10000000)
`;

const OPTIONS = {
  short: { type: 'boolean' },
  runs: { type: 'string' },
  seed: { type: 'string' },
  'cpu-prof': { type: 'boolean' },
  'store-replay': { type: 'boolean' },
  lockers: { type: 'string' },
  rate: { type: 'string' },
  seconds: { type: 'string' },
  variant: { type: 'string' },
  'max-lockers': { type: 'string' },
  history: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Run one scenario in this process and write its result; returns the file. */
async function runOne(name: string, ctx: ScenarioContext): Promise<string> {
  const scenario = await SCENARIOS[name]!();
  const t0 = performance.now();
  const result = await scenario(ctx);
  // A probe (a fixed --rate, or one --variant) is not the scenario's record: it writes beside it.
  const probe = Boolean(ctx.args.rate || ctx.args.variant);
  const file = writeResult(
    probe ? `${name}-probe` : name,
    { ...result, wallSeconds: Math.round((performance.now() - t0) / 100) / 10 },
    { short: ctx.short, seed: ctx.seed },
  );
  checkResult(file);
  console.log(`${name}: wrote ${path.relative(process.cwd(), file)}`);
  return file;
}

/** Entry point of `antnest bench`; returns the exit code. */
export async function runBench(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const which = parsed.positionals[0];
  if (parsed.values.help || !which) {
    process.stdout.write(HELP);
    return which || parsed.values.help ? 0 : 2;
  }
  if (which !== 'all' && !SCENARIOS[which]) {
    process.stderr.write(`Unknown scenario "${which}".\n\n${HELP}`);
    return 2;
  }
  const ctx: ScenarioContext = {
    short: parsed.values.short ?? false,
    // Full mode reports medians of at least 3 runs; the short mode (CI) only proves every scenario
    // completes, and a fixed --rate is an A/B probe: both take --runs as given.
    runs:
      parsed.values.short || parsed.values.rate
        ? Number(parsed.values.runs ?? 1)
        : Math.max(3, Number(parsed.values.runs ?? 3)),
    seed: parsed.values.seed ?? 'bench-2026',
    cpuProf: parsed.values['cpu-prof'] ?? false,
    args: parsed.values,
  };
  if (which !== 'all') {
    await runOne(which, ctx);
    return 0;
  }
  const m = machine();
  console.log(
    `antnest bench (${ctx.short ? 'short' : 'full'}) on ${m.cores} cores, ${m.cpu}, Node ${m.node}, load ${m.loadAverage1m}`,
  );
  const failed: string[] = [];
  for (const name of ORDER) {
    console.log(`\n=== ${name} ===`);
    // One process per scenario: its CPU, memory and leftovers do not leak into the next.
    const code = await new Promise<number>((resolve) => {
      const p = spawn(
        process.execPath,
        ['--import', 'tsx', new URL(import.meta.url).pathname, name, ...argv.slice(1)],
        { stdio: 'inherit' },
      );
      p.on('exit', (c) => resolve(c ?? 1));
    });
    if (code !== 0) failed.push(name);
  }
  if (failed.length) {
    console.error(`\nbench: ${failed.join(', ')} failed`);
    return 1;
  }
  console.log('\nbench: every scenario completed and measured what it should');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runBench(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error((e as Error).stack ?? e);
      process.exit(1);
    },
  );
}
