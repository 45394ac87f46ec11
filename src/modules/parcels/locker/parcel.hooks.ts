/**
 * The lockers module's extension points, implemented by parcels: the locker events go to
 * fact.hooks.ts and answer.hooks.ts; a code typed on the screen is decided here; a
 * courier's deposit request from the screen goes to screen-deposit.service.ts. Every hook
 * runs inside the ingest transaction of the device message.
 */
import type { LockerHooks, ScreenDecision } from '../../lockers/index.ts';
import { depositFromScreen } from '../deposit/screen-deposit.service.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { LIMITS, limit } from '../../../platform/limits.ts';
import { hitLimits, type Limit, limitReached } from '../../../platform/rate-limit.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import * as parcels from '../core/parcel.repository.ts';
import { codeHash, codeKey } from '../core/pickup-code.ts';
import { pickupRefusal } from '../pickup/pickup.policy.ts';
import { onResponse } from './answer.hooks.ts';
import { onFact } from './fact.hooks.ts';
import type { LockerChanged } from './locker-sync.service.ts';

/** Wrong codes allowed per locker per 10 minutes before the screen refuses codes (docs/security.md has the math). */
export const WRONG_CODES_PER_LOCKER = LIMITS.pickupWrongCodesPerLocker.max;

/** The lockers module's hooks, implemented by parcels. */
export function parcelHooks(deps: AppDeps, changed: LockerChanged): LockerHooks {
  const wrongLimit = (lockerId: string): Limit => limit('pickupWrongCodesPerLocker', lockerId);
  return {
    async onFact(db, locker, fact, compartment) {
      await onFact(db, deps, locker, fact, changed, compartment);
    },
    async onResponse(db, locker, cmd, response) {
      await onResponse(db, deps, locker, cmd, response, changed);
    },
    async onOnline(_db, locker) {
      // A locker back online (or new) gets the full set of codes and its screen key again.
      changed(locker.id);
    },
    onCodesBehind(lockerId) {
      // A v2 locker's heartbeat says its offline codes are not our latest set.
      changed(lockerId);
    },
    async onCodeEntered(db, locker, code): Promise<ScreenDecision> {
      const limit = wrongLimit(locker.id);
      if (await limitReached(db, deps.clock, limit)) return { refuse: 'throttled' };
      const found = await parcels.storedByCodeWithMates(
        db,
        locker.id,
        codeHash(codeKey(deps), locker.id, code),
      );
      const p = found?.parcel;
      if (!p || (p.code_expires_at !== null && p.code_expires_at <= iso(deps.clock.now()))) {
        await hitLimits(db, deps.clock, [limit]).catch(() => {});
        return { refuse: 'wrong_code' };
      }
      const refused = await pickupRefusal(db, deps.clock, p, found.mates);
      if (refused) return { refuse: refused.reason };
      await recordParcelEvent(db, deps, p, {
        type: 'pickup_requested',
        actorId: null,
        source: 'device',
        detail: { via: 'keypad', lockerId: locker.id },
      });
      return { open: p.compartment, reason: 'pickup', parcelId: p.id };
    },
    onDepositRequested: (locker, request, openCommandId) =>
      depositFromScreen(deps, locker, request, openCommandId),
  };
}
