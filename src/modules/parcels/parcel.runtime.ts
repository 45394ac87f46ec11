/**
 * Parcels' background work on a node: keep each locker's offline verifiers in sync
 * (locker-sync.service.ts), send queued SMS (sms-outbox.service.ts), and sweep
 * reservations nobody used, takeout left too long and paid sending orders never dropped.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../../platform/deps.ts';
import type { JobScheduler } from '../../platform/jobs/scheduler.ts';
import { backfillPhoneTails } from './core/phone-tail.service.ts';
import { sweepTakeout } from './takeout/takeout.service.ts';
import { syncLocker } from './locker/locker-sync.service.ts';
import { sweepReservations } from './deposit/reservation.service.ts';
import {
  releaseDeadLeases,
  sendDueNotifications,
  sendNotice,
  sendNoticesDirectly,
  takeQueuedHint,
} from './notices/sms-outbox.service.ts';
import { sweepUndroppedOrders } from './sending/sending-refund.service.ts';

/** Runs the three loops; `changed` is what the parcel hooks call. */
export class ParcelRuntime {
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private busy = Promise.resolve();
  private readonly stopDirect: () => void;
  private readonly startedAt: number;

  constructor(
    private readonly deps: AppDeps,
    private readonly log: FastifyBaseLogger,
    /** soleNode: no other node shares the database (SQLite), so leases older than this start are a dead process's. */
    private readonly opts: { soleNode?: boolean } = {},
  ) {
    this.startedAt = deps.clock.now();
    // Notices this node's transactions queue come straight here after their commit (leased to it).
    this.stopDirect = sendNoticesDirectly(deps, (n) =>
      this.run(() => sendNotice(this.deps, this.log, n)),
    );
  }

  /**
   * A locker's stored parcels changed: sync it shortly (changes within 200 ms share one sync)
   * unless `sync` is false, and send the notices that became due (those queued for the poller:
   * this node's own were handed to it with their commit).
   */
  readonly changed = (lockerId: string, sync = true): void => {
    if (sync) this.dirty.add(lockerId);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const ids = [...this.dirty];
      this.dirty.clear();
      this.run(async () => {
        for (const id of ids) await syncLocker(this.deps, id);
      });
      if (takeQueuedHint(this.deps)) this.run(() => sendDueNotifications(this.deps, this.log));
    }, 200);
  };

  /**
   * Start the loops. The SMS outbox polls on every node (rows are claimed one by one);
   * the sweeps run once per period across the cluster when given the node's job scheduler.
   */
  start(jobs?: JobScheduler): void {
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => this.run(fn), ms);
      t.unref();
      this.timers.push(t);
    };
    // SMS a crashed predecessor claimed go now, not when their lease ends (SQLite: one node).
    if (this.opts.soleNode)
      this.run(async () => {
        const n = await releaseDeadLeases(this.deps, this.startedAt);
        if (n) {
          this.log.info({ notices: n }, 'notices claimed by the previous process are due again');
          await sendDueNotifications(this.deps, this.log);
        }
      });
    every(1000, () => sendDueNotifications(this.deps, this.log));
    // Once per start: parcels stored before the 手机尾号 column get their tail (a no-op afterwards).
    this.run(() => backfillPhoneTails(this.deps));
    if (jobs) {
      jobs.add({
        name: 'parcels.reservations',
        everyMs: 10_000,
        run: () => sweepReservations(this.deps),
      });
      jobs.add({ name: 'parcels.takeout', everyMs: 60_000, run: () => sweepTakeout(this.deps) });
      jobs.add({
        name: 'parcels.sending-refunds',
        everyMs: 60_000,
        run: () => sweepUndroppedOrders(this.deps),
      });
    } else {
      every(10_000, () => sweepReservations(this.deps));
      every(60_000, () => sweepTakeout(this.deps));
      every(60_000, () => sweepUndroppedOrders(this.deps));
    }
  }

  async stop(): Promise<void> {
    this.stopDirect();
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.flushTimer);
    await this.busy;
  }

  /** Settles when queued background work is done (tests). */
  idle(): Promise<void> {
    return this.busy;
  }

  private run(fn: () => Promise<unknown>): void {
    this.busy = this.busy.then(fn).then(
      () => undefined,
      (err) => this.log.error({ err }, 'parcel background work failed'),
    );
  }
}
