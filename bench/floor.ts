/**
 * Floor scenario: what this machine can do at all, measured in the same run and with
 * the same tools as the product scenarios, so their ratios hold on a noisy machine.
 * Each component runs in a forked node (bench/node-child.ts) and is driven from this
 * process, as the product is:
 *
 *   - SQLite: better-sqlite3 single-row commits with the server's pragmas (CPU per commit);
 *   - HTTP: a bare Fastify POST returning {} under the same keep-alive client and the
 *     same open-loop generator (node CPU per request at a fixed rate; saturated req/s);
 *   - broker: Aedes with TCP_NODELAY, QoS 1 ping → node → pong, the node answering
 *     in-process as it consumes its embedded broker (ADR 0035; round trip p50/p99, node CPU
 *     per message passing the node); the same through a loopback mqtt.js client, as the
 *     node consumed it before, is measured beside it for comparison (`brokerLoopback`);
 *   - PostgreSQL single-row commits on one connection, when DATABASE_URL is set.
 */
import mqtt from 'mqtt';
import { BenchNode } from './child.ts';
import { closedLoop, httpJson, openLoop } from './load.ts';
import { median, p50p99, percentile, r3, sleep } from './stats.ts';

/** Floor options. */
export interface FloorOptions {
  runs: number;
  seconds: number;
  httpRate: number;
  pgUrl?: string | undefined;
  seed: string;
}

/** One run's raw limits. */
export interface FloorRun {
  sqlite: { commitsPerSec: number; cpuPerCommitUs: number };
  http: {
    offeredPerSec: number;
    cpuPerRequestUs: number;
    p50: number;
    p99: number;
    saturatedPerSec: number;
  };
  broker: {
    roundTripP50: number;
    roundTripP99: number;
    cpuPerMessageUs: number;
    pipelinedRoundTripsPerSec: number;
  };
  /** The same round trip with the node's side on a loopback mqtt.js client (the node before ADR 0035). */
  brokerLoopback: FloorRun['broker'];
  pg: { commitsPerSec: number } | null;
}

/** The medians the other scenarios price their work with (µs of node CPU). */
export interface FloorPrices {
  cpuPerCommitUs: number;
  cpuPerHttpRequestUs: number;
  cpuPerBrokerMessageUs: number;
}

async function brokerRound(
  url: string,
  seconds: number,
): Promise<Omit<FloorRun['broker'], 'cpuPerMessageUs'> & { roundTrips: number }> {
  const c = await mqtt.connectAsync(url, {
    clientId: `antnest-bench-ping-${process.pid}-${Date.now()}`,
    username: 'bench',
    password: 'bench',
    reconnectPeriod: 0,
  });
  (c.stream as unknown as { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
  await c.subscribeAsync('antnest/bench/pong', { qos: 1 });
  let waiter: (() => void) | undefined;
  let pending = 0;
  c.on('message', () => {
    pending--;
    waiter?.();
  });
  const samples: number[] = [];
  const end = performance.now() + (seconds * 1000) / 2;
  while (performance.now() < end) {
    const t0 = performance.now();
    await new Promise<void>((r) => {
      waiter = r;
      pending++;
      c.publish('antnest/bench/ping', 'x', { qos: 1 });
    });
    samples.push(performance.now() - t0);
  }
  // Pipelined: 64 in flight, the broker's throughput rather than its latency.
  let n = 0;
  const t1 = performance.now();
  const end2 = t1 + (seconds * 1000) / 2;
  waiter = undefined;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (pending < 64 && performance.now() < end2) {
        pending++;
        c.publish('antnest/bench/ping', 'x', { qos: 1 });
      }
      if (performance.now() >= end2 && pending === 0) resolve();
    };
    waiter = () => {
      n++;
      pump();
    };
    pump();
  });
  const pipelined = n / ((performance.now() - t1) / 1000);
  await c.endAsync();
  return {
    roundTripP50: r3(percentile(samples, 50)),
    roundTripP99: r3(percentile(samples, 99)),
    pipelinedRoundTripsPerSec: Math.round(pipelined),
    roundTrips: samples.length + n,
  };
}

/** Measure the floor `runs` times; each run uses a fresh child. */
export async function measureFloor(
  opts: FloorOptions,
  log: (s: string) => void = () => {},
): Promise<{ runs: FloorRun[]; prices: FloorPrices; medians: Record<string, number> }> {
  const runs: FloorRun[] = [];
  for (let run = 0; run < opts.runs; run++) {
    const node = await BenchNode.start();
    try {
      const sqlite = await node.call<{ commitsPerSec: number; cpuPerCommitUs: number }>(
        'floor-sqlite',
        { seconds: opts.seconds },
      );
      const pgr = opts.pgUrl
        ? await node
            .call<{ commitsPerSec: number }>('floor-pg', { seconds: opts.seconds, url: opts.pgUrl })
            .catch(
              (e: Error) => (log(`PostgreSQL floor skipped: ${e.message.split('\n')[0]}`), null),
            )
        : null;

      const { url } = await node.call<{ url: string }>('floor-http');
      for (let i = 0; i < 200; i++) await httpJson(url, 'POST', {}); // warm up
      const lat: number[] = [];
      const inflight: Promise<void>[] = [];
      const c0 = (await node.call<{ cpu: number }>('stats')).cpu;
      const ol = await openLoop(
        opts.httpRate,
        opts.seconds,
        `${opts.seed}:floor-http:${run}`,
        (_i, at) => {
          inflight.push(
            httpJson(url, 'POST', {}).then(() => void lat.push(performance.now() - at)),
          );
        },
      );
      await Promise.all(inflight);
      const c1 = (await node.call<{ cpu: number }>('stats')).cpu;
      const sat = await closedLoop(
        32,
        opts.seconds,
        async () => void (await httpJson(url, 'POST', {})),
      );
      const http = {
        offeredPerSec: opts.httpRate,
        cpuPerRequestUs: r3(((c1 - c0) / ol.started) * 1e6),
        ...p50p99(lat),
        saturatedPerSec: Math.round(sat.perSec),
      };

      // Each round trip is two messages through the node: the ping in and the pong out.
      const roundOf = async (inProcess: boolean): Promise<FloorRun['broker']> => {
        const broker = await node.call<{ url: string }>('floor-broker', { inProcess });
        await brokerRound(broker.url, 1); // warm up
        const b0 = (await node.call<{ cpu: number }>('stats')).cpu;
        const { roundTrips, ...figures } = await brokerRound(broker.url, opts.seconds);
        const b1 = (await node.call<{ cpu: number }>('stats')).cpu;
        return { ...figures, cpuPerMessageUs: r3(((b1 - b0) / (roundTrips * 2)) * 1e6) };
      };
      const brokerLoopback = await roundOf(false);
      const brokerFigures = await roundOf(true);
      runs.push({
        sqlite: {
          commitsPerSec: Math.round(sqlite.commitsPerSec),
          cpuPerCommitUs: r3(sqlite.cpuPerCommitUs),
        },
        http: { ...http, p50: http.p50, p99: http.p99 },
        broker: brokerFigures,
        brokerLoopback,
        pg: pgr ? { commitsPerSec: Math.round(pgr.commitsPerSec) } : null,
      });
      log(
        `floor run ${run + 1}/${opts.runs}: sqlite ${Math.round(sqlite.commitsPerSec)} commits/s · http ${http.cpuPerRequestUs} µs CPU/req, saturated ${http.saturatedPerSec}/s · broker RTT p50 ${brokerFigures.roundTripP50} ms, ${brokerFigures.cpuPerMessageUs} µs CPU/message in-process (${brokerLoopback.cpuPerMessageUs} through a loopback client)${pgr ? ` · pg ${Math.round(pgr.commitsPerSec)} commits/s` : ''}`,
      );
    } finally {
      await node.stop();
    }
    await sleep(200);
  }
  const med = (f: (r: FloorRun) => number) => r3(median(runs.map(f)));
  const medians = {
    sqliteCommitsPerSec: med((r) => r.sqlite.commitsPerSec),
    sqliteCpuPerCommitUs: med((r) => r.sqlite.cpuPerCommitUs),
    httpCpuPerRequestUs: med((r) => r.http.cpuPerRequestUs),
    httpP50Ms: med((r) => r.http.p50),
    httpP99Ms: med((r) => r.http.p99),
    httpSaturatedPerSec: med((r) => r.http.saturatedPerSec),
    brokerRoundTripP50Ms: med((r) => r.broker.roundTripP50),
    brokerRoundTripP99Ms: med((r) => r.broker.roundTripP99),
    brokerCpuPerMessageUs: med((r) => r.broker.cpuPerMessageUs),
    brokerPipelinedRoundTripsPerSec: med((r) => r.broker.pipelinedRoundTripsPerSec),
    brokerLoopbackCpuPerMessageUs: med((r) => r.brokerLoopback.cpuPerMessageUs),
    brokerLoopbackRoundTripP50Ms: med((r) => r.brokerLoopback.roundTripP50),
    brokerLoopbackPipelinedRoundTripsPerSec: med((r) => r.brokerLoopback.pipelinedRoundTripsPerSec),
    ...(runs.some((r) => r.pg)
      ? { pgCommitsPerSec: med((r) => r.pg?.commitsPerSec ?? Number.NaN) }
      : {}),
  };
  return {
    runs,
    medians,
    prices: {
      cpuPerCommitUs: medians.sqliteCpuPerCommitUs,
      cpuPerHttpRequestUs: medians.httpCpuPerRequestUs,
      cpuPerBrokerMessageUs: medians.brokerCpuPerMessageUs,
    },
  };
}

/** The floor as its own scenario: a table and bench/results/floor.json. */
export async function floorScenario(ctx: {
  short: boolean;
  runs: number;
  seed: string;
}): Promise<object> {
  const seconds = ctx.short ? 1 : 3;
  const f = await measureFloor(
    {
      runs: ctx.runs,
      seconds,
      httpRate: 500,
      pgUrl: process.env.DATABASE_URL?.startsWith('postgres')
        ? process.env.DATABASE_URL
        : undefined,
      seed: ctx.seed,
    },
    console.log,
  );
  console.table({
    'SQLite single-row commit': {
      rate: `${f.medians.sqliteCommitsPerSec}/s`,
      'node CPU per unit': `${f.medians.sqliteCpuPerCommitUs} µs`,
      latency: '',
    },
    'Fastify POST {} → {} (open loop 500/s)': {
      rate: `${f.medians.httpSaturatedPerSec}/s saturated`,
      'node CPU per unit': `${f.medians.httpCpuPerRequestUs} µs`,
      latency: `p50 ${f.medians.httpP50Ms} / p99 ${f.medians.httpP99Ms} ms`,
    },
    'Aedes QoS 1 round trip, through a loopback client (before ADR 0035)': {
      rate: `${f.medians.brokerLoopbackPipelinedRoundTripsPerSec}/s pipelined`,
      'node CPU per unit': `${f.medians.brokerLoopbackCpuPerMessageUs} µs per message`,
      latency: `p50 ${f.medians.brokerLoopbackRoundTripP50Ms} ms`,
    },
    'Aedes QoS 1 round trip, in-process': {
      rate: `${f.medians.brokerPipelinedRoundTripsPerSec}/s pipelined`,
      'node CPU per unit': `${f.medians.brokerCpuPerMessageUs} µs per message`,
      latency: `p50 ${f.medians.brokerRoundTripP50Ms} / p99 ${f.medians.brokerRoundTripP99Ms} ms`,
    },
    ...('pgCommitsPerSec' in f.medians
      ? {
          'PostgreSQL single-row commit (1 connection)': {
            rate: `${f.medians.pgCommitsPerSec}/s`,
            'node CPU per unit': '',
            latency: '',
          },
        }
      : {}),
  });
  if (!('pgCommitsPerSec' in f.medians))
    console.log('PostgreSQL floor: set DATABASE_URL=postgres://… to measure it.');
  return { secondsPerMeasurement: seconds, runs: f.runs, medians: f.medians, prices: f.prices };
}
