/**
 * Parcels' background work on a node: keep each locker's offline verifiers in sync,
 * send queued SMS, and cancel reservations nobody used. The verifier's scrypt runs
 * outside any transaction (it is deliberately slow).
 */
import type { FastifyBaseLogger } from 'fastify';
import {
  codeSealKey,
  DEFAULT_KDF,
  makeCodeVerifier,
  sealCodeForLocker,
} from '../../contract/index.ts';
import { enqueueCommand, stableCommandId, findLocker } from '../lockers/index.ts';
import { iso } from '../../platform/clock.ts';
import type { Phone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { JobScheduler } from '../../platform/jobs/scheduler.ts';
import { redactDigits } from '../../platform/notify/sms.ts';
import { cancelReservation } from './parcel.hooks.ts';
import * as parcels from './parcel.repository.ts';
import { backfillPhoneTails } from './phone-tail.ts';
import { screenKeyFor } from './pickup.service.ts';
import { openCode } from './pickup-code.ts';
import { sweepTakeout } from './takeout.service.ts';

/**
 * Send the locker the complete set of its stored parcels' codes: sealed for the locker
 * when the cloud knows its secret hash (the locker derives the verifiers, ADR 0017), or
 * as verifiers computed here (cached per parcel) for a locker without one.
 */
export async function syncLocker(deps: AppDeps, lockerId: string): Promise<void> {
  const locker = await findLocker(deps.db, lockerId);
  if (!locker) return;
  const stored = await parcels.storedAtLocker(deps.db, lockerId);
  const sealKey = locker.secret_hash ? codeSealKey(locker.secret_hash) : null;
  const verifiers = [];
  for (const p of stored) {
    if (!p.code_cipher) continue;
    const expiresAt = p.code_expires_at ?? iso(deps.clock.now() + 86_400_000);
    if (sealKey) {
      verifiers.push({
        parcelId: p.id,
        compartment: p.compartment,
        sealed: sealCodeForLocker(
          sealKey,
          p.id,
          openCode(deps.config.secrets.phoneKey, p.code_cipher),
        ),
        expiresAt,
      });
      continue;
    }
    let v = p.code_verifier
      ? (JSON.parse(p.code_verifier) as { salt: string; hash: string })
      : null;
    if (!v) {
      v = await makeCodeVerifier(
        openCode(deps.config.secrets.phoneKey, p.code_cipher),
        deps.random.bytes,
        DEFAULT_KDF,
      );
      await parcels.updateParcel(deps.db, p.id, { code_verifier: JSON.stringify(v) });
    }
    verifiers.push({
      parcelId: p.id,
      compartment: p.compartment,
      salt: v.salt,
      hash: v.hash,
      expiresAt,
    });
  }
  const revision = deps.clock.now();
  const place = await screenPlaceOf(deps, lockerId);
  await enqueueCommand(deps.db, deps, {
    lockerId,
    communityId: locker.community_id,
    body: {
      type: 'sync',
      revision,
      kdf: DEFAULT_KDF,
      verifiers,
      screenKey: screenKeyFor(deps.config, lockerId),
      ...(place ? { place } : {}),
    },
    commandId: stableCommandId('sync', lockerId, String(revision)),
  });
  deps.outbox.kick();
}

/** Send due SMS once each; the body (with the code) is blanked after sending. */
export async function sendDueNotifications(
  deps: AppDeps,
  log: FastifyBaseLogger,
  batch = 100,
): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.db
    .transaction()
    .execute((trx) => parcels.claimDueNotifications(trx, iso(now), iso(now + 30_000), batch));
  let sent = 0;
  for (const n of due) {
    if (!n.phone_cipher) continue;
    try {
      await deps.sms.send(deps.vault.decrypt(n.phone_cipher) as Phone, n.body);
      await parcels.markNotificationSent(
        deps.db,
        n.id,
        iso(deps.clock.now()),
        redactDigits(n.body),
      );
      sent++;
    } catch (err) {
      log.warn({ err, notificationId: n.id }, 'sms failed; will retry');
    }
  }
  return sent;
}

/** Cancel reservations whose time ran out. */
export async function sweepReservations(deps: AppDeps): Promise<number> {
  const due = await parcels.expiredReservations(deps.db, iso(deps.clock.now()));
  for (const p of due)
    await deps.db
      .transaction()
      .execute((trx) => cancelReservation(trx, deps, p, 'reservation_expired'));
  return due.length;
}

/** What the locker's screen header says: compound, building/unit and cabinet (never the machine id). */
async function screenPlaceOf(deps: AppDeps, lockerId: string): Promise<string | null> {
  const p = await parcels.lockerPlace(deps.db, lockerId).catch(() => undefined);
  if (!p) return null;
  // Cabinets are often named after their door ("1栋1单元门口智能柜"): say the door once.
  const cabinet = p.locker.startsWith(p.site) ? p.locker.slice(p.site.length).trim() : p.locker;
  return `${p.compound} ${p.site}${cabinet ? ` · ${cabinet}` : ''}`.slice(0, 80);
}

/** Runs the three loops; `changed` is what the parcel hooks call. */
export class ParcelRuntime {
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private busy = Promise.resolve();

  constructor(
    private readonly deps: AppDeps,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** A locker's stored parcels changed: sync it shortly (changes within 200 ms share one sync). */
  readonly changed = (lockerId: string): void => {
    this.dirty.add(lockerId);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const ids = [...this.dirty];
      this.dirty.clear();
      this.run(async () => {
        for (const id of ids) await syncLocker(this.deps, id);
      });
      this.run(() => sendDueNotifications(this.deps, this.log));
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
    } else {
      every(10_000, () => sweepReservations(this.deps));
      every(60_000, () => sweepTakeout(this.deps));
    }
  }

  async stop(): Promise<void> {
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
