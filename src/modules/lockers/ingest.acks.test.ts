/**
 * Durable before acknowledged, on an external broker: the node's MQTT client sends a device
 * message's PUBACK only after the ingest transaction that applies it committed (the embedded
 * broker's in-process path: ingest.acks.local.test.ts). The node "dies" between receive
 * and commit (its connection drops and the transaction fails); the broker delivers the
 * message again on the session's next connection and it is applied exactly once.
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
import { clientTransport } from '../../platform/mqtt/transport.ts';
import { createLocker } from './locker.service.ts';
import { type LockerRuntime, OutboxRelay, startLockerRuntime } from './locker.runtime.ts';
import type { LockerHooks } from './signals.service.ts';

const L = 'ack-0001';
const quiet: MqttLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describeEachDialect('locker ingest acknowledges after commit', (dialect) => {
  const { t, w } = useWorld(dialect);
  let broker: EmbeddedBroker;
  let node: MqttClient;
  let device: MqttClient;
  let runtime: LockerRuntime;
  const calls: number[] = [];
  let killOnSeq = 0;

  beforeAll(async () => {
    await createLocker(t.deps, null, w.siteA, {
      id: L,
      name: '应答测试柜',
      compartments: demoLayout(24),
    });
    broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      demo: false,
      log: quiet,
      authenticate: async () => ({ role: 'service' as const }),
    });
    // A session that survives a dropped connection, so this broker redelivers (as EMQX does to a shared
    // subscription's other members; server.ts' nodes on Mosquitto keep clean sessions and rely on the replay).
    node = await connectMqtt({
      url: broker.url,
      username: 'node',
      password: 'x',
      clientId: 'antnest-cloud-node',
      clean: false,
      log: quiet,
    });
    device = await connectMqtt({
      url: broker.url,
      username: 'dev',
      password: 'x',
      clientId: 'antnest-cloud-device',
      log: quiet,
    });
    const hooks: LockerHooks = {
      onFact: async (_trx, _locker, f) => {
        if (!('seq' in f)) return;
        calls.push(f.seq);
        if (f.seq === killOnSeq) {
          killOnSeq = 0;
          // Time for anything already sent (an early PUBACK) to reach the broker, as it would during a real transaction.
          await new Promise((r) => setTimeout(r, 100));
          // The node dies between receive and commit: its connection goes, its transaction never commits.
          node.stream.destroy();
          throw new Error('node killed before commit');
        }
      },
    };
    runtime = await startLockerRuntime(
      t.deps,
      new OutboxRelay(),
      clientTransport(node),
      t.app.log,
      hooks,
      {
        shared: false,
        offlineAlertMinutes: 10,
        pollMs: 60_000,
      },
    );
  });
  afterAll(async () => {
    await runtime?.stop();
    await node?.endAsync();
    await device?.endAsync();
    await broker?.close();
  });

  const publishFact = (seq: number, compartment: number) =>
    device.publishAsync(
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

  it('applies and acknowledges a message in the normal case', async () => {
    await publishFact(1, 2);
    await until('fact 1 stored', async () => (await stored(1)) === 1);
    await runtime.idle();
    expect(runtime.stats).toMatchObject({ applied: 1, failed: 0 });
  });

  it('redelivers a message whose transaction did not commit before the node died, and applies it once', async () => {
    killOnSeq = 2;
    await publishFact(2, 3);
    await until('first attempt failed', async () => runtime.stats.failed === 1);
    expect(await stored(2)).toBe(0);
    // The node's client reconnects by itself (once a second); the broker resends the unacknowledged message.
    await until('fact 2 stored after redelivery', async () => (await stored(2)) === 1, 15_000);
    await runtime.idle();
    expect(calls.filter((s) => s === 2)).toHaveLength(2); // tried twice, committed once
    expect(await stored(2)).toBe(1);
    const c = await t.database.db
      .selectFrom('compartments')
      .select('door')
      .where('locker_id', '=', L)
      .where('number', '=', 3)
      .executeTakeFirstOrThrow();
    expect(c.door).toBe('open');
    // Acknowledged now: a later reconnect brings nothing again.
    node.stream.destroy();
    await until('reconnected', async () => node.connected, 15_000);
    await publishFact(3, 4);
    await until('fact 3 stored', async () => (await stored(3)) === 1);
    await runtime.idle();
    expect(calls.filter((s) => s === 2)).toHaveLength(2);
    expect(runtime.stats).toMatchObject({ applied: 3, failed: 1 });
  });
});
