/**
 * The hall front desk: staff enter a request for a resident or a walk-in without an
 * account (name + phone, stored through the phone vault). A phone that belongs to an
 * account links the request to it, so it shows in that resident's app too.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import { parsePhone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { findUserByPhoneHash } from '../identity/index.ts';
import { findHall, findUnit } from '../places/index.ts';
import type { InstitutionGateway } from './institution.adapter.ts';
import { fileNeed } from './intake.service.ts';
import { presentForStaff } from './need.presenter.ts';
import { contextOf } from './need.query.service.ts';
import * as s from './need.schemas.ts';

const hall = (req: FastifyRequest) => ({
  kind: 'hall',
  id: (req.params as { hallId: string }).hallId,
});

/** Front-desk intake route. */
export async function deskRoutes(
  root: FastifyInstance,
  { deps, gateway }: { deps: AppDeps; gateway: InstitutionGateway },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/halls/:hallId/needs', {
    config: { access: { roles: ['hall_staff', ...ADMIN_ROLES], object: hall } },
    schema: {
      tags: ['needs'],
      security: [{ bearer: [] }],
      summary: 'Front desk: file a request for a resident or a walk-in (name + phone)',
      params: s.HallParams,
      body: s.DeskIntake,
      response: { 201: s.StaffNeedView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const phone = parsePhone(b.contactPhone);
      if (!phone)
        throw new AppError(
          'bad_request',
          '手机号格式不对。The phone number must be an 11-digit mainland mobile number.',
        );
      const h = (await findHall(deps.db, req.params.hallId))!;
      if (b.unitId) {
        const u = await findUnit(deps.db, b.unitId);
        if (!u || u.community_id !== h.community_id) throw notFound('That unit');
      }
      const account = await findUserByPhoneHash(deps.db, deps.vault.hash(phone));
      const me = principalOf(req).userId;
      const n = await fileNeed(deps, gateway, {
        channel: 'desk',
        serviceCode: b.serviceCode,
        description: b.description,
        attributes: b.attributes ?? {},
        unitId: b.unitId ?? null,
        communityId: h.community_id,
        address: b.address ?? (b.unitId ? null : h.name),
        hallId: h.id,
        photoIds: b.photoIds ?? [],
        requesterId: account?.status === 'active' ? account.id : null,
        contactName: b.contactName,
        contactPhone: phone,
        enteredBy: me,
        actor: { userId: me, kind: 'staff' },
      });
      reply.code(201);
      return presentForStaff(
        n,
        (await contextOf(deps.db, [n], true)).get(n.id)!,
        deps.vault,
        deps.clock.now(),
      );
    },
  });
}
