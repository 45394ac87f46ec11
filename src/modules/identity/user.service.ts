/**
 * Managing people: staff create accounts and grant or revoke roles inside the places
 * they cover. Who may manage whom is decided in user.policy.ts, and every function here
 * asks it. Every change is audited in the same transaction.
 */
import type { Grant } from '../../platform/auth/access.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import { normalizePhone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { Executor } from '../../db/database.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { communitiesCovered } from '../places/index.ts';
import {
  actorGrantsNow,
  authoriseGrant,
  type GrantInput,
  manageableUser,
  mayManage,
  refuseSelf,
  visibleGrants,
} from './user.policy.ts';
import { presentUser, type UserView } from './user.presenter.ts';
import { revokeAllSessions } from './session.repository.ts';
import * as users from './user.repository.ts';

export interface CreateUserInput {
  displayName: string;
  phone?: string;
  username?: string;
  password?: string;
  grant: GrantInput;
}

/**
 * Create an account with its first role; a phone or a username must be given. A phone
 * that already signed up by SMS and holds no role yet is adopted (the role is added and
 * the name set), so an office registers its residents whether or not they used the app.
 */
export async function createUser(
  deps: AppDeps,
  actorId: string,
  actor: readonly Grant[],
  input: CreateUserInput,
): Promise<UserView> {
  if (!input.phone && !input.username)
    throw new AppError(
      'validation_failed',
      'Give a phone number (residents) or a username (staff).',
    );
  if (input.username && !input.password)
    throw new AppError('validation_failed', 'A staff account with a username needs a password.');
  const phone = input.phone ? normalizePhone(input.phone) : null;
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return deps.db.transaction().execute(async (trx) => {
    const current = await actorGrantsNow(trx, actorId, actor, null);
    const communityId = await authoriseGrant(trx, current, input.grant);
    const now = iso(deps.clock.now());
    const grantRow = (userId: string): users.GrantRow => ({
      id: newId(deps.clock, deps.random),
      user_id: userId,
      role: input.grant.role,
      scope_kind: input.grant.scopeKind,
      scope_id: input.grant.scopeId,
      community_id: communityId,
      created_at: now,
      created_by: actorId,
    });
    const existing = phone
      ? await users.findUserByPhoneHash(trx, deps.vault.hash(phone))
      : undefined;
    if (existing) {
      const held = await users.grantsOfUser(trx, existing.id);
      // Never set a password on an existing account: whoever set it could sign in as its owner.
      if (held.length === 0 && !input.username)
        return adopt(deps, trx, actorId, existing, input.displayName, grantRow(existing.id));
      if (await mayManage(trx, current, held))
        throw conflict(
          `An account with this phone already exists (user ${existing.id}); add a role to it instead.`,
        );
      throw conflict(
        'An account with this phone already exists and is managed by another office; ask them (or the platform admin) to add the role.',
      );
    }
    const username = input.username?.toLowerCase() ?? null;
    if (username && (await users.usernameTaken(trx, username)))
      throw conflict(`The username "${username}" is taken; choose another.`);
    const row: users.UserRow = {
      id: newId(deps.clock, deps.random),
      display_name: input.displayName,
      phone_hash: phone ? deps.vault.hash(phone) : null,
      phone_cipher: phone ? deps.vault.encrypt(phone) : null,
      username,
      password_hash: passwordHash,
      status: 'active',
      created_at: now,
      updated_at: now,
    };
    await users.insertUser(trx, row);
    const grant = grantRow(row.id);
    await users.insertGrant(trx, grant);
    await recordAudit(trx, deps.clock, deps.random, {
      actorId,
      action: 'user.create',
      targetKind: 'user',
      targetId: row.id,
      communityId,
      detail: { role: grant.role, scopeKind: grant.scope_kind, scopeId: grant.scope_id },
    });
    return presentUser(row, [grant], deps.vault, false);
  });
}

async function adopt(
  deps: AppDeps,
  trx: Executor,
  actorId: string,
  u: users.UserRow,
  displayName: string,
  grant: users.GrantRow,
): Promise<UserView> {
  await users.updateUser(trx, u.id, { display_name: displayName, updated_at: grant.created_at });
  await users.insertGrant(trx, grant);
  await recordAudit(trx, deps.clock, deps.random, {
    actorId,
    action: 'user.adopt',
    targetKind: 'user',
    targetId: u.id,
    communityId: grant.community_id,
    detail: { role: grant.role, scopeKind: grant.scope_kind, scopeId: grant.scope_id },
  });
  return presentUser({ ...u, display_name: displayName }, [grant], deps.vault, false);
}

/** One user in full (all their roles, phone masked) for someone who may manage them, or themselves (phone in full). */
export async function getUser(
  deps: AppDeps,
  actor: readonly Grant[],
  id: string,
  viewerId: string,
): Promise<UserView> {
  if (id === viewerId) {
    const me = await users.findUserById(deps.db, id);
    if (!me) throw notFound('That user');
    return presentUser(me, await users.grantsOfUser(deps.db, id), deps.vault, true);
  }
  const { user, grants } = await manageableUser(deps.db, actor, id);
  return presentUser(user, grants, deps.vault, false);
}

/**
 * Find an account by phone (to add a role to someone the actor manages). Only users with a
 * role inside the actor's places are found; anyone else gets the same 404 as an unknown phone.
 */
export async function lookupByPhone(
  deps: AppDeps,
  actor: readonly Grant[],
  phoneInput: string,
): Promise<UserView> {
  const u = await users.findUserByPhoneHash(deps.db, deps.vault.hash(normalizePhone(phoneInput)));
  const seen = u
    ? await visibleGrants(deps.db, actor, await users.grantsOfUser(deps.db, u.id))
    : null;
  if (!u || !seen) throw notFound('An account with that phone');
  return presentUser(u, seen, deps.vault, false);
}

/** Users with a role in the places the actor manages (only those roles are shown). */
export async function listUsers(
  deps: AppDeps,
  actor: readonly Grant[],
  q: { role?: Role; limit: number; offset: number },
): Promise<UserView[]> {
  const communityIds = await communitiesCovered(deps.db, actor);
  const extraScopes = actor
    .filter((g) => g.scopeKind === 'subdistrict')
    .map((g) => ({ kind: g.scopeKind, id: g.scopeId }));
  const rows = await users.listUsers(deps.db, {
    communityIds,
    extraScopes,
    limit: q.limit,
    offset: q.offset,
    ...(q.role ? { role: q.role } : {}),
  });
  return Promise.all(
    rows.map(async (u) =>
      presentUser(
        u,
        (await visibleGrants(deps.db, actor, await users.grantsOfUser(deps.db, u.id))) ?? [],
        deps.vault,
        false,
      ),
    ),
  );
}

/** Rename, disable or re-enable an account the actor may manage (anyone may rename themselves). Disabling ends its sessions at once. */
export async function updateUser(
  deps: AppDeps,
  actorId: string,
  actor: readonly Grant[],
  id: string,
  patch: { displayName?: string; status?: 'active' | 'disabled' },
): Promise<UserView> {
  if (id === actorId && patch.status === 'disabled')
    throw new AppError('conflict', 'You cannot disable your own account.');
  if (id === actorId) refuseSelf(actorId, id, patch.status ? 'change the status of' : 'manage');
  return deps.db.transaction().execute(async (trx) => {
    const { grants } = await manageableUser(trx, await actorGrantsNow(trx, actorId, actor, id), id);
    const now = iso(deps.clock.now());
    await users.updateUser(trx, id, {
      ...(patch.displayName ? { display_name: patch.displayName } : {}),
      ...(patch.status ? { status: patch.status } : {}),
      updated_at: now,
    });
    if (patch.status === 'disabled') await revokeAllSessions(trx, id, now);
    await recordAudit(trx, deps.clock, deps.random, {
      actorId,
      action: 'user.update',
      targetKind: 'user',
      targetId: id,
      communityId: null,
      detail: patch,
    });
    const after = (await users.findUserById(trx, id))!;
    return presentUser(after, grants, deps.vault, false);
  });
}
