/** The only SQL on users and role grants. */
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { prepare } from '../../db/prepared.ts';
import type { Grant } from '../../platform/auth/access.ts';
import type { Role, ScopeKind } from '../../platform/auth/roles.ts';
import type { RoleGrantTable, UserTable } from './identity.table.ts';

export type UserRow = UserTable;
export type GrantRow = RoleGrantTable;

/** Map a grant row to the domain type used by access control. */
export function toGrant(r: GrantRow): Grant {
  return {
    id: r.id,
    role: r.role,
    scopeKind: r.scope_kind,
    scopeId: r.scope_id,
    communityId: r.community_id,
  };
}

// Every deposit looks its recipient up by phone; every sign-in and profile by id: compiled once.
const userById = prepare<{ id: string }, UserRow>((db, p) =>
  db.selectFrom('users').selectAll().where('id', '=', p('id')),
);
const userByPhoneHash = prepare<{ phoneHash: string }, UserRow>((db, p) =>
  db.selectFrom('users').selectAll().where('phone_hash', '=', p('phoneHash')),
);

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return userById.first(db, { id });
}

export async function findUserByPhoneHash(
  db: Executor,
  phoneHash: string,
): Promise<UserRow | undefined> {
  return userByPhoneHash.first(db, { phoneHash });
}

export async function findUserByUsername(
  db: Executor,
  username: string,
): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/** Display names by user id (unknown ids are absent): for other modules' lists. */
export async function displayNames(
  db: Executor,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Record a user. */
export async function insertUser(db: Executor, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function updateUser(
  db: Executor,
  id: string,
  patch: Partial<Pick<UserRow, 'display_name' | 'status' | 'password_hash' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/**
 * Lock the actor's and the target's user rows for the rest of the transaction (PostgreSQL:
 * `FOR UPDATE`, in id order so two admins acting on each other queue instead of deadlocking;
 * SQLite's one writer already serialises them) and return the actor's status as committed.
 */
export async function lockActorAndTarget(
  db: Executor,
  actorId: string,
  targetId: string | null,
): Promise<UserRow['status'] | undefined> {
  let q = db
    .selectFrom('users')
    .select(['id', 'status'])
    .where('id', 'in', targetId ? [actorId, targetId] : [actorId])
    .orderBy('id');
  if (isPostgres(db)) q = q.forUpdate();
  return (await q.execute()).find((r) => r.id === actorId)?.status;
}

export async function grantsOfUser(db: Executor, userId: string): Promise<GrantRow[]> {
  return db
    .selectFrom('role_grants')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

// Every signed-in request runs it (platform/auth): compiled once.
const grantsWithStatus = prepare<
  { userId: string },
  {
    status: UserRow['status'];
    id: string | null;
    role: string | null;
    scope_kind: string | null;
    scope_id: string | null;
    community_id: string | null;
  }
>((db, p) =>
  db
    .selectFrom('users as u')
    .leftJoin('role_grants as g', 'g.user_id', 'u.id')
    .select(['u.status', 'g.id', 'g.role', 'g.scope_kind', 'g.scope_id', 'g.community_id'])
    .where('u.id', '=', p('userId')),
);

/** Grants of an active user, or null when the user is missing or disabled (one round trip). */
export async function activeGrants(db: Executor, userId: string): Promise<Grant[] | null> {
  const rows = await grantsWithStatus.all(db, { userId });
  if (rows.length === 0 || rows[0]!.status !== 'active') return null;
  return rows
    .filter((r) => r.id !== null)
    .map((r) => ({
      id: r.id!,
      role: r.role as Role,
      scopeKind: r.scope_kind as ScopeKind,
      scopeId: r.scope_id!,
      communityId: r.community_id,
    }));
}

export async function findGrant(
  db: Executor,
  userId: string,
  grantId: string,
): Promise<GrantRow | undefined> {
  return db
    .selectFrom('role_grants')
    .selectAll()
    .where('id', '=', grantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function findGrantByScope(
  db: Executor,
  userId: string,
  role: Role,
  scopeKind: ScopeKind,
  scopeId: string,
): Promise<GrantRow | undefined> {
  return db
    .selectFrom('role_grants')
    .selectAll()
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .where('scope_kind', '=', scopeKind)
    .where('scope_id', '=', scopeId)
    .executeTakeFirst();
}

export async function insertGrant(db: Executor, row: GrantRow): Promise<void> {
  await db.insertInto('role_grants').values(row).execute();
}

export async function deleteGrant(db: Executor, grantId: string): Promise<void> {
  await db.deleteFrom('role_grants').where('id', '=', grantId).execute();
}

export interface UserListFilter {
  /** null = every community (platform scope). */
  communityIds: readonly string[] | null;
  /** Also include users holding grants on these subdistricts/carriers (officers, couriers). */
  extraScopes: ReadonlyArray<{ kind: ScopeKind; id: string }>;
  role?: Role;
  limit: number;
  offset: number;
}

/** Users holding at least one grant inside the filter's communities or extra scopes. */
export async function listUsers(db: Executor, f: UserListFilter): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll();
  q = q.where((eb) => {
    let sub = eb
      .selectFrom('role_grants as g')
      .select('g.id')
      .whereRef('g.user_id', '=', 'users.id');
    if (f.role) sub = sub.where('g.role', '=', f.role);
    if (f.communityIds !== null) {
      const ids = f.communityIds;
      const extra = f.extraScopes;
      sub = sub.where((w) =>
        w.or([
          ...(ids.length ? [w('g.community_id', 'in', ids)] : []),
          ...extra.map((s) => w.and([w('g.scope_kind', '=', s.kind), w('g.scope_id', '=', s.id)])),
          w.lit(false),
        ]),
      );
    }
    return eb.exists(sub);
  });
  return q.orderBy('created_at').limit(f.limit).offset(f.offset).execute();
}

/** Whether a user already has this username. */
export async function usernameTaken(db: Executor, username: string): Promise<boolean> {
  return (await findUserByUsername(db, username)) !== undefined;
}
