/**
 * Who may manage whom: the one rule every user and grant change passes through (issue 13).
 *
 * A user may be managed (seen in full, renamed, disabled, given or stripped of a role)
 * only by the platform admin, or by someone whose admin grants cover EVERY grant the
 * user holds, each by a role ranked above it (ROLE_RANK). Covering one of their grants
 * is not enough: otherwise a community worker could give anyone a role in their own
 * community and then manage (disable) that person everywhere, the admin included.
 * A role is given only on a place the granter covers, below the granter's own rank, to
 * a user the granter may already manage. Nobody changes their own roles or status.
 * A user with no role yet (signed up by SMS) belongs to no office: only the platform
 * admin manages them; an office adopts them by creating the account (createUser).
 */
import type { Executor } from '../../db/database.ts';
import { covers, type Grant, type PlacePath } from '../../platform/auth/access.ts';
import {
  ADMIN_ROLES,
  ROLE_RANK,
  ROLE_SCOPES,
  type Role,
  type ScopeKind,
} from '../../platform/auth/roles.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { communitiesCovered, placePath } from '../places/index.ts';
import * as users from './user.repository.ts';

/** True for the platform admin's grant: operator admin over the whole platform. */
export function isPlatformAdmin(g: Grant): boolean {
  return g.role === 'operator_admin' && g.scopeKind === 'platform';
}

/** The actor's grants that may manage people at all. */
function managerGrants(actor: readonly Grant[]): Grant[] {
  return actor.filter((a) => (ADMIN_ROLES as readonly Role[]).includes(a.role));
}

/** True when one of the actor's manager grants covers `path` and outranks `role`. */
function reaches(actor: readonly Grant[], role: Role, path: PlacePath): boolean {
  return managerGrants(actor).some(
    (a) => covers(a, path) && (isPlatformAdmin(a) || ROLE_RANK[a.role] > ROLE_RANK[role]),
  );
}

/** Whether `actor` may manage a user holding `grants` (see the file comment). */
export async function mayManage(
  db: Executor,
  actor: readonly Grant[],
  grants: readonly users.GrantRow[],
): Promise<boolean> {
  if (actor.some(isPlatformAdmin)) return true;
  if (grants.length === 0) return false;
  for (const g of grants) {
    const path = await placePath(db, g.scope_kind, g.scope_id);
    if (!path || !reaches(actor, g.role, path)) return false;
  }
  return true;
}

/** The one answer to a disabled account, wherever it signs in or acts. */
export function accountDisabled(): AppError {
  return new AppError('forbidden', 'This account is disabled; contact your community office.');
}

/**
 * The actor's grants as they stand inside this transaction, for a change to users or roles:
 * those of `allowed` (the grants the request was let in with) that the actor still holds.
 * The request's grants were read when it was authenticated; two admins disabling each other
 * (or taking each other's admin role) at the same instant both passed that check and left
 * nobody to manage the platform. Here the actor's and the target's rows are locked and the
 * actor read again: an account disabled in the meantime is refused (403), and a role taken
 * away in the meantime no longer counts (the usual 404s follow). Every user and grant change
 * calls this first, in its own transaction.
 */
export async function actorGrantsNow(
  db: Executor,
  actorId: string,
  allowed: readonly Grant[],
  targetId: string | null,
): Promise<Grant[]> {
  const status = await users.lockActorAndTarget(db, actorId, targetId);
  if (status !== 'active') throw accountDisabled();
  const held = new Set((await users.grantsOfUser(db, actorId)).map((g) => g.id));
  return allowed.filter((g) => held.has(g.id));
}

/**
 * Load a user the actor may manage, with all their grants. Anyone else gets the same
 * 404 as a user that does not exist, so the answer reveals nothing.
 */
export async function manageableUser(
  db: Executor,
  actor: readonly Grant[],
  userId: string,
): Promise<{ user: users.UserRow; grants: users.GrantRow[] }> {
  const user = await users.findUserById(db, userId);
  const grants = user ? await users.grantsOfUser(db, userId) : [];
  if (!user || !(await mayManage(db, actor, grants))) throw notFound('That user');
  return { user, grants };
}

/** Refuse any change by a user to their own roles or status (a manager cannot widen themselves). */
export function refuseSelf(actorId: string, userId: string, what: string): void {
  if (actorId === userId)
    throw new AppError(
      'forbidden',
      `You cannot ${what} your own account; ask whoever manages your account.`,
    );
}

export interface GrantInput {
  role: Role;
  scopeKind: ScopeKind;
  scopeId: string;
}

/** Check that `actor` may hand out (or take back) this role on this place; returns the grant's community. */
export async function authoriseGrant(
  db: Executor,
  actor: readonly Grant[],
  g: GrantInput,
): Promise<string | null> {
  if (!ROLE_SCOPES[g.role].includes(g.scopeKind)) {
    throw new AppError(
      'validation_failed',
      `A ${g.role} is granted on a ${ROLE_SCOPES[g.role].join(' or ')}, not a ${g.scopeKind}.`,
    );
  }
  const path = await placePath(db, g.scopeKind, g.scopeId);
  if (!path) throw notFound(`The ${g.scopeKind.replace('_', ' ')}`);
  if (!managerGrants(actor).some((a) => covers(a, path)))
    throw new AppError('forbidden', 'You can only grant roles inside the places you manage.');
  if (!reaches(actor, g.role, path)) {
    throw new AppError(
      'forbidden',
      `Only someone ranked above a ${g.role} can give or remove that role; ask your subdistrict office or the platform admin.`,
    );
  }
  return path.community ?? null;
}

/**
 * Whether a user shows up for the actor at all (list, phone look-up): they hold a grant
 * inside the actor's places. Returns the grants the actor may see, or null.
 */
export async function visibleGrants(
  db: Executor,
  actor: readonly Grant[],
  grants: readonly users.GrantRow[],
): Promise<users.GrantRow[] | null> {
  if (actor.some(isPlatformAdmin)) return [...grants];
  const communities = await communitiesCovered(db, managerGrants(actor));
  const subdistricts = new Set(
    managerGrants(actor)
      .filter((a) => a.scopeKind === 'subdistrict')
      .map((a) => a.scopeId),
  );
  const seen = grants.filter(
    (g) =>
      (communities === null
        ? true
        : g.community_id !== null && communities.includes(g.community_id)) ||
      (g.scope_kind === 'subdistrict' && subdistricts.has(g.scope_id)),
  );
  return seen.length > 0 ? seen : null;
}
