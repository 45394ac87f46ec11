/**
 * Starts a whole antnest node from a configuration: database, HTTP app, MQTT (the
 * embedded broker or an external one), the lockers runtime, and in demo mode the seeded
 * world and its simulated lockers. main.ts calls it; tests and benchmarks can too.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { type Database, type DatabaseHandle, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { DemoScreen } from './demo/fleet.ts';
import { type DemoLocker, seedDemoLockers } from './demo/lockers.ts';
import { type DemoSummary, seedDemo } from './demo/seed.ts';
import { seedDemoHistory } from './demo/history.ts';
import { deliverFirstRound } from './demo/first-round.ts';
import {
  type LockerRuntime,
  OutboxRelay,
  startLockerRuntime,
  CredentialWatch,
  DEVICE_AUTH_CACHE_MS,
  deviceFilters,
  MqttLogins,
  type LockerHooks,
  pruneUvCycles,
} from './modules/lockers/index.ts';
import {
  parcelHooks,
  sweepOverdue,
  ParcelRuntime,
  sweepRetention,
} from './modules/parcels/index.ts';
import { listenWithFallback } from './platform/http/listen.ts';
import type { SmsSender } from './platform/notify/sms.ts';
import { IDEMPOTENCY_TTL_MS } from './platform/idempotency/idempotency.plugin.ts';
import { sweepIdempotencyKeys } from './platform/idempotency/idempotency.repository.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from './platform/mqtt/broker.ts';
import { connectMqtt, nodeClientId, serviceCredentials } from './platform/mqtt/client.ts';
import { clientTransport, type DeviceTransport } from './platform/mqtt/transport.ts';
import { JobScheduler } from './platform/jobs/scheduler.ts';
import { generateDueReports } from './modules/analytics/report/index.ts';
import { endExpiredKioskSessions, sendActivityReminders } from './modules/notices/index.ts';
import { sweepEscalations } from './modules/needs/index.ts';
import { sweepHall } from './modules/hall/index.ts';
import { foldAreas, withAnalytics } from './modules/analytics/index.ts';
import { TokenService } from './platform/auth/tokens.ts';
import { cryptoRandom, systemClock } from './platform/clock.ts';
import { PhoneVault } from './platform/crypto/phone.ts';
import type { AppDeps } from './platform/deps.ts';

export interface RunningServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  httpUrl: string;
  mqttUrl: string;
  /** Ports that demo mode moved because they were busy. */
  moved: string[];
  seeded: DemoSummary | null;
  demoLockers: DemoLocker[];
  /** The locker screens the demo fleet serves (one per compound); empty without the fleet. */
  screens: DemoScreen[];
  runtime: LockerRuntime;
  parcels: ParcelRuntime;
  /** Cluster-wide scheduled jobs this node takes part in. */
  jobs: JobScheduler;
  /** Stop everything in reverse order; safe to call twice. */
  close(): Promise<void>;
}

/** Start a node. Every component started is stopped again if a later step fails. */
export async function startServer(
  config: Config,
  opts: {
    hooks?: LockerHooks;
    sms?: SmsSender;
    startFleet?: (
      brokerUrl: string,
      lockers: DemoLocker[],
      opts: { screenHost: string; stateDir?: string },
    ) => Promise<{ stop(): Promise<void>; screens?: DemoScreen[] }>;
  } = {},
): Promise<RunningServer> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    while (closers.length) await closers.pop()!().catch(() => {});
  };
  try {
    const database = await openDatabase(config.database);
    closers.push(() => database.destroy());
    await migrateToLatest(database.db, database.schema);
    // The start page links the demo's locker screens once the fleet serves them.
    const screens: DemoScreen[] = [];
    const startLinks = () =>
      screens.map((x) => ({ href: x.url, title: `${x.place} · 柜机屏幕 (${x.lockerId})` }));
    const { app, deps, outbox, credentials } = await buildApp({
      config,
      database,
      startLinks,
      ...(opts.sms ? { sms: opts.sms } : {}),
    });
    closers.push(() => app.close());
    const seeded = config.demo ? await seedDemo(deps) : null;
    const demoLockers = config.demo ? await seedDemoLockers(deps, null) : [];
    const moved: string[] = [];

    let mqttUrl: string;
    let transport: DeviceTransport;
    const shared = config.mqtt.kind === 'external' && config.mqtt.shared;
    if (config.mqtt.kind === 'embedded') {
      const logins = new MqttLogins(database.db, config.secrets.tokenKey, {
        cacheMs: DEVICE_AUTH_CACHE_MS,
      });
      // The node consumes its own broker in-process (ADR 0035): device messages from Aedes' publish path, each
      // acknowledged to its locker after its commit; those arriving before the runtime attaches wait unacknowledged.
      const broker: EmbeddedBroker = await startEmbeddedBroker({
        host: config.host,
        port: config.mqtt.port,
        demo: config.demo,
        authenticate: logins.authenticate,
        log: app.log,
        consumedTopics: deviceFilters(false),
      });
      closers.push(() => broker.close());
      // Rotations and retirements reach this broker at once from this node, within a second from others (ADR 0016, amended).
      const watch = new CredentialWatch(database.db, deps.clock, logins, broker, app.log);
      credentials.attach(watch);
      watch.start();
      closers.push(async () => {
        credentials.attach(null);
        await watch.stop();
      });
      mqttUrl = broker.url;
      transport = broker.transport;
      if (broker.moved) moved.push(`MQTT ${config.mqtt.port} → ${broker.port}`);
    } else {
      mqttUrl = config.mqtt.url;
      // Clean sessions: Mosquitto deals a shared subscription's messages to an offline member's persistent session
      // too, parking a dead node's share until it returns (the cluster check caught it). A message lost in flight
      // with a node comes back through the seq-gap replay (ADR 0014, 0031).
      const client = await connectMqtt({
        url: mqttUrl,
        ...serviceCredentials(config.secrets.tokenKey),
        clientId: nodeClientId(config.nodeId),
        protocolVersion: shared ? 5 : 4,
        clean: true,
        log: app.log,
      });
      closers.push(() => client.endAsync());
      transport = clientTransport(client);
    }
    // Sweeps run once per period across all nodes sharing this database (a lease row per job).
    const jobs = new JobScheduler(database.db, deps.clock, config.nodeId, app.log);
    // SQLite is one node's database: no other live node can hold an SMS lease on it.
    const parcels = new ParcelRuntime(deps, app.log, { soleNode: database.dialect === 'sqlite' });
    const runtime = await startLockerRuntime(
      deps,
      outbox,
      transport,
      app.log,
      opts.hooks ?? withAnalytics(deps, parcelHooks(deps, parcels.changed)),
      { shared, offlineAlertMinutes: config.lockerOfflineAlertMinutes, jobs },
    );
    closers.push(() => runtime.stop());
    parcels.start(jobs);
    closers.push(() => parcels.stop());
    // Housekeeping: overdue parcels and reminders every minute; retention, old UV cycles and idempotency keys hourly.
    jobs.add({ name: 'parcels.overdue', everyMs: 60_000, run: () => sweepOverdue(deps) });
    jobs.add({ name: 'parcels.retention', everyMs: 3600_000, run: () => sweepRetention(deps) });
    jobs.add({ name: 'lockers.uv-retention', everyMs: 3600_000, run: () => pruneUvCycles(deps) });
    jobs.add({
      name: 'platform.idempotency',
      everyMs: 3600_000,
      run: () => sweepIdempotencyKeys(database.db, deps.clock, IDEMPOTENCY_TTL_MS),
    });
    jobs.add({
      name: 'notices.reminders',
      everyMs: 60_000,
      run: () => sendActivityReminders(deps),
    });
    jobs.add({ name: 'kiosk.sessions', everyMs: 10_000, run: () => endExpiredKioskSessions(deps) });
    jobs.add({ name: 'needs.escalation', everyMs: 60_000, run: () => sweepEscalations(deps) });
    jobs.add({ name: 'hall.sweep', everyMs: 30_000, run: () => sweepHall(deps) });
    // Monthly community reports for the month just ended (CST): hourly, so within the 1st's first hour.
    jobs.add({
      name: 'analytics.monthly-reports',
      everyMs: 3600_000,
      run: () => generateDueReports(deps),
    });
    // Move the rollups' pending increments into the area tables (reads add what is still pending).
    jobs.add({ name: 'analytics.fold', everyMs: 5_000, run: () => foldAreas(database.db) });
    jobs.start();
    closers.push(() => jobs.stop());

    const { port, moved: httpMoved } = await listenWithFallback(app, {
      host: config.host,
      port: config.port,
      demo: config.demo,
      setting: '--port / PORT',
    });
    // The simulated lockers connect after the API answers, so /healthz is up in seconds.
    if (config.demoFleet && demoLockers.length && opts.startFleet) {
      // The simulated lockers remember what the cloud's database remembers: with a database
      // that outlives the process, each keeps its seq and codes in a file, as a real locker does.
      const persistent = !(
        config.database.kind === 'sqlite' && config.database.file === ':memory:'
      );
      const fleet = await opts.startFleet(mqttUrl, demoLockers, {
        screenHost: config.host,
        ...(persistent ? { stateDir: path.join(config.dataDir, 'demo-lockers') } : {}),
      });
      closers.push(() => fleet.stop());
      for (const x of fleet.screens ?? [])
        screens.push({
          ...x,
          url: x.url.replace(/^http:\/\/(0\.0\.0\.0|::)(?=:)/, 'http://127.0.0.1'),
        });
    }
    // A fresh full demo (npm start: with its fleet) gets a few weeks of parcels counted in its
    // dashboards: seconds of work on a busy machine, so once the API and the fleet are up, one
    // short transaction per day. Demo worlds without a fleet (tests) stay as seeded.
    if (seeded && config.demoFleet) {
      // Started on a later turn of the event loop, so the ready line and /healthz go first.
      const history = new Promise((resolve) => setTimeout(resolve, 500))
        .then(() => seedDemoHistory(deps, demoLockers))
        .then(
          (r) => app.log.info(r, 'demo history seeded and counted in the dashboards'),
          (e: unknown) => app.log.warn({ err: e }, 'demo history not seeded'),
        );
      closers.push(() => history);
      // …and 王大爷 a parcel waiting, delivered as a courier would once his unit's locker is up.
      let stopping = false;
      const round = deliverFirstRound(deps, demoLockers, () => stopping).then(
        (r) => {
          if (r) app.log.info(r, 'demo: the first courier round delivered a parcel to 王大爷');
          else if (!stopping) app.log.warn('demo: the first courier round found no locker online');
        },
        (e: unknown) => app.log.warn({ err: e }, 'demo: the first courier round failed'),
      );
      closers.push(async () => {
        stopping = true;
        await round;
      });
    }
    if (httpMoved) moved.unshift(`HTTP ${config.port} → ${port}`);
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const httpUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return {
      app,
      database,
      httpUrl,
      mqttUrl: mqttUrl.replace(/\/\/[^@/]*@/, '//'),
      moved,
      seeded,
      demoLockers,
      screens,
      runtime,
      parcels,
      jobs,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The services a command needs when it runs without the HTTP app (migrate, seed, benchmarks' seeding). */
export function standaloneDeps(config: Config, db: Database, sms: SmsSender): AppDeps {
  return {
    config,
    db,
    clock: systemClock,
    random: cryptoRandom,
    vault: new PhoneVault(config.secrets.phoneKey, config.secrets.phoneHashKey),
    tokens: new TokenService(config.secrets.tokenKey, config.accessTokenTtl, systemClock),
    sms,
    outbox: new OutboxRelay(),
  };
}
