/**
 * Authorisation that cannot be forgotten. Every route under /api and /open311 must
 * declare `config.access`; registering one without it throws at start-up. The
 * declaration names who may call the route (roles) and, for routes about one object,
 * how to find that object; the object's place path must be covered by one of the
 * caller's grants of an allowed role.
 *
 *   - no or bad token, or its session ended → 401
 *   - no grant of an allowed role          → 403 (the function is not yours: BFLA)
 *   - the object is missing or not covered → 404 (existence is not revealed: BOLA)
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.ts';
import type { Role, ScopeKind } from './roles.ts';
import type { TokenService } from './tokens.ts';

/** One role held on one scope. */
export interface Grant {
  readonly id: string;
  readonly role: Role;
  readonly scopeKind: ScopeKind;
  readonly scopeId: string;
  readonly communityId: string | null;
}

/** The authenticated caller. */
export interface Principal {
  readonly userId: string;
  readonly sessionId: string;
  readonly grants: readonly Grant[];
}

/** Where an object sits: the id of each enclosing place (a unit's path names its building, compound, grid, community, subdistrict). */
export type PlacePath = Partial<Record<ScopeKind, string>>;

/** A reference to the object a route acts on, e.g. { kind: 'unit', id }. */
export interface ObjectRef {
  readonly kind: string;
  readonly id: string;
}

/** The object a route acts on, named by one of its path parameters: `object: objectParam('alert', 'alertId')`. */
export const objectParam =
  (kind: string, name: string) =>
  (req: FastifyRequest): ObjectRef => ({
    kind,
    id: String((req.params as Record<string, unknown>)[name] ?? ''),
  });

/** Finds the place paths of an object of one kind; [] when it does not exist. */
export type ScopeResolver = (id: string) => Promise<PlacePath[]>;

export type Access =
  | { readonly public: true }
  | {
      /** Roles allowed to call the route; 'any' = any signed-in user. */
      readonly roles: readonly Role[] | 'any';
      /** The object the route is about; its path must be covered by an allowed grant. */
      readonly object?: (req: FastifyRequest) => ObjectRef;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every guarded route's declared access, for docs and the access-matrix tests. */
    accessPolicies: ReadonlyArray<{ method: string; url: string; access: Access }>;
  }
  interface FastifyRequest {
    /** The signed-in caller; null only on public routes. */
    principal: Principal | null;
    /** The caller's grants that passed this route's access check (role and object scope). */
    allowed: readonly Grant[];
  }
}

/** True when a grant's scope encloses the path. */
export function covers(grant: Grant, path: PlacePath): boolean {
  return grant.scopeKind === 'platform' || path[grant.scopeKind] === grant.scopeId;
}

/** The signed-in principal of a protected route (never null there). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('unauthenticated', 'Sign in first.');
  return req.principal;
}

export interface AccessOptions {
  tokens: TokenService;
  /** Loads the user's active grants; null when the user is missing or disabled. */
  loadGrants: (userId: string) => Promise<Grant[] | null>;
  /** Whether the token's session (sid) still stands; false after logout or revocation, or for a sid never issued. */
  sessionLive: (sessionId: string, userId: string) => Promise<boolean>;
  resolvers: Readonly<Record<string, ScopeResolver>>;
  /** URL prefixes whose routes must declare access. */
  guarded?: readonly string[];
}

async function accessPlugin(app: FastifyInstance, opts: AccessOptions): Promise<void> {
  const guarded = opts.guarded ?? ['/api/', '/open311/'];
  const policies: { method: string; url: string; access: Access }[] = [];
  app.decorate('accessPolicies', policies);
  app.decorateRequest('principal', null);
  app.decorateRequest('allowed', null as unknown as readonly Grant[]);

  app.addHook('onRoute', (route) => {
    if (!guarded.some((p) => route.url.startsWith(p))) return;
    if (
      route.method === 'HEAD' ||
      (Array.isArray(route.method) && route.method.every((m) => m === 'HEAD'))
    )
      return;
    const access = route.config?.access;
    if (!access)
      throw new Error(
        `Route ${String(route.method)} ${route.url} declares no access (config.access); every API route must.`,
      );
    if ('object' in access && access.object && access.roles === 'any') {
      throw new Error(
        `Route ${String(route.method)} ${route.url}: object scope needs explicit roles.`,
      );
    }
    for (const method of [route.method].flat()) policies.push({ method, url: route.url, access });
    // Say who may call the route in the OpenAPI document.
    const who =
      'public' in access
        ? 'public'
        : access.roles === 'any'
          ? 'any signed-in user'
          : access.roles.join(', ');
    const scope =
      'object' in access && access.object
        ? " (only objects inside the caller's places; others are 404)"
        : '';
    route.schema = {
      ...route.schema,
      description: [route.schema?.description, `Access: ${who}${scope}.`]
        .filter(Boolean)
        .join('\n\n'),
    };
  });

  app.addHook('onRequest', async (req) => {
    req.allowed = [];
    const access = req.routeOptions.config?.access;
    if (!access || 'public' in access) return;
    const header = req.headers.authorization;
    if (!header || !/^Bearer [A-Za-z0-9._~+/=-]+$/.test(header)) {
      throw new AppError(
        'unauthenticated',
        'Sign in first: send the access token as "Authorization: Bearer <token>".',
      );
    }
    const claims = await opts.tokens.verify(header.slice(7));
    // A signed token is not enough: its session must still stand, so a logout or a revoked refresh family ends access.
    const [live, grants] = await Promise.all([
      opts.sessionLive(claims.sid, claims.sub),
      opts.loadGrants(claims.sub),
    ]);
    if (!live)
      throw new AppError(
        'unauthenticated',
        'This session has ended (signed out or revoked); sign in again.',
      );
    if (!grants)
      throw new AppError('unauthenticated', 'This account is disabled or no longer exists.');
    req.principal = { userId: claims.sub, sessionId: claims.sid, grants };
    const matching =
      access.roles === 'any'
        ? grants
        : grants.filter((g) => (access.roles as readonly Role[]).includes(g.role));
    if (access.roles !== 'any' && matching.length === 0) {
      throw new AppError('forbidden', 'Your account does not have a role that may do this.');
    }
    req.allowed = matching;
  });

  // Object scope runs after validation, so params are well-formed before we look them up.
  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access || 'public' in access || !access.object) return;
    const ref = access.object(req);
    const resolve = opts.resolvers[ref.kind];
    if (!resolve) throw new Error(`No scope resolver for object kind "${ref.kind}"`);
    const paths = await resolve(ref.id);
    const covered = req.allowed.filter((g) => paths.some((p) => covers(g, p)));
    if (covered.length === 0)
      throw new AppError('not_found', `That ${ref.kind.replace('_', ' ')} was not found.`);
    req.allowed = covered;
  });
}

export const accessControl = fp(accessPlugin, { name: 'antnest-access' });
