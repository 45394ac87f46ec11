/**
 * The antnest command line: parse the command and flags, load the configuration, and
 * start what was asked. `antnest help` lists the commands.
 */
import { parseArgs } from 'node:util';
import closeWithGrace from 'close-with-grace';
import { type Config, ConfigError, type Flags, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { printDemoLogins } from './demo/logins.ts';
import { seedDemo } from './demo/seed.ts';
import { seedDemoLockers } from './demo/lockers.ts';
import { seedDemoHistory } from './demo/history.ts';
import { startDemoFleet } from './demo/fleet.ts';
import { runFleetCommand, runLockerCommand } from './device/cli.ts';
import { standaloneDeps, startServer } from './server.ts';
import { buildWebAppsIfMissing } from './platform/http/static.ts';
import { systemClock } from './platform/clock.ts';
import type { AppDeps } from './platform/deps.ts';
import { LocalSmsSender } from './platform/notify/sms.ts';
import pino from 'pino';

const HELP = `antnest — lockers, service halls and needs for the last 100 metres

Usage: antnest <command> [flags]

Commands:
  serve          start the HTTP API and MQTT (with --demo: seed Jinquan on first run and simulate its lockers)
  locker         run the reference locker agent for one cabinet (antnest locker --help)
  fleet          run N simulated lockers against a broker (antnest fleet --help)
  bench          run the benchmarks (antnest bench --help)
  migrate        bring the database schema up to date and exit
  seed --demo    seed the Jinquan demo subdistrict (first run only) and exit
  ledger verify  recompute every ledger balance from the journal and check its hash chain
  analytics rebuild  recompute every dashboard rollup from the modules' event histories
  help           show this text

Flags (each also has an environment variable; see README "Configuration"):
  --demo                  demo mode: generated secrets in the data dir, busy ports move, dev SMS inbox
  --host HOST             listen address (HOST, default 127.0.0.1)
  --port PORT             HTTP port (PORT, default 8080)
  --data-dir DIR          data directory (DATA_DIR, default ./data)
  --database-url URL      postgres://… or sqlite:path (DATABASE_URL, default sqlite in the data dir)
  --mqtt-url URL          external broker mqtt://user:pass@host:1883 (MQTT_URL; default: the embedded broker)
  --mqtt-port PORT        embedded broker port (MQTT_PORT, default 1883)
  --node-id ID             this node's id in a cluster (NODE_ID; default host-pid-random)
  --fleet                 run the demo lockers as simulated devices (ANTNEST_DEMO_FLEET; default on with --demo)
  --log-level LEVEL       fatal|error|warn|info|debug|trace|silent (LOG_LEVEL, default info)
`;

const FLAG_OPTIONS = {
  demo: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  'database-schema': { type: 'string' },
  'log-level': { type: 'string' },
  'mqtt-url': { type: 'string' },
  'mqtt-port': { type: 'string' },
  'node-id': { type: 'string' },
  fleet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
  // Device-side commands have their own flags (src/device/cli.ts).
  if (argv[0] === 'locker') return runLockerCommand(argv.slice(1));
  if (argv[0] === 'fleet') return runFleetCommand(argv.slice(1));
  if (argv[0] === 'bench') {
    // The benchmarks sit outside the server's module graph: bin/antnest.js dispatches them.
    process.stderr.write('antnest bench: run it through bin/antnest.js (npm run bench).\n');
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAG_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const command = parsed.positionals[0] ?? 'help';
  if (command === 'help' || parsed.values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadConfig(process.env, parsed.values as Flags);
  switch (command) {
    case 'serve':
      await serve(config);
      return -1; // keeps running until a signal
    case 'migrate':
      return migrateOnly(config);
    case 'seed':
      return seedOnly(config);
    case 'ledger':
      return (await import('./modules/ledger/ledger.cli.ts')).ledgerCli(
        config,
        parsed.positionals.slice(1),
      );
    case 'analytics':
      return (await import('./modules/analytics/analytics.cli.ts')).analyticsCli(
        config,
        parsed.positionals.slice(1),
      );
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

function describeDatabase(config: Config): string {
  return config.database.kind === 'sqlite'
    ? `sqlite ${config.database.file}`
    : `postgres ${new URL(config.database.url).host}${config.database.schema ? ` schema ${config.database.schema}` : ''}`;
}

async function migrateOnly(config: Config): Promise<number> {
  const database = await openDatabase(config.database);
  try {
    const applied = await migrateToLatest(database.db, database.schema);
    process.stdout.write(
      `antnest migrate: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'} (${describeDatabase(config)})\n`,
    );
    return 0;
  } finally {
    await database.destroy();
  }
}

/** Services for CLI commands that run without the HTTP app. */
function cliDeps(config: Config, db: AppDeps['db']): AppDeps {
  return standaloneDeps(
    config,
    db,
    new LocalSmsSender(pino({ level: config.logLevel }), systemClock, null),
  );
}

async function seedOnly(config: Config): Promise<number> {
  if (!config.demo) {
    process.stderr.write(
      'antnest seed: only the demo world can be seeded; run `antnest seed --demo`.\n',
    );
    return 2;
  }
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db, database.schema);
    const deps = cliDeps(config, database.db);
    const summary = await seedDemo(deps);
    const lockers = await seedDemoLockers(deps, null);
    if (summary) await seedDemoHistory(deps, lockers);
    process.stdout.write(
      summary
        ? `antnest seed: demo subdistrict created with ${lockers.length} lockers.\n${printDemoLogins(summary)}`
        : 'antnest seed: the database already has a subdistrict; nothing to do.\n',
    );
    return 0;
  } finally {
    await database.destroy();
  }
}

async function serve(config: Config): Promise<void> {
  const server = await startServer(config, { startFleet: startDemoFleet });
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) server.app.log.error({ err }, 'shutting down after an error');
    else server.app.log.info({ signal }, 'shutting down gracefully');
    await server.close();
  });
  const base = server.httpUrl;
  const fleet =
    config.demoFleet && server.demoLockers.length
      ? ` · ${server.demoLockers.length} simulated lockers`
      : '';
  const lines = [
    `antnest ready: ${base} (API ${base}/api/v1, docs ${base}/docs) · MQTT ${server.mqttUrl} · database ${describeDatabase(config)}${config.demo ? ' · demo mode' : ''}${fleet}`,
  ];
  for (const m of server.moved)
    lines.push(`note: port busy, moved ${m} (set PORT / MQTT_PORT to choose).`);
  if (config.demo) {
    if (server.seeded) lines.push('Seeded the Jinquan demo subdistrict.');
    lines.push(
      printDemoLogins(server.seeded).trimEnd(),
      `Residents sign in by SMS code: POST /api/v1/auth/otp, then read the code at ${base}/api/v1/dev/sms (demo only).`,
    );
  }
  lines.push(
    `Web apps: ${base}/app/resident/ (residents) · ${base}/app/courier/ (couriers) · ${base}/app/staff/ (staff)`,
  );
  for (const x of server.screens) lines.push(`Locker screen: ${x.url} (${x.place}, ${x.lockerId})`);
  process.stdout.write(lines.join('\n') + '\n');
  buildWebAppsIfMissing((line) => process.stdout.write(line));
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`antnest: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`antnest: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
