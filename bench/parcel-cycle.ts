/**
 * Parcel cycle on the embedded default (SQLite in a temp file, the server's pragmas):
 * deposit → door closes on the parcel (stored) → code typed on the screen (open command
 * queued) → open answered (picked up) → door closes empty (compartment free), once
 * through the service layer and once through the real HTTP API (Fastify `inject`, no
 * socket — a first version), beside the raw better-sqlite3 single-row transaction rate
 * measured in the same run with the same pragmas.
 *
 * Device messages are contract-valid JSON fed to `ingest` with the real parcel hooks (no
 * broker). syncLocker (ParcelRuntime: the ~48 ms scrypt verifier per parcel) is NOT
 * called: the hooks get a no-op `changed`, so these figures exclude offline verifiers.
 *
 *   npx tsx bench/parcel-cycle.ts [--cycles 500] [--runs 3]
 *
 * Prints a table and writes bench/results/parcel-cycle.json.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { lockerTopic, type TopicKind } from '../src/contract/index.ts';
import { openDatabase, SQLITE_PRAGMAS } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { demoLayout } from '../src/demo/lockers.ts';
import { stableCommandId } from '../src/modules/lockers/command.service.ts';
import { ingest } from '../src/modules/lockers/ingest.service.ts';
import { updateLocker } from '../src/modules/lockers/locker.repository.ts';
import { createLocker } from '../src/modules/lockers/locker.service.ts';
import { deposit } from '../src/modules/parcels/deposit.service.ts';
import { parcelHooks } from '../src/modules/parcels/parcel.hooks.ts';
import { openCode } from '../src/modules/parcels/pickup-code.ts';
import { cryptoRandom, iso, newId, systemClock } from '../src/platform/clock.ts';
import type { SmsSender } from '../src/platform/notify/sms.ts';
import { seedWorld } from '../test/factories.ts';
import type { TestApp } from '../test/harness.ts';
import { machine, median, percentile, r3, writeResult } from './stats.ts';

const { values: args } = parseArgs({ options: { cycles: { type: 'string', default: '500' }, runs: { type: 'string', default: '3' }, 'raw-seconds': { type: 'string', default: '2' } } });
const CYCLES = Number(args.cycles);
const RUNS = Number(args.runs);
const RAW_SECONDS = Number(args['raw-seconds']);
const STEPS = ['deposit', 'store', 'code', 'settle'] as const;
type Step = (typeof STEPS)[number];
const STEP_LABEL: Record<Step, string> = {
  deposit: 'deposit request',
  store: 'store on door close',
  code: 'code entered → open queued',
  settle: 'pickup settled (open answered)',
};
type Mode = 'service' | 'http';

/** Single-row transactions on a fresh file with the server's pragmas, for `seconds`. */
function rawSqliteTxRate(file: string, seconds: number): { txPerSec: number; n: number } {
  const raw = new SQLite(file);
  for (const p of SQLITE_PRAGMAS) raw.pragma(p);
  raw.exec('create table if not exists t (x integer)');
  const ins = raw.prepare('insert into t values (?)');
  const tx = raw.transaction((i: number) => ins.run(i));
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  let n = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 100; k++) tx(n++);
  }
  const rate = n / ((performance.now() - t0) / 1000);
  raw.close();
  return { txPerSec: rate, n };
}

/** Statements prepared (Kysely's better-sqlite3 driver prepares every query it runs), to report SQL statements per cycle. */
let prepared = 0;
const origPrepare = SQLite.prototype.prepare;
SQLite.prototype.prepare = function (this: SQLite.Database, src: string) {
  prepared++;
  return origPrepare.call(this, src);
} as typeof origPrepare;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-parcel-bench-'));
  const database = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'bench.db') });
  await migrateToLatest(database.db, database.schema);
  const key = () => randomBytes(32).toString('base64');
  const config = loadConfig({ ANTNEST_TOKEN_KEY: key(), ANTNEST_PHONE_KEY: key(), ANTNEST_PHONE_HASH_KEY: key(), LOG_LEVEL: 'silent' }, {});
  const noSms: SmsSender = { send: async () => {} };
  const built = await buildApp({ config, database, clock: systemClock, random: cryptoRandom, sms: noSms, logger: false });
  await built.app.ready();
  const { app, deps } = built;
  // seedWorld only needs these members of a TestApp.
  const w = await seedWorld({ database, clock: systemClock, deps } as unknown as TestApp);
  const courier = { userId: w.users.courier.id, carrierId: w.carrier };
  const token = w.users.courier.token;
  const hooks = parcelHooks(deps, () => {}); // no syncLocker: no scrypt verifiers in these figures

  const L = 'bench-cycle-01';
  await createLocker(deps, null, w.siteA, { id: L, name: '压测柜', compartments: demoLayout(24) });
  await updateLocker(deps.db, L, { status: 'active' });
  let seq = 0;
  let req = 0;
  const env = () => ({ messageId: newId(systemClock, cryptoRandom), lockerId: L, sentAt: iso(Date.now()) });
  const send = async (kind: TopicKind, msg: object) => {
    const r = await ingest(deps, hooks, lockerTopic(L, kind), Buffer.from(JSON.stringify(msg)));
    if (!r.applied) throw new Error(`device message not applied: ${r.reason}`);
  };
  const fact = (type: string, props: object) => send('evt', { ...env(), seq: ++seq, type, ...props });

  async function cycle(mode: Mode, i: number, t: Record<Step, number[]>): Promise<void> {
    const waybill = `ZTO${mode === 'http' ? 'H' : 'S'}${String(i).padStart(8, '0')}${req}`;
    let s = performance.now();
    let parcelId: string;
    let compartment: number;
    let commandId: string;
    if (mode === 'service') {
      const r = await deposit(deps, courier, { lockerId: L, waybill, recipientPhone: '13800000001', size: 'S', kind: 'delivery' });
      ({ id: parcelId, compartment } = r.parcel);
      commandId = r.command.id;
    } else {
      const res = await app.inject({ method: 'POST', url: `/api/v1/lockers/${L}/deposits`, headers: { authorization: `Bearer ${token}` }, payload: { waybill, recipientPhone: '13800000001', size: 'S' } });
      if (res.statusCode !== 201) throw new Error(`deposit ${res.statusCode}: ${res.body}`);
      ({ parcelId, compartment, commandId } = res.json() as { parcelId: string; compartment: number; commandId: string });
    }
    t.deposit.push(performance.now() - s);
    // The locker opens the door, the courier puts the parcel in; the door closing stores it.
    await send('res', { ...env(), commandId, commandType: 'open', status: 'opened', compartment });
    await fact('door_opened', { compartment, cause: 'command', commandId });
    await fact('occupancy', { compartment, occupied: true });
    s = performance.now();
    await fact('door_closed', { compartment });
    t.store.push(performance.now() - s);
    const p = await deps.db.selectFrom('parcels').select(['status', 'code_cipher']).where('id', '=', parcelId).executeTakeFirstOrThrow();
    if (p.status !== 'stored' || !p.code_cipher) throw new Error(`parcel ${parcelId} not stored (${p.status})`);
    const code = openCode(config.secrets.phoneKey, p.code_cipher);
    const requestId = `req-bench-${++req}`;
    s = performance.now();
    await send('evt', { ...env(), type: 'code_entered', requestId, code, expiresAt: iso(Date.now() + 30_000) });
    t.code.push(performance.now() - s);
    const openId = stableCommandId('screen', L, requestId);
    s = performance.now();
    await send('res', { ...env(), commandId: openId, commandType: 'open', status: 'opened', compartment });
    t.settle.push(performance.now() - s);
    // The recipient takes it and shuts the door: the compartment is free again.
    await fact('door_opened', { compartment, cause: 'command', commandId: openId });
    await fact('occupancy', { compartment, occupied: false });
    await fact('door_closed', { compartment });
  }

  async function measure(mode: Mode) {
    const t: Record<Step, number[]> = { deposit: [], store: [], code: [], settle: [] };
    const warm: Record<Step, number[]> = { deposit: [], store: [], code: [], settle: [] };
    for (let i = 0; i < Math.min(20, CYCLES); i++) await cycle(mode, -1 - i, warm);
    const t0 = performance.now();
    const p0 = prepared;
    for (let i = 0; i < CYCLES; i++) await cycle(mode, i, t);
    const wallS = (performance.now() - t0) / 1000;
    return { cyclesPerSec: CYCLES / wallS, statementsPerCycle: (prepared - p0) / CYCLES, steps: Object.fromEntries(STEPS.map((k) => [k, { p50: percentile(t[k], 50), p99: percentile(t[k], 99) }])) as Record<Step, { p50: number; p99: number }> };
  }

  const runs: { raw: number; service: Awaited<ReturnType<typeof measure>>; http: Awaited<ReturnType<typeof measure>> }[] = [];
  const started = performance.now();
  for (let run = 0; run < RUNS; run++) {
    const raw = rawSqliteTxRate(path.join(dir, `raw-${run}.db`), RAW_SECONDS).txPerSec;
    const service = await measure('service');
    const http = await measure('http');
    runs.push({ raw, service, http });
    console.log(`run ${run + 1}/${RUNS}: raw ${Math.round(raw)} tx/s, service ${r3(service.cyclesPerSec)} cycles/s, http ${r3(http.cyclesPerSec)} cycles/s`);
  }
  const med = (f: (r: (typeof runs)[number]) => number) => r3(median(runs.map(f)));
  const summary = (mode: Mode) => ({
    cyclesPerSec: med((r) => r[mode].cyclesPerSec),
    sqlStatementsPerCycle: med((r) => r[mode].statementsPerCycle),
    stepsMs: Object.fromEntries(STEPS.map((k) => [k, { p50: med((r) => r[mode].steps[k].p50), p99: med((r) => r[mode].steps[k].p99) }])),
  });
  const rawTx = med((r) => r.raw);
  const service = summary('service');
  const http = summary('http');
  // Each cycle is 9 write transactions on the cloud side: deposit + 8 device messages (each its own ingest transaction).
  const TX_PER_CYCLE = 9;
  const result = {
    cyclesPerRun: CYCLES,
    runs: RUNS,
    sqlite: { file: 'temp file', pragmas: SQLITE_PRAGMAS },
    notes: [
      'Device messages are contract-valid JSON fed to ingest() with the real parcel hooks; no broker, no dispatcher.',
      'syncLocker is NOT called (hooks get a no-op `changed`), so the ~48 ms scrypt verifier per stored parcel is excluded.',
      'HTTP mode sends only the deposit through the API, via Fastify inject (no socket, no TLS); everything else is the device path.',
      `A cycle is ${TX_PER_CYCLE} write transactions (deposit + 8 device messages); ceiling = raw tx/s / ${TX_PER_CYCLE}.`,
      'Figures are medians of the runs of each run\'s p50/p99 and cycles/s; sequential, one cycle at a time, one locker.',
    ],
    rawSqliteSingleRowTxPerSec: rawTx,
    rawCeilingCyclesPerSec: r3(rawTx / TX_PER_CYCLE),
    service,
    http,
    ratioToRawCeiling: { service: r3(service.cyclesPerSec / (rawTx / TX_PER_CYCLE)), http: r3(http.cyclesPerSec / (rawTx / TX_PER_CYCLE)) },
    loadAverageAtEnd: os.loadavg().map(r3),
    wallSeconds: r3((performance.now() - started) / 1000),
    rss: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
  const file = writeResult('parcel-cycle', result);
  console.log(`\nparcel cycle on SQLite (temp file, ${SQLITE_PRAGMAS.join(', ')}) on ${machine().cores} cores — medians of ${RUNS} runs × ${CYCLES} cycles`);
  console.log('NOTE: syncLocker / scrypt verifiers are NOT run (no-op `changed` hook); HTTP = Fastify inject, deposit only; device events via ingest(), no broker.');
  const table: Record<string, Record<string, number>> = {};
  for (const k of STEPS) table[`${STEP_LABEL[k]} (ms)`] = { 'service p50': service.stepsMs[k]!.p50, 'service p99': service.stepsMs[k]!.p99, 'http p50': http.stepsMs[k]!.p50, 'http p99': http.stepsMs[k]!.p99 };
  console.table(table);
  console.table({
    'full cycles/s': { service: service.cyclesPerSec, http: http.cyclesPerSec },
    [`raw single-row tx/s ÷ ${TX_PER_CYCLE} (ceiling)`]: { service: result.rawCeilingCyclesPerSec, http: result.rawCeilingCyclesPerSec },
    'share of ceiling': result.ratioToRawCeiling,
  });
  console.log(`SQL statements per cycle (incl. the test's own reads): service ${service.sqlStatementsPerCycle}, http ${http.sqlStatementsPerCycle} — each prepared anew by Kysely's driver`);
  console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (shared machines make these figures noisy)`);
  console.log(`raw better-sqlite3 single-row transactions: ${Math.round(rawTx)}/s · wall ${result.wallSeconds} s · RSS ${result.rss} MiB · ${file}`);
  await app.close();
  await database.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
