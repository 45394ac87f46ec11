/**
 * Managing people: staff create accounts and grant or revoke roles inside the places
 * they cover. Every change is audited in the same transaction.
 */
import type { Grant } from '../../platform/auth/access.ts';
import { covers } from '../../platform/auth/access.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { ROLE_SCOPES, type Role, type ScopeKind } from '../../platform/auth/roles.ts';
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import { normalizePhone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { Executor } from '../../db/database.ts';
import { communitiesCovered, placePath } from '../places/place-path.repository.ts';
import { presentUser, type GrantView, type UserView } from './user.presenter.ts';
import * as users from './user.repository.ts';

export interface GrantInput {
  role: Role;
  scopeKind: ScopeKind;
  scopeId: string;
}

/** Check that `actor` may hand out this grant, and return the grant's community. */
async function authoriseGrant(db: Executor, actor: readonly Grant[], g: GrantInput): Promise<string | null> {
  if (!ROLE_SCOPES[g.role].includes(g.scopeKind)) {
    throw new AppError('validation_failed', `A ${g.role} is granted on a ${ROLE_SCOPES[g.role].join(' or ')}, not a ${g.scopeKind}.`);
  }
  const path = await placePath(db, g.scopeKind, g.scopeId);
  if (!path) throw notFound(`The ${g.scopeKind.replace('_', ' ')}`);
  const mine = actor.filter((a) => covers(a, path));
  if (mine.length === 0) throw new AppError('forbidden', `You can only grant roles inside the places you manage.`);
  if (g.role === 'operator_admin' && !mine.some((a) => a.role === 'operator_admin')) {
    throw new AppError('forbidden', 'Only an operator admin can make another operator admin.');
  }
  return path.community ?? null;
}

export interface CreateUserInput {
  displayName: string;
  phone?: string;
  username?: string;
  password?: string;
  grant: GrantInput;
}

/** Create an account with its first role; a phone or a username must be given. */
export async function createUser(deps: AppDeps, actorId: string, actor: readonly Grant[], input: CreateUserInput): Promise<UserView> {
  if (!input.phone && !input.username) throw new AppError('validation_failed', 'Give a phone number (residents) or a username (staff).');
  if (input.username && !input.password) throw new AppError('validation_failed', 'A staff account with a username needs a password.');
  const phone = input.phone ? normalizePhone(input.phone) : null;
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return deps.db.transaction().execute(async (trx) => {
    const communityId = await authoriseGrant(trx, actor, input.grant);
    if (phone) {
      const existing = await users.findUserByPhoneHash(trx, deps.vault.hash(phone));
      if (existing) throw conflict(`An account with this phone already exists (user ${existing.id}); add a role to it instead.`);
    }
    const username = input.username?.toLowerCase() ?? null;
    if (username && (await users.usernameTaken(trx, username))) throw conflict(`The username "${username}" is taken; choose another.`);
    const now = iso(deps.clock.now());
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
    const grant: users.GrantRow = { id: newId(deps.clock, deps.random), user_id: row.id, role: input.grant.role, scope_kind: input.grant.scopeKind, scope_id: input.grant.scopeId, community_id: communityId, created_at: now, created_by: actorId };
    await users.insertGrant(trx, grant);
    await recordAudit(trx, deps.clock, deps.random, { actorId, action: 'user.create', targetKind: 'user', targetId: row.id, communityId, detail: { role: grant.role, scopeKind: grant.scope_kind, scopeId: grant.scope_id } });
    return presentUser(row, [grant], deps.vault, false);
  });
}

/** One user as a manager sees them (phone masked), or as themselves (phone in full). */
export async function getUser(deps: AppDeps, id: string, viewerId: string): Promise<UserView> {
  const u = await users.findUserById(deps.db, id);
  if (!u) throw notFound('That user');
  return presentUser(u, await users.grantsOfUser(deps.db, id), deps.vault, id === viewerId);
}

/** Find an account by phone (to add a role to a resident who signed up by SMS). */
export async function lookupByPhone(deps: AppDeps, actor: readonly Grant[], phoneInput: string): Promise<UserView> {
  const u = await users.findUserByPhoneHash(deps.db, deps.vault.hash(normalizePhone(phoneInput)));
  if (!u) throw notFound('An account with that phone');
  return presentUser(u, await visibleGrants(deps, actor, u.id), deps.vault, false);
}

async function visibleGrants(deps: AppDeps, actor: readonly Grant[], userId: string): Promise<users.GrantRow[]> {
  const communities = await communitiesCovered(deps.db, actor);
  const all = await users.grantsOfUser(deps.db, userId);
  return communities === null ? all : all.filter((g) => g.community_id !== null && communities.includes(g.community_id));
}

/** Users with a role in the places the actor manages. */
export async function listUsers(deps: AppDeps, actor: readonly Grant[], q: { role?: Role; limit: number; offset: number }): Promise<UserView[]> {
  const communityIds = await communitiesCovered(deps.db, actor);
  const extraScopes = actor.filter((g) => g.scopeKind === 'subdistrict').map((g) => ({ kind: g.scopeKind, id: g.scopeId }));
  const rows = await users.listUsers(deps.db, { communityIds, extraScopes, limit: q.limit, offset: q.offset, ...(q.role ? { role: q.role } : {}) });
  return Promise.all(rows.map(async (u) => presentUser(u, await visibleGrants(deps, actor, u.id), deps.vault, false)));
}

/** Rename, disable or re-enable an account. Disabling also ends its sessions at the next token refresh. */
export async function updateUser(deps: AppDeps, actorId: string, id: string, patch: { displayName?: string; status?: 'active' | 'disabled' }): Promise<UserView> {
  if (id === actorId && patch.status === 'disabled') throw new AppError('conflict', 'You cannot disable your own account.');
  return deps.db.transaction().execute(async (trx) => {
    const u = await users.findUserById(trx, id);
    if (!u) throw notFound('That user');
    const now = iso(deps.clock.now());
    await users.updateUser(trx, id, { ...(patch.displayName ? { display_name: patch.displayName } : {}), ...(patch.status ? { status: patch.status } : {}), updated_at: now });
    await recordAudit(trx, deps.clock, deps.random, { actorId, action: 'user.update', targetKind: 'user', targetId: id, communityId: null, detail: patch });
    const after = (await users.findUserById(trx, id))!;
    return presentUser(after, await users.grantsOfUser(trx, id), deps.vault, id === actorId);
  });
}

/** Add a role to a user; granting the same role twice returns the existing grant. */
export async function addGrant(deps: AppDeps, actorId: string, actor: readonly Grant[], userId: string, input: GrantInput): Promise<GrantView> {
  return deps.db.transaction().execute(async (trx) => {
    const communityId = await authoriseGrant(trx, actor, input);
    if (!(await users.findUserById(trx, userId))) throw notFound('That user');
    const existing = await users.findGrantByScope(trx, userId, input.role, input.scopeKind, input.scopeId);
    if (existing) return { id: existing.id, role: existing.role, scopeKind: existing.scope_kind, scopeId: existing.scope_id, communityId: existing.community_id };
    const g: users.GrantRow = { id: newId(deps.clock, deps.random), user_id: userId, role: input.role, scope_kind: input.scopeKind, scope_id: input.scopeId, community_id: communityId, created_at: iso(deps.clock.now()), created_by: actorId };
    await users.insertGrant(trx, g);
    await recordAudit(trx, deps.clock, deps.random, { actorId, action: 'grant.add', targetKind: 'user', targetId: userId, communityId, detail: { grantId: g.id, role: g.role, scopeKind: g.scope_kind, scopeId: g.scope_id } });
    return { id: g.id, role: g.role, scopeKind: g.scope_kind, scopeId: g.scope_id, communityId };
  });
}

/** Remove a role; the actor must manage the grant's place. */
export async function removeGrant(deps: AppDeps, actorId: string, actor: readonly Grant[], userId: string, grantId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const g = await users.findGrant(trx, userId, grantId);
    if (!g) throw notFound('That role grant');
    await authoriseGrant(trx, actor, { role: g.role, scopeKind: g.scope_kind, scopeId: g.scope_id });
    await users.deleteGrant(trx, g.id);
    await recordAudit(trx, deps.clock, deps.random, { actorId, action: 'grant.remove', targetKind: 'user', targetId: userId, communityId: g.community_id, detail: { grantId: g.id, role: g.role, scopeKind: g.scope_kind, scopeId: g.scope_id } });
  });
}
