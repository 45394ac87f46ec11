/** Small helpers the places routes share: object references for access checks, paging defaults and who may do what. */
import type { FastifyRequest } from 'fastify';
import type { ObjectRef } from '../../platform/auth/access.ts';
import { ADMIN_ROLES, type Role, STAFF_ROLES } from '../../platform/auth/roles.ts';
import type { Page } from './places.repository.ts';

/** The object a route is about, read from a (validated) path parameter. */
export function byParam(kind: string, param: string): (req: FastifyRequest) => ObjectRef {
  return (req) => ({ kind, id: (req.params as Record<string, string>)[param] ?? '' });
}

/** Staff read places inside their scope. */
export function readers(kind: string, param: string) {
  return { roles: STAFF_ROLES, object: byParam(kind, param) };
}

/** Admins (community worker, subdistrict officer, operator admin) change places inside their scope. */
export function managers(kind: string, param: string) {
  return { roles: ADMIN_ROLES, object: byParam(kind, param) };
}

/** Staff plus extra roles (e.g. residents reading their own unit). */
export function staffAnd(extra: readonly Role[], kind: string, param: string) {
  return { roles: [...extra, ...STAFF_ROLES], object: byParam(kind, param) };
}

/** Paging from the query, with the defaults of platform/http/schemas.ts Paging. */
export function pageOf(q: { limit?: number; offset?: number }): Page {
  return { limit: q.limit ?? 100, offset: q.offset ?? 0 };
}

export const tags = ['places'];
export const security = [{ bearer: [] }];
