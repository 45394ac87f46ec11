/**
 * Household binding requests (issue 12): a person names the unit and their relation; a
 * community worker whose places cover the unit approves (binds them) or rejects it.
 */
import type { Grant } from '../../platform/auth/access.ts';
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import { maskPhone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import { communitiesCovered, placePath } from '../places/index.ts';
import { labelsOf, presentRequest, type RequestView } from './household.presenter.ts';
import * as repo from './household.repository.ts';
import { bind } from './household.service.ts';
import * as users from './user.repository.ts';

/** Ask the community to bind me to a unit. */
export async function requestBinding(
  deps: AppDeps,
  userId: string,
  input: { unitId: string; relation: string; note?: string },
): Promise<RequestView> {
  const path = await placePath(deps.db, 'unit', input.unitId);
  if (!path?.community) throw notFound('That unit');
  if (await users.findGrantByScope(deps.db, userId, 'resident', 'unit', input.unitId))
    throw conflict('You are already bound to this home.');
  if (await repo.pendingRequestFor(deps.db, userId, input.unitId))
    throw conflict('You already asked to bind this home; the community office will answer it.');
  await hitLimits(deps.db, deps.clock, [limit('householdRequestsPerUser', userId)]);
  const row: repo.RequestRow = {
    id: newId(deps.clock, deps.random),
    user_id: userId,
    unit_id: input.unitId,
    community_id: path.community,
    relation: input.relation,
    note: input.note ?? null,
    status: 'pending',
    created_at: iso(deps.clock.now()),
    decided_at: null,
    decided_by: null,
    reason: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRequest(trx, row);
    await recordAudit(trx, deps.clock, deps.random, {
      actorId: userId,
      action: 'household.request',
      targetKind: 'unit',
      targetId: input.unitId,
      communityId: path.community!,
      detail: { requestId: row.id },
    });
  });
  return presentRequest(row, await labelsOf(deps.db, [row.unit_id]));
}

/** Withdraw my own pending request. */
export async function cancelRequest(
  deps: AppDeps,
  userId: string,
  requestId: string,
): Promise<void> {
  const r = await repo.findRequest(deps.db, requestId);
  if (!r || r.user_id !== userId) throw notFound('That request');
  if (
    !(await repo.decideRequest(deps.db, requestId, {
      status: 'cancelled',
      decided_at: iso(deps.clock.now()),
      decided_by: userId,
      reason: null,
    }))
  )
    throw conflict(`This request is already ${r.status}.`);
}

/** The community's queue: requests in the places the worker covers, asker's phone masked. */
export async function listRequests(
  deps: AppDeps,
  allowed: readonly Grant[],
  status: repo.RequestRow['status'],
  limit: number,
): Promise<RequestView[]> {
  const rows = await repo.requestsInCommunities(
    deps.db,
    await communitiesCovered(deps.db, allowed),
    status,
    limit,
  );
  const labels = await labelsOf(
    deps.db,
    rows.map((r) => r.unit_id),
  );
  return Promise.all(
    rows.map(async (r) => {
      const u = await users.findUserById(deps.db, r.user_id);
      return {
        ...presentRequest(r, labels),
        asker: {
          displayName: u?.display_name ?? '—',
          phone: u?.phone_cipher ? maskPhone(deps.vault.decrypt(u.phone_cipher)) : null,
        },
      };
    }),
  );
}

/** Approve (bind the asker) or reject a pending request; the route's access rule checked the unit is the worker's. */
export async function decide(
  deps: AppDeps,
  actorId: string,
  requestId: string,
  input: { approve: boolean; reason?: string },
): Promise<RequestView> {
  const r = await repo.findRequest(deps.db, requestId);
  if (!r) throw notFound('That request');
  if (!input.approve && !input.reason?.trim())
    throw new AppError(
      'validation_failed',
      'Say why the request is rejected: the asker sees the reason.',
    );
  const now = iso(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    const status = input.approve ? 'approved' : 'rejected';
    if (
      !(await repo.decideRequest(trx, requestId, {
        status,
        decided_at: now,
        decided_by: actorId,
        reason: input.reason?.trim() || null,
      }))
    )
      throw conflict(`This request is already ${r.status}.`);
    if (input.approve)
      await bind(deps, trx, r.user_id, r.unit_id, r.community_id, actorId, 'community');
    else
      await recordAudit(trx, deps.clock, deps.random, {
        actorId,
        action: 'household.reject',
        targetKind: 'user',
        targetId: r.user_id,
        communityId: r.community_id,
        detail: { requestId },
      });
  });
  return presentRequest(
    (await repo.findRequest(deps.db, requestId))!,
    await labelsOf(deps.db, [r.unit_id]),
  );
}
