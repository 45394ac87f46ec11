/**
 * The model of the stateful attack suite (stateful.test.ts): who holds which role where,
 * who is active, whose session still stands — and the rules written once more, here, as
 * the specification the server is held to (issue 13):
 *
 *   - a user is managed (seen in full, edited, disabled, given or stripped of a role) only
 *     by the platform admin, or by someone whose manager grants cover EVERY grant the user
 *     holds, each by a role ranked above it; never by themselves;
 *   - a role is given only on a place the granter covers, below the granter's rank, to a
 *     user the granter manages — or, creating an account, to a new one or one with no role yet;
 *   - a user shows up in a look-up or a list only for someone with a role over one of
 *     their grants' places, and only those grants are shown;
 *   - a community's parcels are listed only for staff whose grant covers the community.
 *
 * Written from the places' paths, not from the server's code, so a server that drifts
 * from the rule (or never had it) fails against it.
 */
import {
  ADMIN_ROLES,
  type Role,
  ROLE_RANK,
  ROLE_SCOPES,
  type ScopeKind,
  STAFF_ROLES,
} from '../../src/platform/auth/roles.ts';

/** A place's path: the id of each enclosing place by kind. */
export type Path = Partial<Record<ScopeKind, string>>;

export interface ModelGrant {
  id: string;
  role: Role;
  scopeKind: ScopeKind;
  scopeId: string;
}

export interface ModelUser {
  id: string;
  name: string;
  phone: string | null;
  status: 'active' | 'disabled';
  grants: ModelGrant[];
  /** False once the user's sessions were revoked (disabling revokes them for good). */
  sessionLive: boolean;
}

/** The model state: users by id and the path of every place a grant can name. */
export class IdentityModel {
  constructor(
    readonly users: Map<string, ModelUser>,
    private readonly paths: ReadonlyMap<string, Path>,
    /** Users by the name a counterexample prints (demo actors, and accounts made during the run). */
    readonly names: Map<string, string>,
  ) {}

  /** The id of a named user, or null while that account does not exist. */
  idOf(name: string): string | null {
    return this.names.get(name) ?? null;
  }

  user(id: string): ModelUser {
    const u = this.users.get(id);
    if (!u) throw new Error(`model has no user ${id}`);
    return u;
  }

  pathOf(kind: ScopeKind, id: string): Path | null {
    return kind === 'platform' ? {} : (this.paths.get(`${kind}:${id}`) ?? null);
  }

  /** The actor's request reaches the server's checks at all (active, session standing). */
  canAct(actorId: string): boolean {
    const a = this.user(actorId);
    return a.status === 'active' && a.sessionLive;
  }

  isPlatformAdmin(userId: string): boolean {
    return this.user(userId).grants.some(
      (g) => g.role === 'operator_admin' && g.scopeKind === 'platform',
    );
  }

  private covers(g: ModelGrant, path: Path): boolean {
    return g.scopeKind === 'platform' || path[g.scopeKind] === g.scopeId;
  }

  private managerGrants(actorId: string): ModelGrant[] {
    return this.user(actorId).grants.filter((g) =>
      (ADMIN_ROLES as readonly Role[]).includes(g.role),
    );
  }

  /** One of the actor's manager grants covers `path` and outranks `role`. */
  private reaches(actorId: string, role: Role, path: Path): boolean {
    return this.managerGrants(actorId).some(
      (a) =>
        this.covers(a, path) &&
        ((a.role === 'operator_admin' && a.scopeKind === 'platform') ||
          ROLE_RANK[a.role] > ROLE_RANK[role]),
    );
  }

  /** May `actorId` manage `targetId` (edit, disable, grant to, revoke from, see in full)? */
  mayManage(actorId: string, targetId: string): boolean {
    if (!this.canAct(actorId) || actorId === targetId || !this.users.has(targetId)) return false;
    if (this.isPlatformAdmin(actorId)) return true;
    const t = this.user(targetId);
    return (
      t.grants.length > 0 &&
      t.grants.every((g) => {
        const p = this.pathOf(g.scopeKind, g.scopeId);
        return p !== null && this.reaches(actorId, g.role, p);
      })
    );
  }

  /** May `actorId` give `targetId` this role on this place? */
  mayGrant(
    actorId: string,
    targetId: string,
    role: Role,
    kind: ScopeKind,
    scopeId: string,
  ): boolean {
    const p = this.pathOf(kind, scopeId);
    return (
      this.mayManage(actorId, targetId) &&
      ROLE_SCOPES[role].includes(kind) &&
      p !== null &&
      this.reaches(actorId, role, p)
    );
  }

  /** May `actorId` create an account (or adopt one with no role yet) with this first role? */
  mayCreate(actorId: string, role: Role, kind: ScopeKind, scopeId: string): boolean {
    const p = this.pathOf(kind, scopeId);
    return (
      this.canAct(actorId) &&
      ROLE_SCOPES[role].includes(kind) &&
      p !== null &&
      this.reaches(actorId, role, p)
    );
  }

  userByPhone(phone: string): ModelUser | undefined {
    return [...this.users.values()].find((u) => u.phone === phone);
  }

  /** The target's grants the actor may see in a look-up or list (empty = the target is not visible). */
  visibleGrants(actorId: string, targetId: string): ModelGrant[] {
    if (!this.users.has(targetId)) return [];
    if (this.isPlatformAdmin(actorId)) return this.user(targetId).grants;
    const mine = this.managerGrants(actorId);
    return this.user(targetId).grants.filter((g) => {
      const p = this.pathOf(g.scopeKind, g.scopeId) ?? {};
      return mine.some(
        (a) =>
          (a.scopeKind === 'community' || a.scopeKind === 'subdistrict') &&
          this.covers(a, p) &&
          (p.community !== undefined || g.scopeKind === 'subdistrict'),
      );
    });
  }

  /** Holds a role that may call the user-management routes at all. */
  isManager(actorId: string): boolean {
    return this.managerGrants(actorId).length > 0;
  }

  private staffGrants(actorId: string): ModelGrant[] {
    return this.user(actorId).grants.filter((g) =>
      (STAFF_ROLES as readonly Role[]).includes(g.role),
    );
  }

  /** Staff with a grant over the community, or on a grid or hall inside it, may search its parcels (their area of it). */
  maySearchCommunityParcels(actorId: string, communityId: string): boolean {
    const p = this.pathOf('community', communityId);
    return (
      p !== null &&
      this.staffGrants(actorId).some(
        (g) =>
          this.covers(g, p) ||
          ((g.scopeKind === 'grid' || g.scopeKind === 'hall') &&
            this.pathOf(g.scopeKind, g.scopeId)?.community === communityId),
      )
    );
  }

  /**
   * Whether a parcel at a locker site with this path is in the actor's area: the whole
   * community for platform, subdistrict and community grants; a grid worker's grid; a hall's compound.
   */
  parcelInArea(actorId: string, site: Path): boolean {
    return this.staffGrants(actorId).some((g) => {
      if (g.scopeKind === 'grid') return site.grid === g.scopeId;
      if (g.scopeKind === 'hall') {
        const hall = this.pathOf('hall', g.scopeId);
        return (
          hall !== null &&
          hall.community === site.community &&
          (hall.compound === undefined || hall.compound === site.compound)
        );
      }
      return this.covers(g, site);
    });
  }

  /** At least one active platform admin remains (nobody can lock the platform out). */
  platformAdminRemains(): boolean {
    return [...this.users.values()].some(
      (u) =>
        u.status === 'active' &&
        u.grants.some((g) => g.role === 'operator_admin' && g.scopeKind === 'platform'),
    );
  }
}
