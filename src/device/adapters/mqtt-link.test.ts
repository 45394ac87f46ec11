/**
 * The MQTT link's promise to the agent: "up" means the locker's command subscription is in
 * place on the broker, on every connection, including one whose SUBSCRIBE was lost.
 *
 * Runs on Aedes and, where it listens on 127.0.0.1:1883, on Mosquitto: the two differ on the
 * point that matters. Mosquitto says "session present" once a CONNECT with clean=false got
 * through, even if no subscription ever did; a client that trusts that flag stays deaf.
 */
import net from 'node:net';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceUsername, lockerTopic } from '../../contract/topics.ts';
import { type TestBroker, startTestBroker } from '../testing/test-broker.ts';
import { MqttLink } from './mqtt-link.ts';

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
const mosquittoHere = await listening(1883);
const run = `${process.pid}-${Date.now().toString(36)}`;

let broker: TestBroker;
let upstreamPort: number;
let upstreamUrl: string;
let proxy: net.Server;
let proxyPort: number;
/** How many SUBSCRIBE packets the proxy swallowed (cutting the connection each time). */
let cutSubscribes = 0;
let subscribesToCut = 0;
/** How many SUBACKs the proxy swallows, keeping the connection open (a message lost on a live link). */
let subacksToSwallow = 0;
let swallowedSubacks = 0;
/** How many SUBACKs the proxy turns into a refusal (return code 0x80). */
let subacksToRefuse = 0;
/** How many PUBACKs the proxy swallows, keeping the connection open. */
let pubacksToSwallow = 0;
let swallowedPubacks = 0;
/** How many CONNECTs the proxy refuses itself (CONNACK "not authorised"), as a briefly failing auth hook would. */
let connectsToRefuse = 0;

beforeEach(async (ctx) => {
  broker = await startTestBroker();
  const onMosquitto = ctx.task.suite?.name === 'Mosquitto';
  upstreamPort = onMosquitto ? 1883 : broker.port;
  upstreamUrl = onMosquitto ? 'mqtt://127.0.0.1:1883' : broker.url;
  cutSubscribes = 0;
  subscribesToCut = 0;
  connectsToRefuse = 0;
  subacksToSwallow = 0;
  swallowedSubacks = 0;
  pubacksToSwallow = 0;
  swallowedPubacks = 0;
  subacksToRefuse = 0;
  // A TCP proxy that can lose the client's SUBSCRIBE and cut the connection before it reaches
  // the broker: the broker has the session (CONNECT came through) but no subscription.
  proxy = net.createServer({ noDelay: true }, (client) => {
    const upstream = net.connect({ port: upstreamPort, host: '127.0.0.1', noDelay: true });
    client.on('data', (chunk) => {
      // 0x10: CONNECT. Answer it here with return code 5 (not authorised) and hang up.
      if (chunk[0] === 0x10 && connectsToRefuse > 0) {
        connectsToRefuse--;
        client.end(Buffer.from([0x20, 0x02, 0x00, 0x05]));
        upstream.destroy();
        return;
      }
      // 0x82: the fixed header of SUBSCRIBE. The client sends it alone, after the CONNACK.
      if (chunk[0] === 0x82 && cutSubscribes < subscribesToCut) {
        cutSubscribes++;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      // 0x90: SUBACK (the broker sends it alone, in answer to the SUBSCRIBE).
      if (chunk[0] === 0x90 && swallowedSubacks < subacksToSwallow) {
        swallowedSubacks++;
        return;
      }
      // SUBACK of one topic: 0x90 0x03 id id rc. Refuse it, as a broker's ACL would.
      if (chunk[0] === 0x90 && chunk.length === 5 && subacksToRefuse > 0) {
        subacksToRefuse--;
        client.write(Buffer.from([0x90, 0x03, chunk[2]!, chunk[3]!, 0x80]));
        return;
      }
      // 0x40: PUBACK (4 bytes; the broker may write several in one chunk, so take only the first).
      if (chunk[0] === 0x40 && swallowedPubacks < pubacksToSwallow) {
        swallowedPubacks++;
        if (chunk.length > 4) client.write(chunk.subarray(4));
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  proxyPort = (proxy.address() as net.AddressInfo).port;
});

const links: MqttLink[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.stop()));
  await new Promise<void>((r) => proxy.close(() => r()));
  await broker.close();
});

async function cloudSends(lockerId: string, body: string): Promise<void> {
  const cloud = await mqtt.connectAsync(upstreamUrl, { username: 'antnest-cloud-test' });
  await cloud.publishAsync(lockerTopic(lockerId, 'cmd'), body, { qos: 1 });
  await cloud.endAsync();
}

function startLink(lockerId: string) {
  const received: string[] = [];
  let ups = 0;
  const lost: string[] = [];
  const refusals: string[] = [];
  const link = new MqttLink({
    url: `mqtt://127.0.0.1:${proxyPort}`,
    clientId: deviceUsername(lockerId),
    username: deviceUsername(lockerId),
    password: 'test',
    subscribe: lockerTopic(lockerId, 'cmd'),
    will: () => ({ topic: lockerTopic(lockerId, 'status'), payload: Buffer.from('{}') }),
    reconnectPeriodMs: 20,
    subscribePatienceMs: 300,
    onRefused: (reason) => refusals.push(reason),
    onSubscribeLost: (reason) => lost.push(reason),
  });
  links.push(link);
  link.start({
    onMessage: (_t, p) => received.push(p.toString()),
    onUp: () => ups++,
    onDown: () => {},
  });
  return { link, received, refusals, ups: () => ups, lost: () => lost.length, lostReasons: lost };
}

async function until(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// The suite's name picks the broker behind the proxy (see beforeEach).
for (const [name, absent] of [
  ['Aedes', false],
  ['Mosquitto', !mosquittoHere],
] as const)
  describe.skipIf(absent)(name, () => {
    it('receives commands after its first SUBSCRIBE was lost with the connection', async () => {
      subscribesToCut = 1;
      const { received, ups } = startLink(`link-a-${run}`);
      await until(() => ups() === 1, 'the link up after the reconnect');
      expect(cutSubscribes).toBe(1);
      await cloudSends(`link-a-${run}`, 'open 1');
      await until(() => received.length === 1, 'the command on the reconnected link');
      expect(received).toEqual(['open 1']);
    });

    it('reconnects when its SUBACK is lost on a connection that stays open', async () => {
      subacksToSwallow = 1;
      const { link, received, ups, lost } = startLink(`link-d-${run}`);
      await until(() => ups() === 1, 'the link up after the patience ran out');
      expect(swallowedSubacks).toBe(1);
      expect(lost()).toBe(1);
      expect(link.connected()).toBe(true);
      await cloudSends(`link-d-${run}`, 'open 4');
      await until(() => received.length === 1, 'the command on the new connection');
      expect(received).toEqual(['open 4']);
    });

    it('reconnects when the broker refuses its subscription', async () => {
      subacksToRefuse = 1;
      const { received, ups, lostReasons } = startLink(`link-f-${run}`);
      await until(() => ups() === 1, 'the link up on the connection after the refusal');
      expect(lostReasons).toEqual([expect.stringContaining('Subscribe error')]);
      await cloudSends(`link-f-${run}`, 'open 5');
      await until(() => received.length === 1, 'the command after the refusal');
    });

    it('comes up on a new connection although a publish of the old one is never acknowledged', async () => {
      const lockerId = `link-e-${run}`;
      const { link, ups } = startLink(lockerId);
      await until(() => ups() === 1, 'the first up');
      // The PUBACK is lost, and so would be the one of any resend: mqtt.js' own resend on the
      // next connection waits for it before it says "connect", so the link would never come up.
      pubacksToSwallow = 2;
      const first = link.publish(lockerTopic(lockerId, 'evt'), 'fact 1');
      await until(() => swallowedPubacks === 1, 'the lost PUBACK');
      link.drop();
      await expect(first).rejects.toThrow('Message removed');
      await until(() => ups() === 2, 'the link up on the next connection');
      expect(swallowedPubacks).toBe(1); // nothing was resent by mqtt.js: that is the outbox's job
      pubacksToSwallow = 0;
      await link.publish(lockerTopic(lockerId, 'evt'), 'fact 2');
    });

    it('keeps reconnecting after the broker refused it (an auth hook briefly down)', async () => {
      connectsToRefuse = 2;
      const { received, refusals, ups } = startLink(`link-c-${run}`);
      await until(() => ups() === 1, 'the link up after two refusals');
      expect(connectsToRefuse).toBe(0);
      expect(refusals).toEqual(['Connection refused: Not authorized']); // once per streak
      await cloudSends(`link-c-${run}`, 'open 3');
      await until(() => received.length === 1, 'the command after the refusals');
    });

    it('is up only once its subscription is confirmed, on every connection', async () => {
      const { link, received, ups } = startLink(`link-b-${run}`);
      await until(() => ups() === 1, 'the first up');
      subscribesToCut = 1;
      link.drop();
      // The reconnect's SUBSCRIBE is cut too; the one after it gets through.
      await until(() => ups() === 2, 'the second up');
      expect(cutSubscribes).toBe(1);
      await cloudSends(`link-b-${run}`, 'open 2');
      await until(() => received.length === 1, 'the command after two reconnects');
    });
  });
