/**
 * UV disinfection policy and records (ADR 0019). The lockers run the after-use cycle
 * themselves (device setting uvAfterClose, on by default), so a locker that is offline
 * still disinfects; the cloud's part is to tell the lockers of a community that changed
 * the policy (a `config` command through the outbox, again on every reconnect) and to
 * read back the cycles they report.
 */
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso } from '../../platform/clock.ts';
import type { Executor } from '../../db/database.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { enqueueCommand, stableCommandId } from './command.service.ts';
import * as lockers from './locker.repository.ts';
import * as uv from './uv.repository.ts';
import type { UvAfterUse } from './uv.table.ts';

/** What a community gets without a policy row; the same values are the device's defaults. */
export const DEFAULT_UV_POLICY = Object.freeze({
  afterUse: 'every_use' as UvAfterUse,
  cycleSeconds: 300,
});

/** A community's policy as the API shows it. */
export interface UvPolicy {
  afterUse: UvAfterUse;
  cycleSeconds: number;
  updatedAt: string | null;
}

/** The policy in force for a community (the defaults when none was set). */
export async function getUvPolicy(db: Executor, communityId: string): Promise<UvPolicy> {
  const row = await uv.findPolicy(db, communityId);
  return row
    ? { afterUse: row.after_use, cycleSeconds: row.cycle_seconds, updatedAt: row.updated_at }
    : { ...DEFAULT_UV_POLICY, updatedAt: null };
}

/** The device settings that carry a policy. */
function settingsOf(p: { afterUse: UvAfterUse; cycleSeconds: number }) {
  return { uvAfterClose: p.afterUse === 'every_use', uvDefaultSeconds: p.cycleSeconds };
}

/**
 * Change a community's policy: saved, audited, and a `config` queued for each of its
 * lockers in the same transaction (one per locker and policy version).
 */
export async function setUvPolicy(
  deps: AppDeps,
  actorId: string,
  communityId: string,
  input: { afterUse: UvAfterUse; cycleSeconds: number },
): Promise<UvPolicy> {
  const policy = await deps.db.transaction().execute(async (trx) => {
    const now = iso(deps.clock.now());
    await uv.savePolicy(trx, {
      community_id: communityId,
      after_use: input.afterUse,
      cycle_seconds: input.cycleSeconds,
      updated_at: now,
      updated_by: actorId,
    });
    const ids = await uv.activeLockerIds(trx, communityId);
    for (const lockerId of ids) {
      await enqueueCommand(trx, deps, {
        lockerId,
        communityId,
        body: { type: 'config', settings: settingsOf(input) },
        commandId: stableCommandId('uv-policy', lockerId, now),
        requestedBy: actorId,
        reason: 'UV policy changed',
      });
    }
    await recordAudit(trx, deps.clock, deps.random, {
      actorId,
      action: 'locker.uv_policy',
      targetKind: 'community',
      targetId: communityId,
      communityId,
      detail: { ...input, lockers: ids.length },
    });
    return { ...input, updatedAt: now };
  });
  deps.outbox.kick();
  return policy;
}

/**
 * A locker came online on a new connection: when its community set a policy, send it
 * again (the locker may have been offline past the config's expiry, or replaced). A
 * community on the defaults sends nothing: the locker already runs them.
 */
export async function pushUvPolicy(
  db: Executor,
  ctx: Pick<AppDeps, 'clock' | 'random'>,
  locker: lockers.LockerRow,
  connectionId: string,
): Promise<void> {
  const row = await uv.findPolicy(db, locker.community_id);
  if (!row) return;
  const body = {
    type: 'config' as const,
    settings: settingsOf({ afterUse: row.after_use, cycleSeconds: row.cycle_seconds }),
  };
  await enqueueCommand(db, ctx, {
    lockerId: locker.id,
    communityId: locker.community_id,
    body,
    commandId: stableCommandId('uv-policy', locker.id, row.updated_at, connectionId),
    reason: 'UV policy on reconnect',
  });
}

/** A compartment's recent cycles, newest first (staff). */
export async function compartmentCycles(
  deps: AppDeps,
  lockerId: string,
  compartment: number,
  limit: number,
) {
  if (!(await lockers.findCompartment(deps.db, lockerId, compartment)))
    throw notFound(`Compartment ${compartment} of that locker`);
  return uv.recentCycles(deps.db, lockerId, compartment, limit);
}

/** Each compartment's last cycle, by compartment number (for the locker view). */
export async function lastCycles(
  db: Executor,
  lockerId: string,
  compartments: readonly lockers.CompartmentRow[],
): Promise<Map<number, uv.UvCycleRow>> {
  const seqs = compartments.map((c) => c.last_uv_seq).filter((s): s is number => s !== null);
  const rows = await uv.cyclesBySeq(db, lockerId, seqs.map(Number));
  return new Map(rows.map((r) => [r.compartment, r]));
}

/**
 * When a parcel's compartment was last disinfected for it (the cycle's end, device
 * clock), or null. Waiting: the last completed cycle since it was stored (the lamp runs
 * over the parcel after the courier shuts the door). Picked up: the cycle its pickup
 * triggered, else the last one while it waited.
 */
export async function disinfectedFor(
  db: Executor,
  p: {
    locker_id: string;
    compartment: number;
    stored_at: string | null;
    picked_up_at: string | null;
  },
): Promise<string | null> {
  if (!p.stored_at) return null;
  const after = p.picked_up_at
    ? await uv.completedCycleBetween(db, p.locker_id, p.compartment, p.picked_up_at, null, true)
    : undefined;
  const cycle =
    after ??
    (await uv.completedCycleBetween(
      db,
      p.locker_id,
      p.compartment,
      p.stored_at,
      p.picked_up_at,
      false,
    ));
  return cycle?.ended_at ?? null;
}
