/**
 * `npm run cluster -- --nodes 3`: a local scale-out cluster on this machine — its own
 * Mosquitto (TCP_NODELAY on, free port) or MQTT_URL, PostgreSQL from DATABASE_URL (a
 * schema of its own), N identical API nodes on consecutive ports, a tiny round-robin
 * proxy in front of them, and the Jinquan demo lockers as simulated devices. Ctrl-C
 * stops everything. docs/scale-out.md has the production topology (nginx, EMQX, Citus).
 *
 *   npm run cluster -- [--nodes 3] [--port 8080] [--schema antnest_cluster] [--fresh]
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { startDemoFleet } from '../src/demo/fleet.ts';
import { seedDemoLockers } from '../src/demo/lockers.ts';
import { printDemoLogins, seedDemo } from '../src/demo/seed.ts';
import { NodeProcess, nodeEnv, startMosquitto, startProxy } from '../test/cluster/processes.ts';

const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    port: { type: 'string', default: '8080' },
    schema: { type: 'string', default: 'antnest_cluster' },
    fresh: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'warn' },
  },
});
const N = Number(args.nodes);
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const say = (s: string) => process.stdout.write(`${s}\n`);

// Keys are kept beside the schema's name so a second start talks to the same data.
const keyFile = path.join(os.homedir(), '.antnest-cluster', `${args.schema}.keys.json`);
fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
const newKeys = () => ({
  ANTNEST_TOKEN_KEY: randomBytes(32).toString('base64'),
  ANTNEST_PHONE_KEY: randomBytes(32).toString('base64'),
  ANTNEST_PHONE_HASH_KEY: randomBytes(32).toString('base64'),
});
const keys =
  !args.fresh && fs.existsSync(keyFile)
    ? (JSON.parse(fs.readFileSync(keyFile, 'utf8')) as ReturnType<typeof newKeys>)
    : newKeys();
fs.writeFileSync(keyFile, JSON.stringify(keys), { mode: 0o600 });

// Schema and demo world, once, before any node starts (nodes would otherwise race to seed).
const database = await openDatabase({
  kind: 'postgres',
  url: databaseUrl,
  schema: args.schema,
  poolSize: 2,
});
if (args.fresh) {
  await sql.raw(`drop schema if exists ${args.schema} cascade`).execute(database.db);
  await sql.raw(`create schema ${args.schema}`).execute(database.db);
}
await migrateToLatest(database.db, args.schema);
const config = loadConfig(
  { ...keys, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: args.schema, LOG_LEVEL: 'silent' },
  { demo: true, 'data-dir': path.dirname(keyFile) },
);
const { app, deps } = await buildApp({ config, database, logger: false });
const seeded = await seedDemo(deps);
const lockers = await seedDemoLockers(deps, null);
await app.close();
await database.destroy();

const external = process.env['MQTT_URL'];
const broker = external ? null : await startMosquitto();
const mqttUrl = external ?? broker!.url;
const base = Number(args.port);
const env = {
  ...nodeEnv({ databaseUrl, schema: args.schema, mqttUrl, keys, logLevel: args['log-level'] }),
  ANTNEST_DEMO: 'true',
  ANTNEST_DEMO_FLEET: 'false',
  DATA_DIR: path.dirname(keyFile),
};
const nodes = Array.from(
  { length: N },
  (_, i) => new NodeProcess(`node-${i + 1}`, base + 1 + i, env),
);
await Promise.all(nodes.map((n) => n.start()));
const proxy = await startProxy(base, () => nodes.filter((n) => n.healthy));
const fleet = await startDemoFleet(mqttUrl, lockers);

say(
  `antnest cluster: ${N} nodes behind ${proxy.url} (round robin) · MQTT ${mqttUrl}${broker ? ' (own Mosquitto, set_tcp_nodelay)' : ''} · postgres schema ${args.schema}`,
);
for (const n of nodes)
  say(`  ${n.nodeId}: ${n.url}  (kill it and the proxy skips it; restart with npm run cluster)`);
say(
  `  ${lockers.length} simulated lockers connected through MQTT 5 shared subscriptions ($share/antnest/…)`,
);
say(printDemoLogins(seeded).trimEnd());
say(
  'Residents sign in by SMS code; in a cluster the dev inbox is per node: GET /api/v1/dev/sms on each node URL.',
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  say('\nstopping: fleet, proxy, nodes, broker');
  await fleet.stop();
  await proxy.close();
  await Promise.all(nodes.map((n) => n.stop('SIGTERM')));
  await broker?.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
