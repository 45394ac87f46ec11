import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults, runFleetCommand, runLockerCommand } from './cli.ts';
import { CloudProbe } from './testing/cloud-probe.ts';
import { tempDir } from './testing/fixtures.ts';
import { type TestBroker, startTestBroker } from './testing/test-broker.ts';

let broker: TestBroker;
let probe: CloudProbe;
const tmp = tempDir();
beforeAll(async () => {
  broker = await startTestBroker();
  probe = await CloudProbe.connect(broker.url);
});
afterAll(async () => {
  await probe.close();
  await broker.close();
  tmp.cleanup();
});

const capture = () => {
  const lines = { out: '', err: '' };
  return {
    lines,
    io: { out: (s: string) => void (lines.out += s), err: (s: string) => void (lines.err += s) },
  };
};

describe('antnest locker', () => {
  it('runs an agent that comes online with a touchscreen, and stops cleanly', async () => {
    const { lines, io } = capture();
    const online = () =>
      probe.waitFor(
        () => probe.statuses.some((s) => s.lockerId === 'cli-locker-1' && s.status === 'online'),
        5000,
        'online',
      );
    const code = await runLockerCommand(
      [
        '--id',
        'cli-locker-1',
        '--broker',
        broker.url,
        '--password',
        'x',
        '--store',
        path.join(tmp.dir, 'c.db'),
        '--screen-port',
        '0',
        '--compartments',
        '4',
        '--log-level',
        'silent',
      ],
      io,
      online,
    );
    expect(code).toBe(0);
    expect(lines.out).toMatch(
      /locker cli-locker-1 running; touchscreen at http:\/\/127\.0\.0\.1:\d+\//,
    );
    await probe.waitFor(
      () => probe.statuses.some((s) => s.lockerId === 'cli-locker-1' && s.reason === 'shutdown'),
      3000,
      'offline',
    );
  });

  it('connects to the broker named in a saved provisioning answer, and refuses one for another locker', async () => {
    const file = path.join(tmp.dir, 'provisioned.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        lockerId: 'cli-locker-2',
        mqttUsername: 'cli-locker-2',
        mqttPassword: 'x',
        brokerUrl: broker.url, // no --broker: the answer's address is the one used
      }),
    );
    const online = () =>
      probe.waitFor(
        () => probe.statuses.some((s) => s.lockerId === 'cli-locker-2' && s.status === 'online'),
        5000,
        'online',
      );
    const args = [
      '--provisioned',
      file,
      '--store',
      path.join(tmp.dir, 'p.db'),
      '--log-level',
      'silent',
    ];
    expect(await runLockerCommand(['--id', 'cli-locker-2', ...args], capture().io, online)).toBe(0);
    const other = capture();
    expect(await runLockerCommand(['--id', 'cli-locker-3', ...args], other.io, online)).toBe(2);
    expect(other.lines.err).toMatch(/answer for cli-locker-2, not cli-locker-3/);
  });

  it('refuses bad flags with usage and exit code 2', async () => {
    const { lines, io } = capture();
    expect(await runLockerCommand(['--id', 'Bad Id'], io)).toBe(2);
    expect(await runLockerCommand(['--nope'], io)).toBe(2);
    expect(await runLockerCommand(['--id', 'ok-id', '--compartments', 'lots'], io)).toBe(2);
    expect(lines.err).toMatch(/--id is required/);
    expect(lines.err).toMatch(/--compartments expects/);
  });
});

describe('antnest fleet', () => {
  it('prints its seed and runs the lockers', async () => {
    const { lines, io } = capture();
    const online = () =>
      probe.waitFor(
        () =>
          ['t-0001', 't-0002', 't-0003'].every((id) =>
            probe.statuses.some((s) => s.lockerId === id && s.status === 'online'),
          ),
        5000,
        'fleet online',
      );
    expect(
      await runFleetCommand(
        [
          '--lockers',
          '3',
          '--broker',
          broker.url,
          '--seed',
          '99',
          '--id-prefix',
          't',
          '--faults',
          'drop=600,jam=0.1',
          '--log-level',
          'silent',
        ],
        io,
        online,
      ),
    ).toBe(0);
    expect(lines.out).toContain('seed 99');
  });

  it('parses fault specs and refuses nonsense', () => {
    expect(parseFaults('drop=60,restart=600,jam=0.05')).toEqual({
      dropLinkEvery: 60,
      restartEvery: 600,
      jamProbability: 0.05,
    });
    expect(() => parseFaults('jam=2')).toThrow();
    expect(() => parseFaults('boom=1')).toThrow();
  });
});

describe('antnest locker start-up failures', () => {
  it('explains a serial device it cannot open and exits 1', async () => {
    const { lines, io } = capture();
    expect(
      await runLockerCommand(
        [
          '--id',
          'cli-locker-2',
          '--rs485',
          path.join(tmp.dir, 'no-such-tty'),
          '--log-level',
          'silent',
        ],
        io,
      ),
    ).toBe(1);
    expect(lines.err).toMatch(/could not start/);
  });
});
