/** Command handling beyond open: invalid input, sync, config, replay, reboot. */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newCommandEnvelope } from '../contract/envelope.ts';
import { lockerTopic } from '../contract/topics.ts';
import { ManualClock, cryptoRandom } from '../kernel/clock.ts';
import type { LockerAgentHandle } from './agent.ts';
import { CloudProbe } from './testing/cloud-probe.ts';
import { tempDir, testAgent, testBus } from './testing/fixtures.ts';
import { type LinkTap, tapLink } from './testing/link-tap.ts';
import { type TestBroker, startTestBroker } from './testing/test-broker.ts';

let broker: TestBroker;
let probe: CloudProbe;
const clock = new ManualClock();
const tmp = tempDir();
const agents: LockerAgentHandle[] = [];
let n = 0;

beforeAll(async () => {
  broker = await startTestBroker();
  probe = await CloudProbe.connect(broker.url, { clock });
});
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  expect(probe.invalid).toEqual([]);
});
afterAll(async () => {
  await probe.close();
  await broker.close();
  tmp.cleanup();
});

async function agent(agentClock: ManualClock = clock) {
  const lockerId = `cmd-locker-${++n}`;
  const storePath = path.join(tmp.dir, `${lockerId}.db`);
  const bus = testBus();
  let tap!: LinkTap;
  const start = async () => {
    const a = await testAgent({
      lockerId,
      brokerUrl: broker.url,
      storePath,
      lockBus: bus,
      clock: agentClock,
      wrapLink: (l) => (tap = tapLink(l)).link,
    });
    agents.push(a);
    await a.whenOnline();
    return a;
  };
  const a = await start();
  return { lockerId, storePath, bus, a, tap: () => tap, start };
}

function storeCounts(file: string) {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const one = (sql: string) => db.prepare(sql).pluck().get() as number;
    return {
      commands: one('select count(*) from commands'),
      outbox: one('select count(*) from outbox'),
      meta: db.prepare('select key, value from meta order by key').all(),
    };
  } finally {
    db.close();
  }
}

describe('invalid commands', () => {
  it('are dropped with a logged reason and leave no trace in the store', async () => {
    const { lockerId, storePath, bus, a, tap } = await agent();
    await probe.waitFor(
      () => probe.factsOf(lockerId).some((f) => f.type === 'booted'),
      2000,
      'booted',
    );
    await new Promise((r) => setTimeout(r, 50));
    const before = storeCounts(storePath);
    const env = newCommandEnvelope({ lockerId, clock, random: cryptoRandom });

    await probe.sendRaw(lockerId, '{"type": "open", ');
    await probe.sendRaw(lockerId, Buffer.from([0xc3, 0x28, 0xa0]));
    await probe.sendRaw(
      lockerId,
      JSON.stringify({ ...env, type: 'open', compartment: 1, reason: 'pickup', force: true }),
    );
    await probe.sendRaw(
      lockerId,
      JSON.stringify({ ...env, type: 'open', compartment: 'one', reason: 'pickup' }),
    );
    await probe.sendRaw(
      lockerId,
      JSON.stringify({
        ...env,
        lockerId: 'someone-else',
        type: 'open',
        compartment: 1,
        reason: 'pickup',
      }),
    );
    tap().inject(
      lockerTopic('someone-else', 'cmd'),
      JSON.stringify({
        ...env,
        lockerId: 'someone-else',
        type: 'open',
        compartment: 1,
        reason: 'pickup',
      }),
    );
    tap().inject('antnest/v1/lockers/whatever', '{}');

    await new Promise((r) => setTimeout(r, 150));
    expect(a.rejections).toHaveLength(7);
    expect(a.rejections.map((r) => r.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/not JSON/),
        expect.stringMatching(/not UTF-8/),
        expect.stringMatching(/additional properties.*force/),
        expect.stringMatching(/\/compartment/),
        expect.stringMatching(/payload lockerId someone-else does not match/),
        expect.stringMatching(/topic is for locker someone-else/),
        expect.stringMatching(/not a command topic/),
      ]),
    );
    expect(probe.responses.filter((r) => r.lockerId === lockerId)).toHaveLength(0);
    expect(bus.totalRelayCount()).toBe(0);
    expect(storeCounts(storePath)).toEqual(before);
  });
});

describe('sync', () => {
  it('replaces verifiers and ignores an older revision', async () => {
    const { lockerId } = await agent();
    const kdf = { alg: 'scrypt', logN: 10, r: 8, p: 1, keyLength: 32 } as const;
    const v = (parcelId: string, compartment: number) => ({
      parcelId,
      compartment,
      salt: 'c2FsdHNhbHRzYWx0c2FsdA==',
      hash: 'A'.repeat(43) + '=',
      expiresAt: '2026-12-01T00:00:00.000Z',
    });
    expect(
      await probe.response(
        await probe.send(lockerId, {
          type: 'sync',
          revision: 5,
          kdf,
          verifiers: [v('a', 1), v('b', 2), v('c', 99)],
        }),
      ),
    ).toMatchObject({
      status: 'ok',
      details: { applied: true, revision: 5, count: 2 }, // compartment 99 does not exist here
    });
    expect(
      await probe.response(
        await probe.send(lockerId, { type: 'sync', revision: 4, kdf, verifiers: [] }),
      ),
    ).toMatchObject({
      status: 'ok',
      details: { applied: false, reason: 'stale_revision', revision: 5, count: 2 },
    });
    await probe.waitFor(
      () =>
        probe.states.some(
          (s) => s.lockerId === lockerId && s.syncRevision === 5 && s.verifierCount === 2,
        ),
      2000,
      'state with sync revision',
    );
  });

  it("a pickup spends the compartment's code: no later sync brings the same code back, whatever the device's clock says", async () => {
    // The device's clock lags the cloud's by an hour: a sync the cloud built before the
    // pickup carries a revision "later" than the spend by any clock comparison.
    const lagging = new ManualClock(clock.now() - 3_600_000);
    const { lockerId, storePath } = await agent(lagging);
    const kdf = { alg: 'scrypt', logN: 10, r: 8, p: 1, keyLength: 32 } as const;
    const v = (parcelId: string, compartment: number, salt = 'c2FsdHNhbHRzYWx0c2FsdA==') => ({
      parcelId,
      compartment,
      salt,
      hash: 'A'.repeat(43) + '=',
      expiresAt: '2026-12-01T00:00:00.000Z',
    });
    // p1 and p1b share compartment 3 (a group, one code); p2 waits in 4.
    const all = [v('p1', 3), v('p1b', 3), v('p2', 4)];
    const sync = async (revision: number, verifiers: ReturnType<typeof v>[]) =>
      probe.response(await probe.send(lockerId, { type: 'sync', revision, kdf, verifiers }));
    expect(await sync(7, all)).toMatchObject({ details: { applied: true, count: 3 } });
    lagging.advance(1000);
    expect(
      await probe.response(
        await probe.send(lockerId, {
          type: 'open',
          compartment: 3,
          reason: 'pickup',
          parcelId: 'p1',
        }),
      ),
    ).toMatchObject({ status: 'opened' });
    const verifiers = () =>
      new SQLite(storePath, { readonly: true })
        .prepare('select parcel_id from verifiers order by parcel_id')
        .pluck()
        .all();
    expect(verifiers()).toEqual(['p2']);
    // Built before the pickup, arriving after it, with a revision above the device's clock
    // (as a v1 cloud's clock revision from a clock ahead of the device's would be): stays out.
    expect(await sync(clock.now() + 500, all)).toMatchObject({
      details: { applied: true, count: 1 },
    });
    expect(verifiers()).toEqual(['p2']);
    // Any later revision with the same codes: still out.
    expect(await sync(clock.now() + 10_000_000, all)).toMatchObject({
      details: { applied: true, count: 1 },
    });
    // A new code for p1 (a new grant: another seal, so another salt) is kept.
    expect(
      await sync(clock.now() + 10_000_001, [v('p1', 3, 'bmV3c2FsdG5ld3NhbHRuZXc='), v('p2', 4)]),
    ).toMatchObject({ details: { applied: true, count: 2 } });
    // A staff open spends nothing.
    expect(
      await probe.response(
        await probe.send(lockerId, { type: 'open', compartment: 4, reason: 'staff' }),
      ),
    ).toMatchObject({ status: 'opened' });
    expect(verifiers()).toEqual(['p1', 'p2']);
  });
});

describe('config', () => {
  it('applies settings, reports them, and keeps them across a restart', async () => {
    const { lockerId, a, start } = await agent();
    const res = await probe.response(
      await probe.send(lockerId, {
        type: 'config',
        settings: { openDetectSeconds: 5, offlinePickup: false },
      }),
    );
    expect(res.details?.settings).toMatchObject({
      openDetectSeconds: 5,
      offlinePickup: false,
      heartbeatSeconds: 60,
    });
    await a.stop();
    agents.splice(agents.indexOf(a), 1);
    const states = probe.states.length;
    await start();
    await probe.waitFor(
      () => probe.states.slice(states).some((s) => s.lockerId === lockerId),
      2000,
      'state after restart',
    );
    expect(probe.states.slice(states).find((s) => s.lockerId === lockerId)?.settings).toMatchObject(
      { openDetectSeconds: 5, offlinePickup: false },
    );
  });
});

describe('replay', () => {
  it('publishes stored facts again, byte for byte', async () => {
    const { lockerId, bus } = await agent();
    bus.pullDoor(1);
    bus.closeDoor(1);
    await probe.waitFor(() => probe.factsOf(lockerId).length >= 4, 2000, 'facts'); // booted, opened, uncommanded, closed
    const before = probe.events.filter((e) => e.lockerId === lockerId && 'seq' in e).length;
    const res = await probe.response(
      await probe.send(lockerId, { type: 'replay', fromSeq: 2, toSeq: 3 }),
    );
    expect(res).toMatchObject({ status: 'ok', details: { replayed: 2, oldestSeq: 1 } });
    await probe.waitFor(
      () => probe.events.filter((e) => e.lockerId === lockerId && 'seq' in e).length === before + 2,
      2000,
      'replayed facts',
    );
    const again = probe.events.filter((e) => e.lockerId === lockerId && 'seq' in e).slice(-2);
    expect(again).toEqual(probe.factsOf(lockerId).slice(1, 3));
  });
});

describe('reboot', () => {
  it('answers ok, says goodbye, comes back and says why', async () => {
    const { lockerId } = await agent();
    const res = await probe.response(await probe.send(lockerId, { type: 'reboot' }));
    expect(res.status).toBe('ok');
    await probe.waitFor(
      () => probe.statuses.some((s) => s.lockerId === lockerId && s.reason === 'reboot'),
      3000,
      'offline for reboot',
    );
    await probe.waitFor(
      () => probe.factsOf(lockerId).some((f) => f.type === 'booted' && f.reason === 'reboot'),
      3000,
      'booted after reboot',
    );
    const statuses = () =>
      probe.statuses.filter((s) => s.lockerId === lockerId).map((s) => `${s.status}:${s.reason}`);
    await probe.waitFor(
      () => statuses().lastIndexOf('online:connected') > statuses().indexOf('offline:reboot'),
      3000,
      'online again',
    );
    expect(
      probe
        .factsOf(lockerId)
        .filter((f) => f.type === 'booted')
        .map((f) => f.type === 'booted' && f.reason),
    ).toEqual(['start', 'reboot']);
  });
});
