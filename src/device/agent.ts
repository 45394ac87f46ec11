/**
 * The reference locker agent: `startLockerAgent` wires a lock bus, a store (SQLite by
 * default) and an MQTT link into a running agent and, optionally, the touchscreen page.
 * The handle survives `reboot` commands (each starts a new run on the same store) and
 * can `crash()` like kill -9 for recovery tests.
 */
import type { DeviceSettings } from '../contract/commands.ts';
import { type ContractVersion, LATEST_CONTRACT } from '../contract/common.ts';
import type { MessageRejectedNotice } from '../contract/notices.ts';
import { deviceClientId, lockerTopic } from '../contract/topics.ts';
import { codeSealKey, deviceSecretHash } from '../contract/code-seal.ts';
import { screenPlace, screenQrPayload } from './use-cases/screen-qr.ts';
import { type Clock, type Random, cryptoRandom, systemClock } from '../kernel/clock.ts';
import { SqliteStore } from './adapters/sqlite-store.ts';
import { MqttLink } from './adapters/mqtt-link.ts';
import { AgentRun } from './agent-run.ts';
import { type DeviceLog, silentLog } from './log.ts';
import type { Link } from './ports/link.ts';
import type { LockBus } from './ports/lock-bus.ts';
import type { AgentStore } from './ports/store.ts';
import { type ScreenServer, startScreenServer } from './screen/screen-server.ts';
import type { Rejection } from './use-cases/handle-command.ts';
import type {
  ScreenCourier,
  ScreenDepositInput,
  ScreenReply,
  ScreenRequestState,
} from '../contract/screen-wire.ts';
import { courierOf, enterCode, keypadOf, requestDeposit } from './use-cases/pickup-code.ts';
import type { DeriveCodeHash } from './context.ts';

/** The agent's software version, reported in `booted` and the state snapshot. */
export const AGENT_VERSION = '0.1.0';

/** Options of startLockerAgent. */
export interface LockerAgentOptions {
  lockerId: string;
  brokerUrl: string;
  username: string;
  password: string;
  /** SQLite file of the agent's durable memory. Required unless `store` is given. */
  storePath?: string;
  /** Another Store adapter (the fleet uses memory); the caller owns its lifetime. */
  store?: AgentStore;
  lockBus: LockBus;
  clock?: Clock;
  random?: Random;
  /** Serve the touchscreen page on this port (0 picks a free one). */
  screenPort?: number;
  screenHost?: string;
  /** Multiplies every device duration (door window, UV run, heartbeat); tests use 0.01. */
  timeScale?: number;
  /** Settings before the cloud configures any. */
  settings?: Partial<DeviceSettings>;
  log?: DeviceLog;
  reconnectPeriodMs?: number;
  keepaliveSeconds?: number;
  /** Sent messages kept for replay requests. Default 10,000 (the fleet keeps 500 per locker). */
  outboxKeepSent?: number;
  /** Wrap or replace the MQTT link (fault-injection tests). */
  wrapLink?: (link: Link) => Link;
  /** The contract to speak: v2 (default), or v1 as a locker deployed before v2 does. */
  contract?: ContractVersion;
  /** Benchmarks only: stands in for scrypt when deriving verifiers (see DeriveCodeHash). */
  deriveCodeHash?: DeriveCodeHash;
}

/** A running agent. */
export interface LockerAgentHandle {
  readonly lockerId: string;
  readonly lockBus: LockBus;
  /** Where the touchscreen page is served, when it is. */
  readonly screenUrl: string | undefined;
  /** Messages dropped as invalid (newest last, at most 100). */
  readonly rejections: readonly Rejection[];
  /** Our messages the cloud said it refused (contract v2 notices; newest last, at most 100). */
  readonly cloudRejections: readonly MessageRejectedNotice[];
  /** Connected to the broker right now. */
  online(): boolean;
  /** Resolve once connected (rejects after timeoutMs). */
  whenOnline(timeoutMs?: number): Promise<void>;
  /** Messages written to the outbox that the broker has not acknowledged yet. */
  pendingOutbox(): number;
  /** The seq of the newest fact this locker has written (the cloud has applied it when its last_seq matches). */
  lastSeq(): number;
  /** What the touchscreen does with a typed code. */
  enterCode(code: string): Promise<ScreenReply>;
  /** What the touchscreen does with a signed-in courier's deposit request. */
  requestDeposit(input: ScreenDepositInput): Promise<ScreenReply>;
  /** Who is signed in at the screen for deposits. */
  screenCourier(): ScreenCourier;
  /** The state of a screen request waiting for the cloud. */
  screenRequest(requestId: string): ScreenRequestState | undefined;
  /** Cut the network for a moment; the link reconnects by itself. */
  dropLink(): void;
  /** Graceful stop: finish in-flight work, publish offline, close the store. */
  stop(): Promise<void>;
  /** Simulate kill -9: drop everything, write nothing more, no goodbye. */
  crash(): void;
}

/** Start a locker agent. */
export async function startLockerAgent(opts: LockerAgentOptions): Promise<LockerAgentHandle> {
  if (!opts.store && !opts.storePath)
    throw new Error('startLockerAgent needs storePath (or a store).');
  const ownStore = opts.store ? undefined : new SqliteStore(opts.storePath!);
  const baseStore = opts.store ?? ownStore!;
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? cryptoRandom;
  const log = opts.log ?? silentLog;
  const rejections: Rejection[] = [];
  const cloudRejections: MessageRejectedNotice[] = [];
  let run: AgentRun;
  let fenceKill = () => {};
  let stopped = false;
  let screen: ScreenServer | undefined;

  const newRun = (): AgentRun => {
    const f = fence(baseStore);
    fenceKill = f.kill;
    return new AgentRun({
      lockerId: opts.lockerId,
      store: f.value,
      bus: opts.lockBus,
      clock,
      random,
      log,
      timeScale: opts.timeScale ?? 1,
      startSettings: opts.settings ?? {},
      agentVersion: AGENT_VERSION,
      sealKey: codeSealKey(deviceSecretHash(opts.password)),
      contract: opts.contract ?? LATEST_CONTRACT,
      ...(opts.deriveCodeHash ? { deriveCodeHash: opts.deriveCodeHash } : {}),
      ...(opts.outboxKeepSent !== undefined ? { outboxKeepSent: opts.outboxKeepSent } : {}),
      makeLink: (will) => {
        const link = new MqttLink({
          url: opts.brokerUrl,
          clientId: deviceClientId(opts.lockerId),
          username: opts.username,
          password: opts.password,
          subscribe: lockerTopic(opts.lockerId, 'cmd'),
          will,
          onRefused: (reason) =>
            log.warn(
              { lockerId: opts.lockerId, reason },
              'the broker refused the connection; retrying',
            ),
          onSubscribeLost: (reason) =>
            log.warn(
              { lockerId: opts.lockerId, reason },
              'the command subscription failed; reconnecting',
            ),
          ...(opts.reconnectPeriodMs !== undefined
            ? { reconnectPeriodMs: opts.reconnectPeriodMs }
            : {}),
          ...(opts.keepaliveSeconds !== undefined
            ? { keepaliveSeconds: opts.keepaliveSeconds }
            : {}),
        });
        return opts.wrapLink ? opts.wrapLink(link) : link;
      },
      onCloudRejected: (n) => {
        cloudRejections.push(n);
        if (cloudRejections.length > 100) cloudRejections.shift();
      },
      onRejected: (r) => {
        rejections.push(r);
        if (rejections.length > 100) rejections.shift();
      },
      onRebootRequested: (delayMs) => {
        run.ctx.timers.after(delayMs, () => void reboot());
      },
    });
  };

  const reboot = async (): Promise<void> => {
    if (stopped) return;
    log.info({ lockerId: opts.lockerId }, 'rebooting on command');
    await run.shutdown(true);
    fenceKill();
    if (stopped) return;
    run = newRun();
    await run.boot();
  };

  run = newRun();
  await run.boot();

  if (opts.screenPort !== undefined) {
    screen = await startScreenServer({
      port: opts.screenPort,
      host: opts.screenHost ?? '127.0.0.1',
      lockerId: opts.lockerId,
      enterCode: (code) => run.track(enterCode(run.ctx, code)),
      requestDeposit: (input) => run.track(requestDeposit(run.ctx, input)),
      courier: () => courierOf(run.ctx),
      signOut: () => run.ctx.screen.signOut(),
      request: (id) => run.ctx.screen.get(id),
      online: () => run.ctx.link.connected(),
      place: () => screenPlace(run.ctx),
      keypad: () => keypadOf(run.ctx),
      qr: () => {
        const text = screenQrPayload(run.ctx);
        return text ? { text } : null;
      },
    });
  }

  return {
    lockerId: opts.lockerId,
    lockBus: opts.lockBus,
    screenUrl: screen?.url,
    rejections,
    cloudRejections,
    online: () => run.ctx.link.connected(),
    whenOnline: (timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const poll = () => {
          if (run.ctx.link.connected()) resolve();
          else if (Date.now() > deadline)
            reject(new Error(`locker ${opts.lockerId} did not come online within ${timeoutMs} ms`));
          else setTimeout(poll, 5);
        };
        poll();
      }),
    pendingOutbox: () => run.ctx.outbox.pendingCount(),
    lastSeq: () => run.ctx.store.lastSeq(),
    enterCode: (code) => run.track(enterCode(run.ctx, code)),
    requestDeposit: (input) => run.track(requestDeposit(run.ctx, input)),
    screenCourier: () => courierOf(run.ctx),
    screenRequest: (id) => run.ctx.screen.get(id),
    dropLink: () => run.ctx.link.drop(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await screen?.close();
      await run.shutdown(false);
      fenceKill();
      ownStore?.close();
    },
    crash: () => {
      if (stopped) return;
      stopped = true;
      run.crash();
      fenceKill();
      void screen?.close();
      ownStore?.close();
    },
  };
}

/** A view of the store that refuses every call once killed, so a dead run cannot write. */
function fence<T extends object>(target: T): { value: T; kill(): void } {
  let dead = false;
  const value = new Proxy(target, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (dead) throw new Error('agent stopped: store access refused');
        return (v as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
  return { value, kill: () => (dead = true) };
}
