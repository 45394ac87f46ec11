/**
 * Command-line entry points for `antnest locker` (one reference agent) and `antnest fleet`
 * (many simulated lockers). Each takes the arguments after the command name and
 * resolves with the process exit code once the run ends (SIGINT/SIGTERM stop it gracefully).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import pino from 'pino';
import { deviceUsername } from '../contract/topics.ts';
import { isLockerId } from '../contract/common.ts';
import { cryptoRandom } from '../kernel/clock.ts';
import { Rs485LockBus } from './adapters/rs485/rs485-lock-bus.ts';
import { openTtyPort } from './adapters/rs485/tty-port.ts';
import { SimulatorLockBus } from './adapters/simulator-lock-bus.ts';
import { startLockerAgent } from './agent.ts';
import { type FleetFaults, startFleet } from './fleet.ts';
import type { LockBus } from './ports/lock-bus.ts';

const LOCKER_HELP = `antnest locker — run one locker agent (simulated cabinet unless --rs485)

  --id ID                 locker id, e.g. qsh-01-1 (required)
  --broker URL            MQTT broker (default mqtt://127.0.0.1:1883)
  --username NAME         MQTT username (default: the locker id)
  --password SECRET       MQTT password (or --password-file FILE)
  --provisioned FILE      the provisioning answer (JSON from POST /api/v1/lockers/provision):
                          its brokerUrl, mqttUsername and mqttPassword, unless given above
  --store FILE            SQLite store (default ./data/locker-ID.db)
  --screen-port PORT      serve the touchscreen page on 127.0.0.1:PORT
  --compartments N        compartments (default 24)
  --rs485 DEVICE          drive real lock boards on a serial device, e.g. /dev/ttyUSB0
  --channels-per-board N  channels per RS485 board; compartment c is on board ⌈c/N⌉ (default 24)
  --log-level LEVEL       fatal|error|warn|info|debug (default info)
`;

const FLEET_HELP = `antnest fleet — run many simulated lockers in one process

  --lockers N             how many (default 10)
  --broker URL            MQTT broker (default mqtt://127.0.0.1:1883)
  --seed N                fault-schedule seed (default: random, printed)
  --faults SPEC           e.g. drop=60,restart=600,jam=0.05 (mean seconds between link drops / crashes per locker; jam probability)
  --compartments N        compartments per locker (default 24)
  --id-prefix TEXT        locker ids are PREFIX-0001… (default sim)
  --password SECRET       MQTT password shared by the simulated lockers (usernames are the locker ids)
  --time-scale X          multiply simulated durations (default 1)
  --log-level LEVEL       (default warn)
`;

type Out = { out: (s: string) => void; err: (s: string) => void };
const stdio: Out = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

function parse(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  help: string,
  io: Out,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${help}`);
    return undefined;
  }
}

function positiveInt(v: string | boolean | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1)
    throw new Error(`--${name} expects a whole number ≥ 1, got "${String(v)}".`);
  return Number(v);
}

/** Resolve when SIGINT or SIGTERM arrives. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
      resolve(sig);
    };
    const int = on('SIGINT');
    const term = on('SIGTERM');
    process.once('SIGINT', int);
    process.once('SIGTERM', term);
  });
}

/** `antnest locker …`: run one agent until a signal. */
export async function runLockerCommand(
  argv: string[],
  io: Out = stdio,
  until: () => Promise<unknown> = untilSignal,
): Promise<number> {
  const v = parse(
    argv,
    {
      id: { type: 'string' },
      broker: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      'password-file': { type: 'string' },
      provisioned: { type: 'string' },
      store: { type: 'string' },
      'screen-port': { type: 'string' },
      compartments: { type: 'string' },
      rs485: { type: 'string' },
      'channels-per-board': { type: 'string' },
      'log-level': { type: 'string' },
    },
    LOCKER_HELP,
    io,
  );
  if (!v) return 2;
  if (v['help']) return (io.out(LOCKER_HELP), 0);
  const id = v['id'];
  if (typeof id !== 'string' || !isLockerId(id))
    return (
      io.err(
        `--id is required: lower-case letters, digits and dashes, 3–64 characters.\n\n${LOCKER_HELP}`,
      ),
      2
    );
  let compartments: number, perBoard: number, screenPort: number | undefined, password: string;
  let answer: ProvisioningAnswer = {};
  try {
    if (typeof v['provisioned'] === 'string') answer = readProvisioned(v['provisioned'], id);
    compartments = positiveInt(v['compartments'], 24, 'compartments');
    perBoard = positiveInt(v['channels-per-board'], 24, 'channels-per-board');
    const sp = v['screen-port'];
    if (sp !== undefined && (typeof sp !== 'string' || !/^\d+$/.test(sp) || Number(sp) > 65535))
      throw new Error('--screen-port expects a port number (0 picks a free one).');
    screenPort = sp === undefined ? undefined : Number(sp);
    password =
      typeof v['password-file'] === 'string'
        ? fs.readFileSync(v['password-file'], 'utf8').trim()
        : ((v['password'] as string | undefined) ?? answer.mqttPassword ?? '');
  } catch (e) {
    return (io.err(`${(e as Error).message}\n`), 2);
  }
  const log = pino({ level: (v['log-level'] as string | undefined) ?? 'info' });
  let bus: LockBus | undefined;
  let agent;
  try {
    if (typeof v['rs485'] === 'string') {
      const port = await openTtyPort(v['rs485']);
      const mapping = Array.from({ length: compartments }, (_, i) => ({
        compartment: i + 1,
        board: 1 + Math.floor(i / perBoard),
        channel: 1 + (i % perBoard),
      }));
      bus = new Rs485LockBus({ port, mapping });
    } else {
      bus = new SimulatorLockBus({ compartments });
    }
    agent = await startLockerAgent({
      lockerId: id,
      brokerUrl: (v['broker'] as string | undefined) ?? answer.brokerUrl ?? 'mqtt://127.0.0.1:1883',
      username: (v['username'] as string | undefined) ?? answer.mqttUsername ?? deviceUsername(id),
      password,
      storePath: (v['store'] as string | undefined) ?? path.join('data', `locker-${id}.db`),
      lockBus: bus,
      log,
      ...(screenPort !== undefined ? { screenPort } : {}),
    });
  } catch (e) {
    await bus?.close();
    return (io.err(`antnest locker: could not start: ${(e as Error).message}\n`), 1);
  }
  io.out(
    `locker ${id} running${agent.screenUrl ? `; touchscreen at ${agent.screenUrl}` : ''} (Ctrl-C stops)\n`,
  );
  await until();
  await agent.stop();
  await bus.close();
  return 0;
}

/** Parse `drop=60,restart=600,jam=0.05`. */
export function parseFaults(spec: string | undefined): FleetFaults {
  const faults: FleetFaults = {};
  if (!spec) return faults;
  for (const part of spec.split(',')) {
    const [k, raw] = part.split('=');
    const n = Number(raw);
    if (!raw || !Number.isFinite(n) || n < 0)
      throw new Error(`--faults: "${part}" is not key=number.`);
    if (k === 'drop') faults.dropLinkEvery = n;
    else if (k === 'restart') faults.restartEvery = n;
    else if (k === 'jam' && n <= 1) faults.jamProbability = n;
    else
      throw new Error(
        `--faults: unknown or out-of-range "${part}" (use drop=S, restart=S, jam=0..1).`,
      );
  }
  return faults;
}

/** `antnest fleet …`: run the simulated fleet until a signal. */
export async function runFleetCommand(
  argv: string[],
  io: Out = stdio,
  until: () => Promise<unknown> = untilSignal,
): Promise<number> {
  const v = parse(
    argv,
    {
      lockers: { type: 'string' },
      broker: { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      compartments: { type: 'string' },
      'id-prefix': { type: 'string' },
      password: { type: 'string' },
      'time-scale': { type: 'string' },
      'log-level': { type: 'string' },
    },
    FLEET_HELP,
    io,
  );
  if (!v) return 2;
  if (v['help']) return (io.out(FLEET_HELP), 0);
  let count: number, compartments: number, faults: FleetFaults, timeScale: number;
  try {
    count = positiveInt(v['lockers'], 10, 'lockers');
    compartments = positiveInt(v['compartments'], 24, 'compartments');
    faults = parseFaults(v['faults'] as string | undefined);
    timeScale = v['time-scale'] === undefined ? 1 : Number(v['time-scale']);
    if (!(timeScale > 0)) throw new Error('--time-scale expects a positive number.');
  } catch (e) {
    return (io.err(`${(e as Error).message}\n`), 2);
  }
  const prefix = (v['id-prefix'] as string | undefined) ?? 'sim';
  const ids = Array.from(
    { length: count },
    (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`,
  );
  if (!ids.every(isLockerId))
    return (io.err(`--id-prefix "${prefix}" does not make valid locker ids.\n`), 2);
  const seed = (v['seed'] as string | undefined) ?? String(cryptoRandom.int(2 ** 31));
  io.out(
    `fleet: ${count} lockers, seed ${seed} (rerun with --seed ${seed} for the same fault schedule)\n`,
  );
  const fleet = await startFleet({
    brokerUrl: (v['broker'] as string | undefined) ?? 'mqtt://127.0.0.1:1883',
    lockers: ids.map((lockerId) => ({
      lockerId,
      username: deviceUsername(lockerId),
      password: (v['password'] as string | undefined) ?? '',
      compartments,
    })),
    seed,
    faults,
    timeScale,
    log: pino({ level: (v['log-level'] as string | undefined) ?? 'warn' }),
  });
  const report = setInterval(() => io.out(`fleet: ${JSON.stringify(fleet.stats())}\n`), 10_000);
  report.unref();
  await until();
  clearInterval(report);
  await fleet.stop();
  return 0;
}

/** What the agent takes from a saved provisioning answer. */
type ProvisioningAnswer = { brokerUrl?: string; mqttUsername?: string; mqttPassword?: string };

/** Read a saved provisioning answer; refuses one for another locker or without credentials. */
function readProvisioned(file: string, lockerId: string): ProvisioningAnswer {
  let a: Record<string, unknown>;
  try {
    a = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`--provisioned ${file}: not a readable JSON file (${(e as Error).message}).`);
  }
  if (a['lockerId'] !== lockerId)
    throw new Error(
      `--provisioned ${file} is the answer for ${String(a['lockerId'])}, not ${lockerId}.`,
    );
  const text = (k: string) =>
    typeof a[k] === 'string' && a[k] !== '' ? (a[k] as string) : undefined;
  if (!text('mqttPassword'))
    throw new Error(
      `--provisioned ${file} has no mqttPassword: save the whole provisioning answer.`,
    );
  const brokerUrl = text('brokerUrl');
  if (brokerUrl && !/^mqtts?:\/\//.test(brokerUrl))
    throw new Error(`--provisioned ${file}: brokerUrl ${brokerUrl} is not mqtt:// or mqtts://.`);
  return {
    ...(brokerUrl ? { brokerUrl } : {}),
    ...(text('mqttUsername') ? { mqttUsername: text('mqttUsername') } : {}),
    mqttPassword: text('mqttPassword'),
  };
}
