import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../../platform/auth/access.ts';
import { ADMIN_ROLES, STAFF_ROLES } from '../../../platform/auth/roles.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import type { ShelfListRow } from './hall-shelf.repository.ts';
import * as s from './overdue.schemas.ts';
import * as shelf from './hall-shelf.service.ts';
import * as service from './overdue.service.ts';
import * as policies from './overdue.policy.ts';

const security = [{ bearer: [] }];
const hallRoles = ['hall_staff', ...ADMIN_ROLES] as const;

/** The shelf item whitelist: where to fetch it and where it sits, nothing about the recipient. */
function presentShelfItem(r: ShelfListRow) {
  return {
    id: r.id,
    parcelId: r.parcel_id,
    status: r.status,
    slot: r.slot,
    lockerId: r.locker_id,
    compartment: r.compartment,
    inLocker: r.parcel_status === 'stored',
    createdAt: r.created_at,
    movedAt: r.moved_at,
    handedOverAt: r.handed_over_at,
  };
}

/** Overdue policy per community, the fee owed on a parcel, and the service hall's shelf of overdue parcels. */
export async function overdueRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const community = (req: { params: unknown }) => ({
    kind: 'community',
    id: (req.params as { communityId: string }).communityId,
  });
  const hall = (req: { params: unknown }) => ({
    kind: 'hall',
    id: (req.params as { hallId: string }).hallId,
  });

  app.get('/communities/:communityId/overdue-policy', {
    config: { access: { roles: STAFF_ROLES, object: community } },
    schema: {
      tags: ['parcels'],
      security,
      summary: 'The overdue policy of a community (defaults when none was set)',
      params: s.CommunityParams,
      response: { 200: s.PolicyView, ...errorResponses },
    },
    handler: async (req) => policies.policyFor(deps.db, req.params.communityId),
  });

  app.put('/communities/:communityId/overdue-policy', {
    config: { access: { roles: ADMIN_ROLES, object: community } },
    schema: {
      tags: ['parcels'],
      security,
      summary: 'Replace the overdue policy of a community (fees in integer fen)',
      params: s.CommunityParams,
      body: s.PolicyInput,
      response: { 200: s.PolicyView, ...errorResponses },
    },
    handler: async (req) => policies.savePolicy(deps, req.params.communityId, req.body),
  });

  app.get('/communities/:communityId/parcels/:parcelId/overdue', {
    config: { access: { roles: STAFF_ROLES, object: community } },
    schema: {
      tags: ['parcels'],
      security,
      summary: 'The overdue action taken on a parcel and the fee owed so far',
      params: s.CommunityParcelParams,
      response: { 200: s.OverdueStatusView, ...errorResponses },
    },
    handler: async (req) =>
      service.overdueStatus(deps, req.params.communityId, req.params.parcelId),
  });

  app.get('/halls/:hallId/overdue-policy', {
    config: { access: { roles: hallRoles, object: hall } },
    schema: {
      tags: ['hall'],
      security,
      summary:
        "The overdue policy of the hall's community (what the counter tells residents about fees)",
      params: s.HallParams,
      response: { 200: s.PolicyView, ...errorResponses },
    },
    handler: async (req) => policies.policyOfHall(deps, req.params.hallId),
  });

  app.get('/halls/:hallId/shelf', {
    config: { access: { roles: hallRoles, object: hall } },
    schema: {
      tags: ['hall'],
      security,
      summary: "The hall's overdue parcels: to fetch from lockers, on the shelf, handed over",
      params: s.HallParams,
      querystring: s.ShelfQuery,
      response: { 200: Type.Array(s.ShelfItemView), ...errorResponses },
    },
    handler: async (req) => {
      const rows = await shelf.listShelf(deps, req.params.hallId, {
        limit: req.query.limit ?? 100,
        offset: req.query.offset ?? 0,
        ...(req.query.status ? { status: req.query.status } : {}),
      });
      return rows.map(presentShelfItem);
    },
  });

  app.post('/halls/:hallId/shelf/:itemId/retrieve', {
    config: { access: { roles: hallRoles, object: hall } },
    schema: {
      tags: ['hall'],
      security,
      summary: "Open the parcel's compartment so staff can take it out",
      params: s.ShelfItemParams,
      response: { 202: s.RetrieveView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(202)
        .send(
          await shelf.retrieveForHall(
            deps,
            principalOf(req).userId,
            req.params.hallId,
            req.params.itemId,
          ),
        ),
  });

  app.post('/halls/:hallId/shelf/:itemId/shelve', {
    config: { access: { roles: hallRoles, object: hall } },
    schema: {
      tags: ['hall'],
      security,
      summary: 'Put the parcel on the shelf; the recipient is told where (same code)',
      params: s.ShelfItemParams,
      body: s.ShelveInput,
      response: { 200: s.ShelfItemView, ...errorResponses },
    },
    handler: async (req) =>
      presentShelfItem(
        await shelf.shelve(
          deps,
          principalOf(req).userId,
          req.params.hallId,
          req.params.itemId,
          req.body.slot,
        ),
      ),
  });

  app.post('/halls/:hallId/shelf/:itemId/hand-over', {
    config: { access: { roles: hallRoles, object: hall } },
    schema: {
      tags: ['hall'],
      security,
      summary: 'Hand the parcel over against its pickup code (wrong codes are throttled per hall)',
      params: s.ShelfItemParams,
      body: s.HandOverInput,
      response: { 200: s.ShelfItemView, ...errorResponses },
    },
    handler: async (req) =>
      presentShelfItem(
        await shelf.handOver(
          deps,
          principalOf(req).userId,
          req.params.hallId,
          req.params.itemId,
          req.body.code,
        ),
      ),
  });
}
