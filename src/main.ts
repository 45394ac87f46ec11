/**
 * The antnest command line: parse the command and flags, load the configuration, and
 * start what was asked. `antnest help` lists the commands.
 */
import { parseArgs } from 'node:util';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { type Config, ConfigError, type Flags, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { printDemoLogins, seedDemo } from './demo/seed.ts';
import { listenWithFallback } from './platform/http/listen.ts';
import { cryptoRandom, systemClock } from './platform/clock.ts';
import { PhoneVault } from './platform/crypto/phone.ts';
import { TokenService } from './platform/auth/tokens.ts';
import type { AppDeps } from './platform/deps.ts';
import { LocalSmsSender } from './platform/notify/sms.ts';
import pino from 'pino';

const HELP = `antnest — lockers, service halls and needs for the last 100 metres

Usage: antnest <command> [flags]

Commands:
  serve          start the HTTP API (and, with --demo, seed the Jinquan demo on first run)
  migrate        bring the database schema up to date and exit
  seed --demo    seed the Jinquan demo subdistrict (first run only) and exit
  help           show this text

Flags (each also has an environment variable; see README "Configuration"):
  --demo                  demo mode: generated secrets in the data dir, busy ports move, dev SMS inbox
  --host HOST             listen address (HOST, default 127.0.0.1)
  --port PORT             HTTP port (PORT, default 8080)
  --data-dir DIR          data directory (DATA_DIR, default ./data)
  --database-url URL      postgres://… or sqlite:path (DATABASE_URL, default sqlite in the data dir)
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
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
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
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

function describeDatabase(config: Config): string {
  return config.database.kind === 'sqlite' ? `sqlite ${config.database.file}` : `postgres ${new URL(config.database.url).host}${config.database.schema ? ` schema ${config.database.schema}` : ''}`;
}

async function migrateOnly(config: Config): Promise<number> {
  const database = await openDatabase(config.database);
  try {
    const applied = await migrateToLatest(database.db);
    process.stdout.write(`antnest migrate: ${applied.length ? `applied ${applied.join(', ')}` : 'already up to date'} (${describeDatabase(config)})\n`);
    return 0;
  } finally {
    await database.destroy();
  }
}

/** Services for CLI commands that run without the HTTP app. */
function cliDeps(config: Config, db: AppDeps['db']): AppDeps {
  const log = pino({ level: config.logLevel });
  return {
    config,
    db,
    clock: systemClock,
    random: cryptoRandom,
    vault: new PhoneVault(config.secrets.phoneKey, config.secrets.phoneHashKey),
    tokens: new TokenService(config.secrets.tokenKey, config.accessTokenTtl, systemClock),
    sms: new LocalSmsSender(log, systemClock, null),
  };
}

async function seedOnly(config: Config): Promise<number> {
  if (!config.demo) {
    process.stderr.write('antnest seed: only the demo world can be seeded; run `antnest seed --demo`.\n');
    return 2;
  }
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const summary = await seedDemo(cliDeps(config, database.db));
    process.stdout.write(summary ? `antnest seed: demo subdistrict created.\n${printDemoLogins(summary)}` : 'antnest seed: the database already has a subdistrict; nothing to do.\n');
    return 0;
  } finally {
    await database.destroy();
  }
}

async function serve(config: Config): Promise<void> {
  const database = await openDatabase(config.database);
  await migrateToLatest(database.db);
  const { app, deps } = await buildApp({ config, database });
  const seeded = config.demo ? await seedDemo(deps) : null;

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down gracefully');
    await app.close();
    await database.destroy();
  });

  const { port, moved } = await listenWithFallback(app, { host: config.host, port: config.port, demo: config.demo, setting: '--port / PORT' });
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const lines = [
    `antnest ready: ${base} (API ${base}/api/v1, docs ${base}/docs) · database ${describeDatabase(config)}${config.demo ? ' · demo mode' : ''}`,
  ];
  if (moved) lines.push(`note: port ${config.port} was busy, so antnest took ${port} instead (set PORT to choose).`);
  if (config.demo) {
    if (seeded) lines.push('Seeded the Jinquan demo subdistrict.');
    lines.push(printDemoLogins(seeded), `Residents sign in by SMS code: POST /api/v1/auth/otp, then read the code at ${base}/api/v1/dev/sms (demo only).`);
  }
  process.stdout.write(lines.join('\n') + '\n');
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
