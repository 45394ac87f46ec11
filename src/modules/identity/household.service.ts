/**
 * Binding a home (issue 12). A person becomes a resident of a unit in one of two ways:
 *  - an invitation: a resident of that unit makes a single-use code (valid 72 h) in 我的
 *    and passes it on; the family member enters it and is bound at once;
 *  - a request: the person names the unit and their relation; a community worker whose
 *    places cover the unit approves or rejects it.
 * Both end in the same `resident` grant on the unit, audited in the same transaction.
 */
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { Executor } from '../../db/database.ts';
import { searchUnits, type UnitLabel } from '../places/index.ts';
import { labelsOf, presentRequest, type RequestView } from './household.presenter.ts';
import * as repo from './household.repository.ts';
import * as users from './user.repository.ts';

/** Bind a user to a unit (the resident grant) and audit it, in the caller's transaction; a no-op when already bound. */
export async function bind(
  deps: AppDeps,
  trx: Executor,
  userId: string,
  unitId: string,
  communityId: string,
  by: string,
  how: string,
): Promise<void> {
  if (await users.findGrantByScope(trx, userId, 'resident', 'unit', unitId)) return;
  const now = iso(deps.clock.now());
  const id = newId(deps.clock, deps.random);
  await users.insertGrant(trx, {
    id,
    user_id: userId,
    role: 'resident',
    scope_kind: 'unit',
    scope_id: unitId,
    community_id: communityId,
    created_at: now,
    created_by: by,
  });
  await recordAudit(trx, deps.clock, deps.random, {
    actorId: by,
    action: 'household.bind',
    targetKind: 'user',
    targetId: userId,
    communityId,
    detail: { grantId: id, unitId, how },
  });
}

/** My homes (units I am a resident of) and my binding requests. */
export async function myHomes(
  deps: AppDeps,
  userId: string,
): Promise<{ homes: UnitLabel[]; requests: RequestView[] }> {
  const grants = (await users.grantsOfUser(deps.db, userId)).filter(
    (g) => g.role === 'resident' && g.scope_kind === 'unit',
  );
  const requests = await repo.requestsOfUser(deps.db, userId);
  const labels = await labelsOf(deps.db, [
    ...grants.map((g) => g.scope_id),
    ...requests.map((r) => r.unit_id),
  ]);
  return {
    homes: grants.map((g) => labels.get(g.scope_id)).filter((l): l is UnitLabel => !!l),
    requests: requests.map((r) => presentRequest(r, labels)),
  };
}

/** Units matching what a person types ("清淳家园 1栋1单元"), for the request form. */
export async function findUnits(deps: AppDeps, q: string): Promise<UnitLabel[]> {
  return searchUnits(deps.db, q, 20);
}
