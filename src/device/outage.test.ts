/**
 * Outages: a locker offline for 30 simulated minutes with offline pickups, and a broker
 * restart that loses every session. Facts must arrive once each, in seq order, with
 * nothing missing (after the cloud's replay request where a broker lost messages).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCodeVerifier } from '../contract/pickup-code.ts';
import { ManualClock, cryptoRandom, iso } from '../kernel/clock.ts';
import { CloudProbe } from './testing/cloud-probe.ts';
import { tempDir, testAgent, testBus } from './testing/fixtures.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import { startTcpProxy } from './testing/tcp-proxy.ts';
import { type TestBroker, startTestBroker } from './testing/test-broker.ts';

let broker: TestBroker;
let probe: CloudProbe;
const clock = new ManualClock();
const tmp = tempDir();
const FAST_KDF = { alg: 'scrypt', logN: 10, r: 8, p: 1, keyLength: 32 } as const;

beforeAll(async () => {
  broker = await startTestBroker();
  probe = await CloudProbe.connect(broker.url, { clock });
});
afterAll(async () => {
  expect(probe.invalid).toEqual([]);
  await probe.close();
  await broker.close();
  tmp.cleanup();
});

/** Every arrival of a seq carried the same message: duplicates on the wire are redeliveries, not new facts. */
/**
 * Every seq from 1 once, each with one messageId across resends. `inArrivalOrder`: they also
 * arrived in seq order. (A replay of a range lost in the middle arrives after later facts; the
 * real cloud turns those later facts away until the gap is filled, ADR 0014, which this probe
 * does not emulate.)
 */
function expectGaplessAndConsistent(lockerId: string, inArrivalOrder = true): number {
  const facts = probe.factsOf(lockerId);
  const seqs = facts.map((f) => f.seq);
  expect(inArrivalOrder ? seqs : [...seqs].sort((a, b) => a - b)).toEqual(
    facts.map((_, i) => i + 1),
  );
  const firstId = new Map(facts.map((f) => [f.seq, f.messageId]));
  for (const e of probe.events)
    if (e.lockerId === lockerId && 'seq' in e) expect(e.messageId).toBe(firstId.get(e.seq));
  return facts.length;
}

describe('offline for 30 minutes', () => {
  it('verifies codes locally, opens, and delivers every offline_pickup once and in order after reconnect', async () => {
    const lockerId = 'offline-locker-1';
    const proxy = await startTcpProxy(broker.port);
    const bus = testBus({ compartments: 8 });
    const agent = await testAgent({
      lockerId,
      brokerUrl: proxy.url,
      storePath: path.join(tmp.dir, 'offline.db'),
      lockBus: bus,
      clock,
    });
    await agent.whenOnline();

    const parcels = [
      { parcelId: 'p-1001', compartment: 2, code: '20481024' },
      { parcelId: 'p-1002', compartment: 5, code: '77770001' },
      { parcelId: 'p-1003', compartment: 7, code: '31415926' },
    ];
    const verifiers = await Promise.all(
      parcels.map(async (p) => ({
        parcelId: p.parcelId,
        compartment: p.compartment,
        expiresAt: iso(clock.now() + 3 * 86400_000),
        ...(await makeCodeVerifier(p.code, cryptoRandom.bytes, FAST_KDF)),
      })),
    );
    const sync = await probe.response(
      await probe.send(lockerId, { type: 'sync', revision: 1, kdf: FAST_KDF, verifiers }),
    );
    expect(sync).toMatchObject({ status: 'ok', details: { applied: true, count: 3 } });

    proxy.cut();
    await probe.waitFor(
      () => probe.statuses.some((s) => s.lockerId === lockerId && s.reason === 'connection_lost'),
      3000,
      'Last Will',
    );
    expect(agent.online()).toBe(false);
    const seenBefore = probe.events.length;

    // 30 simulated minutes: a pickup every 10 minutes, a wrong code, doors closing behind residents.
    const replies = [];
    for (let minute = 1; minute <= 30; minute++) {
      clock.advance(60_000);
      if (minute % 10 === 0) {
        const p = parcels[minute / 10 - 1]!;
        replies.push(await agent.enterCode(p.code));
        bus.closeDoor(p.compartment);
      }
      if (minute === 15)
        expect(await agent.enterCode('00000000')).toMatchObject({
          result: 'wrong_code',
          attemptsLeft: DEFAULT_SETTINGS.wrongCodeLimit - 1,
        });
    }
    expect(replies).toEqual(parcels.map((p) => ({ result: 'opened', compartment: p.compartment })));
    expect(await agent.enterCode(parcels[0]!.code)).toMatchObject({ result: 'wrong_code' }); // a spent code does not open twice
    expect(bus.totalRelayCount()).toBe(3);
    expect(probe.events.length).toBe(seenBefore); // nothing leaks out while offline

    proxy.restore();
    await agent.whenOnline(5000);
    await probe.waitFor(
      () => probe.factsOf(lockerId).filter((f) => f.type === 'offline_pickup').length === 3,
      5000,
      'three offline pickups',
    );
    await probe.waitFor(
      () =>
        (probe.states.filter((s) => s.lockerId === lockerId).at(-1)?.lastSeq ?? 0) <=
        probe.factsOf(lockerId).length,
      3000,
      'all facts',
    );

    const pickups = probe.factsOf(lockerId).filter((f) => f.type === 'offline_pickup');
    expect(
      pickups.map((f) => f.type === 'offline_pickup' && [f.parcelId, f.compartment, f.outcome]),
    ).toEqual(parcels.map((p) => [p.parcelId, p.compartment, 'opened']));
    const times = pickups.map((f) => (f.type === 'offline_pickup' ? Date.parse(f.pickedUpAt) : 0));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(probe.events.filter((e) => e.type === 'offline_pickup')).toHaveLength(3); // once each, even on the wire
    expect(probe.events.some((e) => e.type === 'code_entered')).toBe(false); // codes never left the device
    expectGaplessAndConsistent(lockerId);
    await agent.stop();
    await proxy.close();
  });
});

describe('broker restart', () => {
  it('loses no fact and duplicates none (cloud dedups by seq, replays fill what the broker dropped)', async () => {
    const lockerId = 'restart-locker-1';
    const bus = testBus({ compartments: 4 });
    const agent = await testAgent({
      lockerId,
      brokerUrl: broker.url,
      storePath: path.join(tmp.dir, 'restart.db'),
      lockBus: bus,
      clock,
    });
    await agent.whenOnline();

    let stop = false;
    const churn = (async () => {
      // At least 40 open/close pairs whatever the machine's speed, so the count below does not depend on load.
      for (let i = 0; !stop || i < 40; i++) {
        const c = (i % 4) + 1;
        bus.pullDoor(c);
        bus.closeDoor(c);
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    await new Promise((r) => setTimeout(r, 150));
    await broker.restart();
    await new Promise((r) => setTimeout(r, 150));
    stop = true;
    await churn;
    await agent.whenOnline(5000);

    // The cloud's gap repair: compare with how far the locker's facts go (its heartbeat's and
    // connect snapshot's lastSeq; a v2 locker sends no snapshot for door changes alone), ask
    // for what is missing.
    const lastSeq = () => agent.lastSeq();
    await probe.waitFor(
      () => agent.online() && agent.pendingOutbox() === 0,
      3000,
      'the outbox drained after the restart',
    );
    const have = new Set(probe.factsOf(lockerId).map((f) => f.seq));
    const missing = Array.from({ length: lastSeq() }, (_, i) => i + 1).filter((s) => !have.has(s));
    if (missing.length > 0) {
      const res = await probe.response(
        await probe.send(lockerId, {
          type: 'replay',
          fromSeq: missing[0]!,
          toSeq: missing.at(-1)!,
        }),
      );
      expect(res.status).toBe('ok');
    }
    await probe.waitFor(
      () => probe.factsOf(lockerId).length >= lastSeq(),
      5000,
      `all ${lastSeq()} facts`,
    );
    const count = expectGaplessAndConsistent(lockerId, false);
    expect(count).toBeGreaterThan(50);
    console.info(
      `[broker restart] ${count} facts, ${missing.length} replayed, ${probe.events.filter((e) => e.lockerId === lockerId && 'seq' in e).length - count} wire duplicates`,
    );
    await agent.stop();
  });
});
