/**
 * Interoperability: drive a simulated locker through an `open` with nothing but
 * Mosquitto's own command-line clients against the local Mosquitto (127.0.0.1:1883).
 * Skipped, with the reason printed, when the binaries or the broker are missing.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { lockerTopic } from '../contract/topics.ts';
import { decodeResponse, decodeStatus } from '../contract/validate.ts';
import { cryptoRandom, iso, newId, systemClock } from '../kernel/clock.ts';
import { startLockerAgent } from './agent.ts';
import { tempDir, testBus } from './testing/fixtures.ts';

const run = promisify(execFile);
const HOST = '127.0.0.1';
const PORT = 1883;
const haveClients =
  spawnSync('mosquitto_pub', ['--help']).error === undefined &&
  spawnSync('mosquitto_sub', ['--help']).error === undefined;
const brokerUp = await new Promise<boolean>((resolve) => {
  const s = net.connect({ host: HOST, port: PORT }, () => (s.destroy(), resolve(true)));
  s.on('error', () => resolve(false));
  s.setTimeout(1000, () => (s.destroy(), resolve(false)));
});
const skipReason = !haveClients
  ? 'mosquitto_pub/mosquitto_sub not installed (apt-get install -y mosquitto-clients)'
  : !brokerUp
    ? `no Mosquitto listening on ${HOST}:${PORT}`
    : '';
if (skipReason) console.warn(`[mosquitto-cli.test] SKIPPED: ${skipReason}`);

const haveStdbuf = spawnSync('stdbuf', ['--version']).error === undefined;

/** Start mosquitto_sub for `count` messages; `ready` resolves on its SUBACK, `messages` with the payloads. */
function subscribe(
  topic: string,
  count: number,
  waitSeconds = 10,
): { ready: Promise<void>; messages: Promise<string[]>; proc: ChildProcess } {
  const args = [
    '-h',
    HOST,
    '-p',
    String(PORT),
    '-q',
    '1',
    '-t',
    topic,
    '-C',
    String(count),
    '-W',
    String(waitSeconds),
    '-d',
  ];
  // mosquitto_sub's stdout is block-buffered on a pipe; line-buffer it so the SUBACK shows up in time.
  const proc = haveStdbuf
    ? spawn('stdbuf', ['-oL', 'mosquitto_sub', ...args])
    : spawn('mosquitto_sub', args);
  let out = '';
  let err = '';
  const ready = new Promise<void>((resolve) => {
    proc.stdout.on('data', (d: Buffer) => ((out += d), out.includes('SUBACK') && resolve()));
    if (!haveStdbuf) setTimeout(resolve, 1000); // no way to see the SUBACK early: give it a second
  });
  proc.stderr.on('data', (d: Buffer) => (err += d));
  const messages = new Promise<string[]>((resolve, reject) =>
    proc.on('close', (code) => {
      const lines = out.split('\n').filter((l) => l.startsWith('{'));
      if (lines.length >= count) resolve(lines);
      else
        reject(
          new Error(`mosquitto_sub exited ${code} with ${lines.length}/${count} messages: ${err}`),
        );
    }),
  );
  return { ready, messages, proc };
}

describe.skipIf(skipReason !== '')('with the real Mosquitto CLI clients', () => {
  const lockerId = `cli-${process.pid}-${Date.now().toString(36)}`;
  const tmp = tempDir();

  afterAll(async () => {
    // Leave the shared broker as we found it: clear retained messages and the persistent session.
    for (const kind of ['state', 'status'] as const)
      await run('mosquitto_pub', [
        '-h',
        HOST,
        '-p',
        String(PORT),
        '-r',
        '-n',
        '-t',
        lockerTopic(lockerId, kind),
      ]).catch(() => {});
    await run('mosquitto_pub', [
      '-h',
      HOST,
      '-p',
      String(PORT),
      '-i',
      lockerId,
      '-t',
      'antnest/cleanup',
      '-n',
    ]).catch(() => {});
    tmp.cleanup();
  });

  it('opens a compartment on mosquitto_pub and answers on mosquitto_sub; the Last Will reports a crash', async () => {
    const bus = testBus();
    const agent = await startLockerAgent({
      lockerId,
      brokerUrl: `mqtt://${HOST}:${PORT}`,
      username: lockerId,
      password: 'demo',
      storePath: path.join(tmp.dir, 'cli.db'),
      lockBus: bus,
      timeScale: 0.01,
      contract: 'v1', // answers the open with a res (v2 answers with its open_outcome fact)
    });
    await agent.whenOnline();

    const status = await run('mosquitto_sub', [
      '-h',
      HOST,
      '-p',
      String(PORT),
      '-t',
      lockerTopic(lockerId, 'status'),
      '-C',
      '1',
      '-W',
      '5',
    ]);
    expect(decodeStatus(status.stdout.trim())).toMatchObject({
      ok: true,
      value: { status: 'online' },
    });

    const res = subscribe(lockerTopic(lockerId, 'res'), 1);
    await res.ready;
    const now = systemClock.now();
    const commandId = newId(systemClock, cryptoRandom);
    const cmd = {
      messageId: newId(systemClock, cryptoRandom),
      commandId,
      lockerId,
      sentAt: iso(now),
      expiresAt: iso(now + 60_000),
      type: 'open',
      compartment: 2,
      reason: 'staff',
    };
    await run('mosquitto_pub', [
      '-h',
      HOST,
      '-p',
      String(PORT),
      '-q',
      '1',
      '-t',
      lockerTopic(lockerId, 'cmd'),
      '-m',
      JSON.stringify(cmd),
    ]);
    const [line] = await res.messages;
    const decoded = decodeResponse(line!);
    expect(decoded.ok).toBe(true);
    expect(decoded.ok && decoded.value).toMatchObject({
      commandId,
      status: 'opened',
      compartment: 2,
    });
    expect(bus.relayCount(2)).toBe(1);

    const will = subscribe(lockerTopic(lockerId, 'status'), 2); // the retained online, then the Will
    await will.ready;
    agent.crash();
    const [, offline] = await will.messages;
    expect(decodeStatus(offline!)).toMatchObject({
      ok: true,
      value: { status: 'offline', reason: 'connection_lost' },
    });
  });
});
