/**
 * The rollups' side of the lockers' extension points: device health counted in the ingest
 * transaction of the fact (or presence change) that tells it. `withAnalytics` wraps the
 * hooks parcels provide, so lockers still see one LockerHooks.
 */
import type { LockerFact } from '../../contract/index.ts';
import type { Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { LockerHooks, LockerRow } from '../lockers/index.ts';
import { insertOfflineSpan } from './rollup.repository.ts';
import { type DeviceFact, deviceIncrements, offlineIncrements } from './rollup-rules.ts';
import { applyIncrements } from './rollup.service.ts';

/** Count a stored device fact. */
export async function rollUpDeviceFact(
  trx: Executor,
  locker: Pick<LockerRow, 'id' | 'community_id'>,
  fact: LockerFact | DeviceFact,
): Promise<void> {
  await applyIncrements(
    trx,
    deviceIncrements({ id: locker.id, communityId: locker.community_id }, fact as DeviceFact),
  );
}

/** A locker came back: record the outage it had (from the row as it was before) and count it. */
export async function rollUpOnline(
  trx: Executor,
  deps: Pick<AppDeps, 'clock' | 'random'>,
  before: Pick<LockerRow, 'id' | 'community_id' | 'presence' | 'presence_changed_at'>,
): Promise<void> {
  if (before.presence !== 'offline' || !before.presence_changed_at) return;
  const span = {
    id: newId(deps.clock, deps.random),
    locker_id: before.id,
    community_id: before.community_id,
    from_at: before.presence_changed_at,
    to_at: iso(deps.clock.now()),
  };
  if (span.to_at <= span.from_at) return;
  await insertOfflineSpan(trx, span);
  await applyIncrements(
    trx,
    offlineIncrements({
      lockerId: span.locker_id,
      communityId: span.community_id,
      fromAt: span.from_at,
      toAt: span.to_at,
    }),
  );
}

/** `inner` plus the rollups: analytics counts first, then the inner hook runs, in the same transaction. */
export function withAnalytics(
  deps: Pick<AppDeps, 'clock' | 'random'>,
  inner: LockerHooks,
): LockerHooks {
  return {
    ...inner,
    onFact: async (trx, locker, fact, compartment) => {
      await rollUpDeviceFact(trx, locker, fact);
      await inner.onFact?.(trx, locker, fact, compartment);
    },
    onOnline: async (trx, locker) => {
      await rollUpOnline(trx, deps, locker);
      await inner.onOnline?.(trx, locker);
    },
  };
}
