/**
 * Role grants: staff add or remove a role of a user they manage, inside the places they
 * cover (user.policy.ts decides). Every change is audited in the same transaction.
 */
import type { Grant } from '../../platform/auth/access.ts';
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import {
  actorGrantsNow,
  authoriseGrant,
  type GrantInput,
  manageableUser,
  refuseSelf,
} from './user.policy.ts';
import { presentGrant, type GrantView } from './user.presenter.ts';
import * as users from './user.repository.ts';

/** Add a role to a user the actor may manage; granting the same role twice returns the existing grant. */
export async function addGrant(
  deps: AppDeps,
  actorId: string,
  actor: readonly Grant[],
  userId: string,
  input: GrantInput,
): Promise<GrantView> {
  refuseSelf(actorId, userId, 'change the roles of');
  return deps.db.transaction().execute(async (trx) => {
    const now = await actorGrantsNow(trx, actorId, actor, userId);
    await manageableUser(trx, now, userId);
    const communityId = await authoriseGrant(trx, now, input);
    const existing = await users.findGrantByScope(
      trx,
      userId,
      input.role,
      input.scopeKind,
      input.scopeId,
    );
    if (existing) return presentGrant(existing);
    const g: users.GrantRow = {
      id: newId(deps.clock, deps.random),
      user_id: userId,
      role: input.role,
      scope_kind: input.scopeKind,
      scope_id: input.scopeId,
      community_id: communityId,
      created_at: iso(deps.clock.now()),
      created_by: actorId,
    };
    await users.insertGrant(trx, g);
    await recordAudit(trx, deps.clock, deps.random, {
      actorId,
      action: 'grant.add',
      targetKind: 'user',
      targetId: userId,
      communityId,
      detail: { grantId: g.id, role: g.role, scopeKind: g.scope_kind, scopeId: g.scope_id },
    });
    return presentGrant(g);
  });
}

/** Remove a role from a user the actor may manage. */
export async function removeGrant(
  deps: AppDeps,
  actorId: string,
  actor: readonly Grant[],
  userId: string,
  grantId: string,
): Promise<void> {
  refuseSelf(actorId, userId, 'change the roles of');
  await deps.db.transaction().execute(async (trx) => {
    const now = await actorGrantsNow(trx, actorId, actor, userId);
    await manageableUser(trx, now, userId);
    const g = await users.findGrant(trx, userId, grantId);
    if (!g) throw notFound('That role grant');
    await authoriseGrant(trx, now, {
      role: g.role,
      scopeKind: g.scope_kind,
      scopeId: g.scope_id,
    });
    await users.deleteGrant(trx, g.id);
    await recordAudit(trx, deps.clock, deps.random, {
      actorId,
      action: 'grant.remove',
      targetKind: 'user',
      targetId: userId,
      communityId: g.community_id,
      detail: { grantId: g.id, role: g.role, scopeKind: g.scope_kind, scopeId: g.scope_id },
    });
  });
}
