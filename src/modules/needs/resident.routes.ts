/** The resident's side: file a request (app or kiosk), list and read their own, rate, reopen. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { findUserById } from '../identity/index.ts';
import { findHall, findUnit } from '../places/index.ts';
import type { InstitutionGateway } from './institution.adapter.ts';
import { fileNeed } from './intake.service.ts';
import { presentForResident } from './need.presenter.ts';
import { contextOf } from './need.query.service.ts';
import * as repo from './need.repository.ts';
import * as s from './need.schemas.ts';
import type { NeedRow } from './need.types.ts';
import { rate, reopen } from './resident.service.ts';

const security = [{ bearer: [] }];
const tags = ['needs'];
const residentOnly = { roles: ['resident'] as const };

/** Resident routes. */
export async function residentNeedRoutes(
  root: FastifyInstance,
  { deps, gateway }: { deps: AppDeps; gateway: InstitutionGateway },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const view = async (n: NeedRow) =>
    presentForResident(n, (await contextOf(deps.db, [n], true)).get(n.id)!);
  const own = async (userId: string, id: string) => {
    const n = await repo.findNeed(deps.db, id);
    if (!n || n.requester_id !== userId) throw notFound('That request');
    return n;
  };

  app.post('/me/needs', {
    config: { access: residentOnly },
    schema: {
      tags,
      security,
      summary: 'File a request to the community (app, or the hall kiosk with channel=kiosk)',
      body: s.ResidentIntake,
      response: { 201: s.NeedView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const p = principalOf(req);
      const homes = req.allowed.filter((g) => g.role === 'resident');
      const b = req.body;
      const unitId = b.unitId ?? (b.address ? undefined : homes[0]?.scopeId);
      let communityId = homes[0]?.communityId ?? null;
      if (b.unitId) {
        // A resident reports about a place in a community they live in (their own unit or a shared one).
        const u = await findUnit(deps.db, b.unitId);
        if (!u || !homes.some((g) => g.communityId === u.community_id)) throw notFound('That unit');
        communityId = u.community_id;
      }
      if (b.channel === 'kiosk') {
        const hall = b.hallId ? await findHall(deps.db, b.hallId) : undefined;
        if (!hall) throw new AppError('bad_request', 'A kiosk request names its hall (hallId).');
      }
      const user = await findUserById(deps.db, p.userId);
      const n = await fileNeed(deps, gateway, {
        channel: b.channel ?? 'app',
        serviceCode: b.serviceCode,
        description: b.description,
        attributes: b.attributes ?? {},
        unitId: unitId ?? null,
        communityId,
        address: b.address ?? null,
        hallId: b.channel === 'kiosk' ? (b.hallId ?? null) : null,
        photoIds: b.photoIds ?? [],
        requesterId: p.userId,
        requesterPhoneHash: user?.phone_hash ?? null,
        // A copy under the vault, so the assignee can call back even if the account changes its number.
        contactPhone: user?.phone_cipher ? deps.vault.decrypt(user.phone_cipher) : null,
        contactName: user?.display_name ?? null,
        actor: { userId: p.userId, kind: 'resident' },
      });
      reply.code(201);
      return view(n);
    },
  });

  app.get('/me/needs', {
    config: { access: residentOnly },
    schema: {
      tags,
      security,
      summary: 'My requests, newest first',
      querystring: s.MyQuery,
      response: { 200: s.NeedList, ...errorResponses },
    },
    handler: async (req) => {
      const rows = await repo.listNeeds(deps.db, {
        requesterId: principalOf(req).userId,
        limit: req.query.limit ?? 50,
        offset: req.query.offset ?? 0,
      });
      const ctx = await contextOf(deps.db, rows, true);
      return { items: rows.map((r) => presentForResident(r, ctx.get(r.id)!)) };
    },
  });

  app.get('/me/needs/:needId', {
    config: { access: residentOnly },
    schema: {
      tags,
      security,
      summary: 'One of my requests with its history',
      params: s.NeedParams,
      response: { 200: s.NeedView, ...errorResponses },
    },
    handler: async (req) => view(await own(principalOf(req).userId, req.params.needId)),
  });

  app.post('/me/needs/:needId/rating', {
    config: { access: residentOnly },
    schema: {
      tags,
      security,
      summary: 'Rate the answer (1–5) with a comment',
      params: s.NeedParams,
      body: s.RatingBody,
      response: { 200: s.NeedView, ...errorResponses },
    },
    handler: async (req) => {
      const me = principalOf(req).userId;
      await own(me, req.params.needId);
      return view(await rate(deps, req.params.needId, me, req.body.rating, req.body.comment));
    },
  });

  app.post('/me/needs/:needId/reopen', {
    config: { access: residentOnly },
    schema: {
      tags,
      security,
      summary: 'Reopen a closed or declined request within 7 days',
      params: s.NeedParams,
      body: s.ReasonBody,
      response: { 200: s.NeedView, ...errorResponses },
    },
    handler: async (req) => {
      const me = principalOf(req).userId;
      await own(me, req.params.needId);
      return view(await reopen(deps, req.params.needId, me, req.body.reason));
    },
  });
}
