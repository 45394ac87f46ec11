/**
 * Durable before acknowledged, with the embedded broker consumed in-process (ADR 0035): the
 * broker's PUBACK to the locker waits for the node's commit. The node dies between receive
 * and commit — and takes its broker with it; the locker, never acknowledged, resends the
 * message to the node that comes back on the same port, which applies it exactly once.
 */
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, until } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { lockerTopic } from '../../contract/index.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { cryptoRandom, iso, newId } from '../../platform/clock.ts';
import {
  type EmbeddedBroker,
  type MqttLog,
  startEmbeddedBroker,
} from '../../platform/mqtt/broker.ts';
import { connectMqtt } from '../../platform/mqtt/client.ts';
import { createLocker } from './locker.service.ts';
import {
  deviceFilters,
  type LockerRuntime,
  OutboxRelay,
  startLockerRuntime,
} from './locker.runtime.ts';
import type { LockerHooks } from './signals.service.ts';

const L = 'ack-0002';
const quiet: MqttLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describeEachDialect('locker ingest in-process acknowledges after commit', (dialect) => {
  const { t, w } = useWorld(dialect);
  let broker: EmbeddedBroker;
  let device: MqttClient;
  let runtime: LockerRuntime;
  const calls: number[] = [];
  let killOnSeq = 0;
  let port = 0;

  const hooks: LockerHooks = {
    onFact: async (_trx, _locker, f) => {
      if (!('seq' in f)) return;
      calls.push(f.seq);
      if (f.seq === killOnSeq) {
        killOnSeq = 0;
        // Time for anything already sent (an early PUBACK) to reach the locker, as during a real transaction.
        await new Promise((r) => setTimeout(r, 100));
        // The node dies between receive and commit: its broker and every connection go, the transaction never commits.
        await broker.close();
        throw new Error('node killed before commit');
      }
    },
  };

  /** A node as server.ts starts one on the embedded broker: the broker, then the runtime on its transport. */
  const startNode = async () => {
    broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port,
      demo: false,
      log: quiet,
      authenticate: async () => ({ role: 'service' as const }),
      consumedTopics: deviceFilters(false),
    });
    port = broker.port;
    runtime = await startLockerRuntime(
      t.deps,
      new OutboxRelay(),
      broker.transport,
      t.app.log,
      hooks,
      { shared: false, offlineAlertMinutes: 10, pollMs: 60_000 },
    );
  };

  beforeAll(async () => {
    await createLocker(t.deps, null, w.siteA, {
      id: L,
      name: '进程内应答测试柜',
      compartments: demoLayout(24),
    });
    await startNode();
    // As the locker agent connects: a persistent session; unacknowledged publishes are resent on reconnect.
    device = await connectMqtt({
      url: broker.url,
      username: 'dev',
      password: 'x',
      clientId: 'antnest-cloud-device2',
      clean: false,
      log: quiet,
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    await device?.endAsync(true);
    await broker?.close();
  });

  const publishFact = (seq: number, compartment: number) =>
    device.publish(
      lockerTopic(L, 'evt'),
      JSON.stringify({
        messageId: newId(t.clock, cryptoRandom),
        lockerId: L,
        sentAt: iso(t.clock.now()),
        seq,
        type: 'door_opened',
        compartment,
        cause: 'uncommanded',
      }),
      { qos: 1 },
    );
  const stored = async (seq: number) =>
    (
      await t.database.db
        .selectFrom('locker_events')
        .select('seq')
        .where('locker_id', '=', L)
        .where('seq', '=', seq)
        .execute()
    ).length;

  it('applies a message in-process and acknowledges it to the locker', async () => {
    expect(broker.transport.kind).toBe('in-process');
    await new Promise<void>((resolve, reject) => {
      device.publish(
        lockerTopic(L, 'evt'),
        JSON.stringify({
          messageId: newId(t.clock, cryptoRandom),
          lockerId: L,
          sentAt: iso(t.clock.now()),
          seq: 1,
          type: 'door_opened',
          compartment: 2,
          cause: 'uncommanded',
        }),
        { qos: 1 },
        // The PUBACK: it comes once the fact is stored.
        (err) => (err ? reject(err) : resolve()),
      );
    });
    expect(await stored(1)).toBe(1);
    await runtime.idle();
    expect(runtime.stats).toMatchObject({ applied: 1, failed: 0 });
  });

  it('leaves a message the dead node did not commit unacknowledged; the locker resends it to the next node', async () => {
    killOnSeq = 2;
    publishFact(2, 3);
    await until('first attempt failed', async () => runtime.stats.failed === 1);
    expect(await stored(2)).toBe(0);
    await runtime.stop();
    // The node comes back on the same port; the locker reconnects (once a second) and resends what was not acknowledged.
    await startNode();
    await until('fact 2 stored after the resend', async () => (await stored(2)) === 1, 15_000);
    await runtime.idle();
    expect(calls.filter((s) => s === 2)).toHaveLength(2); // tried twice, committed once
    const c = await t.database.db
      .selectFrom('compartments')
      .select('door')
      .where('locker_id', '=', L)
      .where('number', '=', 3)
      .executeTakeFirstOrThrow();
    expect(c.door).toBe('open');
    // Acknowledged now: the next message goes through and nothing comes twice.
    publishFact(3, 4);
    await until('fact 3 stored', async () => (await stored(3)) === 1);
    await runtime.idle();
    expect(calls.filter((s) => s === 2)).toHaveLength(2);
    expect(runtime.stats).toMatchObject({ applied: 2, failed: 0 });
  });
});
