/**
 * One run of the locker agent, from boot to shutdown or crash: wires the use cases to
 * the ports, recovers what the previous run left open, then connects. A reboot command
 * ends the run gracefully and the agent handle starts a new one on the same store.
 */
import type { DeviceSettings } from '../contract/commands.ts';
import type { ContractVersion } from '../contract/common.ts';
import type { MessageRejectedNotice } from '../contract/notices.ts';
import { lockerTopic } from '../contract/topics.ts';
import { type Clock, type Random, newId } from '../kernel/clock.ts';
import type { AgentContext, DeriveCodeHash } from './context.ts';
import { InflightOpens } from './inflight.ts';
import type { DeviceLog } from './log.ts';
import { Outbox } from './outbox.ts';
import type { Link } from './ports/link.ts';
import type { LockBus } from './ports/lock-bus.ts';
import type { AgentStore } from './ports/store.ts';
import { StatePublisher, buildStatus } from './presence.ts';
import { effectiveSettings } from './settings.ts';
import { Timers } from './timers.ts';
import { UvController } from './use-cases/disinfect.ts';
import { watchLockBus } from './use-cases/door-watch.ts';
import { type Rejection, receiveCommand } from './use-cases/handle-command.ts';
import { markCleanShutdown, recoverAfterStart } from './use-cases/recovery.ts';
import { ScreenRequests } from './use-cases/screen-requests.ts';
import { carriedCodesSettled } from './use-cases/sync-verifiers.ts';

/** Everything a run needs from outside. */
export interface RunDeps {
  lockerId: string;
  store: AgentStore;
  bus: LockBus;
  clock: Clock;
  random: Random;
  log: DeviceLog;
  timeScale: number;
  startSettings: Partial<DeviceSettings>;
  agentVersion: string;
  /** Key for codes sealed for this locker (ADR 0017). */
  sealKey: Buffer | null;
  /** The contract to speak and announce. */
  contract: ContractVersion;
  deriveCodeHash?: DeriveCodeHash;
  outboxKeepSent?: number;
  /** Make the link; the will factory must be used as its Last Will. */
  makeLink(will: () => { topic: string; payload: Buffer }): Link;
  onRejected(r: Rejection): void;
  /** The cloud said it refused one of our messages (contract v2). */
  onCloudRejected?(n: MessageRejectedNotice): void;
  onRebootRequested(delayMs: number): void;
}

/** A running agent instance. */
export class AgentRun {
  readonly ctx: AgentContext;
  private readonly state: StatePublisher;
  private readonly running = new Set<Promise<unknown>>();
  private connectionId = '';
  private unsubscribeBus = () => {};
  private cancelHeartbeat = () => {};
  private ended = false;
  private helloSent = false;

  constructor(private readonly d: RunDeps) {
    const timers = new Timers(d.timeScale);
    const statusTopic = lockerTopic(d.lockerId, 'status');
    const link = d.makeLink(() => {
      this.connectionId = newId(d.clock, d.random);
      return {
        topic: statusTopic,
        payload: Buffer.from(
          JSON.stringify(buildStatus(d, 'offline', 'connection_lost', this.connectionId)),
        ),
      };
    });
    const outbox = new Outbox({
      lockerId: d.lockerId,
      store: d.store,
      link,
      clock: d.clock,
      random: d.random,
      log: d.log,
      ...(d.outboxKeepSent !== undefined ? { keepSent: d.outboxKeepSent } : {}),
    });
    const ctx: AgentContext = {
      lockerId: d.lockerId,
      store: d.store,
      bus: d.bus,
      link,
      clock: d.clock,
      random: d.random,
      log: d.log,
      timers,
      outbox,
      inflight: new InflightOpens(),
      uv: new UvController(() => ctx),
      screen: new ScreenRequests(d.clock),
      sealKey: d.sealKey,
      contract: d.contract,
      ...(d.deriveCodeHash ? { deriveCodeHash: d.deriveCodeHash } : {}),
      settings: () => effectiveSettings(d.store, d.startSettings),
      stateChanged: (told) => this.state.changed(told),
      requestReboot: (ms) => d.onRebootRequested(ms),
      stats: { rejectedMessages: 0, startedAt: d.clock.now() },
    };
    this.ctx = ctx;
    this.state = new StatePublisher(() => ctx, d.agentVersion);
  }

  /** Recover, then listen to the hardware and the cloud. */
  async boot(): Promise<void> {
    const { ctx, d } = this;
    const { unknownOutcomes, crashed } = await recoverAfterStart(ctx, d.agentVersion);
    d.log.info(
      { lockerId: d.lockerId, unknownOutcomes, crashed, lastSeq: ctx.store.lastSeq() },
      'locker agent booted',
    );
    this.unsubscribeBus = watchLockBus(ctx);
    ctx.link.start({
      onMessage: (topic, payload) => {
        try {
          const rejected = receiveCommand(
            ctx,
            {
              settingsChanged: (s) => this.scheduleHeartbeat(s),
              track: (p) => void this.track(p),
              cloudRejected: (n) => {
                ctx.log.warn(
                  { topic: n.rejectedTopic, messageId: n.rejectedMessageId, reason: n.reason },
                  'the cloud refused a message',
                );
                d.onCloudRejected?.(n);
              },
            },
            topic,
            payload,
          );
          if (rejected) d.onRejected(rejected);
        } catch (e) {
          // Could not record it (store failure): drop the connection before mqtt.js acknowledges,
          // so the broker keeps the command and redelivers it after the reconnect.
          d.log.error(
            { topic, err: (e as Error).message },
            'command not recorded; dropping the link so it is redelivered',
          );
          ctx.link.drop();
        }
      },
      onUp: () => this.onUp(),
      onDown: () => {
        ctx.outbox.onDown();
        d.log.warn({ lockerId: d.lockerId }, 'link down');
      },
    });
    this.scheduleHeartbeat(ctx.settings());
  }

  /** Track a promise (command, screen request) so a graceful stop can wait for it. */
  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    void p.finally(() => this.running.delete(p)).catch(() => {});
    return p;
  }

  /** Graceful end: finish what is in flight, switch lamps off, say goodbye. */
  async shutdown(reboot: boolean): Promise<void> {
    if (this.ended) return;
    const { ctx } = this;
    const patience = (ctx.settings().openDetectSeconds + 2) * 1000 * this.d.timeScale;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((r) => setTimeout(r, patience).unref()),
    ]);
    await ctx.outbox.drained(2000);
    this.ended = true;
    this.cancelHeartbeat();
    this.unsubscribeBus();
    for (const c of ctx.bus.compartments)
      if (ctx.uv.running(c)) await ctx.bus.setUv(c, false).catch(() => {});
    ctx.uv.forget();
    markCleanShutdown(ctx, reboot);
    const farewell = buildStatus(ctx, 'offline', reboot ? 'reboot' : 'shutdown', this.connectionId);
    this.state.stop();
    ctx.outbox.stop();
    ctx.timers.clearAll();
    await ctx.link.stop({
      topic: lockerTopic(ctx.lockerId, 'status'),
      payload: Buffer.from(JSON.stringify(farewell)),
    });
  }

  /** kill -9: stop everything at once, write nothing, say nothing (the broker sends the Will). */
  crash(): void {
    if (this.ended) return;
    this.ended = true;
    const { ctx } = this;
    ctx.timers.clearAll();
    ctx.outbox.stop();
    this.state.stop();
    ctx.uv.forget();
    this.unsubscribeBus();
    ctx.link.kill();
  }

  private onUp(): void {
    const { ctx } = this;
    ctx.log.info({ lockerId: ctx.lockerId, pending: ctx.outbox.pendingCount() }, 'link up');
    const online = buildStatus(ctx, 'online', 'connected', this.connectionId);
    // The outbox, status, then snapshot: written in that order on the one connection, but not
    // awaited — a lost PUBACK on the status must not hold back every fact until the next
    // reconnect. Facts first: the snapshot's lastSeq counts them, and a snapshot ahead of the
    // facts on the wire makes the cloud ask for a replay of facts already on their way.
    ctx.outbox.onUp();
    void ctx.link
      .publish(lockerTopic(ctx.lockerId, 'status'), JSON.stringify(online), { retain: true })
      .catch(() => {});
    void this.state.publishNow();
    // v2's hello: on the first connect of a run, a heartbeat at once says which contract this
    // locker speaks and how far its offline codes and facts are. Once per run is enough: the
    // cloud keeps what it was told, every periodic heartbeat repeats it, and a reconnect
    // brings a full sync anyway (a flapping link must not cost a message per connect).
    if (ctx.contract !== 'v1' && !this.helloSent) {
      this.helloSent = true;
      this.heartbeat(ctx.settings());
    }
  }

  private heartbeat(settings: DeviceSettings): void {
    const { ctx } = this;
    // The revision once the codes already handed over are in (see carriedCodesSettled).
    void this.track(
      carriedCodesSettled(ctx).then(() => {
        if (!this.ended) this.sendHeartbeat(settings);
      }),
    );
  }

  private sendHeartbeat(settings: DeviceSettings): void {
    const { ctx } = this;
    ctx.outbox.flush(); // the facts its lastSeq counts go first
    void ctx.outbox.signal(
      {
        type: 'heartbeat',
        uptimeSeconds: Math.max(0, Math.floor((ctx.clock.now() - ctx.stats.startedAt) / 1000)),
        lastSeq: ctx.store.lastSeq(),
        pendingOutbox: ctx.outbox.pendingCount(),
        syncRevision: ctx.store.getMeta<{ revision: number }>('sync')?.revision ?? 0,
        stateRevision: ctx.store.getMeta<number>('stateRevision') ?? 0,
        rejectedMessages: ctx.stats.rejectedMessages,
        ...(ctx.contract !== 'v1' ? { contract: ctx.contract } : {}),
      },
      settings.heartbeatSeconds * 3,
    );
  }

  /**
   * Periodic heartbeats. The first comes after a random part of the period, so lockers that
   * came up together (the end of a power cut, a fleet started at once) do not beat in step
   * and load the cloud in bursts; from then on one every period.
   */
  private scheduleHeartbeat(settings: DeviceSettings): void {
    this.cancelHeartbeat();
    const { ctx } = this;
    const period = settings.heartbeatSeconds * 1000;
    let cancelEvery = () => {};
    const cancelFirst = ctx.timers.after(ctx.random.int(Math.max(1, period)), () => {
      this.heartbeat(settings);
      cancelEvery = ctx.timers.every(period, () => this.heartbeat(settings));
    });
    this.cancelHeartbeat = () => {
      cancelFirst();
      cancelEvery();
    };
  }
}
