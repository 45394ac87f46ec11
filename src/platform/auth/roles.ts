/**
 * Roles and the kind of scope each is granted on. A grant covers an object when the
 * object's place path contains the grant's scope (see access.ts).
 */
export const ROLES = [
  'resident',
  'courier',
  'hall_staff',
  'partner',
  'grid_worker',
  'community_worker',
  'subdistrict_officer',
  'operator_admin',
] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_KINDS = [
  'platform',
  'subdistrict',
  'community',
  'compound',
  'grid',
  'building',
  'unit',
  'hall',
  'locker_site',
  'carrier',
] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** Which scope kinds each role may be granted on. */
export const ROLE_SCOPES: Record<Role, readonly ScopeKind[]> = {
  resident: ['unit'],
  courier: ['carrier'],
  hall_staff: ['hall'],
  partner: ['hall'],
  grid_worker: ['grid'],
  community_worker: ['community'],
  subdistrict_officer: ['subdistrict'],
  operator_admin: ['subdistrict', 'platform'],
};

/** Roles that work for the community or the operator (not residents, couriers or partners). */
export const STAFF_ROLES = [
  'hall_staff',
  'grid_worker',
  'community_worker',
  'subdistrict_officer',
  'operator_admin',
] as const satisfies readonly Role[];

/** Roles allowed to manage places, users and grants inside their scope. */
export const ADMIN_ROLES = [
  'community_worker',
  'subdistrict_officer',
  'operator_admin',
] as const satisfies readonly Role[];

/**
 * How far each role reaches when managing people: a manager gives, edits and removes only
 * roles ranked below their own (a community worker makes grid workers, not community
 * workers), so nobody widens their own rank or a colleague's. The platform admin alone
 * outranks every role, its own included.
 */
export const ROLE_RANK: Record<Role, number> = {
  resident: 0,
  courier: 0,
  partner: 0,
  hall_staff: 1,
  grid_worker: 1,
  community_worker: 2,
  subdistrict_officer: 3,
  operator_admin: 4,
};
