/**
 * Retiring a locker (a cabinet taken out of service, or a board that must never log in
 * again): its secret and any provisioning token stop holding in the same transaction,
 * deposits and allocation stop (they need an `active` locker), ingest refuses its
 * messages, its unanswered commands expire, and the live MQTT session is dropped by CredentialWatch once the change is
 * committed. The row, its compartments, events, commands, alerts and parcels stay as history.
 */
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import * as commands from './command.repository.ts';
import * as creds from './credentials.repository.ts';
import type { CredentialRelay } from './credentials.runtime.ts';
import { lockLocker } from './ingest.repository.ts';
import * as lockers from './locker.repository.ts';

export interface RetireInput {
  /** Why; kept in the audit trail. */
  reason: string;
  /** Retire even though compartments still hold or await parcels (they stay on record for staff to clear). */
  force?: boolean | undefined;
}

/** Retire a locker; refused while compartments hold parcels unless forced. */
export async function retireLocker(
  deps: AppDeps,
  relay: CredentialRelay,
  actorId: string,
  lockerId: string,
  input: RetireInput,
) {
  const locker = await deps.db.transaction().execute(async (trx) => {
    // The row lock (PostgreSQL) orders this after any ingest of the locker in flight.
    const l = await lockLocker(trx, lockerId);
    if (!l) throw notFound('That locker');
    if (l.status === 'retired') throw conflict('This locker is retired already.');
    const inUse = await lockers.compartmentsInUse(trx, lockerId);
    if (inUse > 0 && !input.force) {
      throw conflict(
        `${inUse} compartment(s) of this locker still hold or await parcels. Move them to the hall first, or retire anyway with "force": true (the parcels stay on record for staff to clear).`,
      );
    }
    const now = iso(deps.clock.now());
    if (!(await creds.retire(trx, lockerId, now)))
      throw conflict('This locker is retired already.');
    // Nobody will answer them; the dispatcher would otherwise publish them until they expire.
    const commandsExpired = await commands.expireLockerCommands(trx, lockerId);
    await recordAudit(trx, deps.clock, deps.random, {
      actorId,
      action: 'locker.retire',
      targetKind: 'locker',
      targetId: lockerId,
      communityId: l.community_id,
      detail: {
        reason: input.reason.trim(),
        compartmentsInUse: inUse,
        force: input.force === true,
        commandsExpired,
      },
    });
    return (await lockers.findLocker(trx, lockerId))!;
  });
  relay.changed(lockerId);
  return locker;
}
