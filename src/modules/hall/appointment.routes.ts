/** Service appointments: the resident's slot picker and the console's appointments of a day. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import * as s from './appointment.schemas.ts';
import { appointmentDay, serviceSlots } from './appointment.service.ts';
import { shanghaiDay } from '../../platform/clock.ts';
import { residentHall } from './hall-context.service.ts';

const security = [{ bearer: [] }];
const tags = ['hall'];

/** Routes of service appointments (residents pick a slot; hall staff see the day). */
export async function appointmentRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/me/halls/:hallId/services/:catalogueItemId/slots', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary: "A service's appointment slots on a day (Asia/Shanghai) with their free places",
      params: s.ServiceParams,
      querystring: s.SlotDayQuery,
      response: { 200: s.ServiceSlotsView, ...errorResponses },
    },
    handler: async (req) => {
      await residentHall(deps.db, principalOf(req), req.params.hallId);
      return serviceSlots(deps, req.params.hallId, req.params.catalogueItemId, req.query.day);
    },
  });

  app.get('/halls/:hallId/appointments', {
    config: {
      access: {
        roles: ['hall_staff', ...ADMIN_ROLES],
        object: (req: { params: unknown }) => ({
          kind: 'hall',
          id: (req.params as { hallId: string }).hallId,
        }),
      },
    },
    schema: {
      tags,
      security,
      summary:
        "The hall's service appointments of a day (default today): service, time, order code, and the unit for a home visit",
      params: s.HallOnly,
      querystring: s.SlotDayQuery,
      response: { 200: s.AppointmentDayView, ...errorResponses },
    },
    handler: async (req) =>
      appointmentDay(deps, req.params.hallId, req.query.day ?? shanghaiDay(deps.clock.now())),
  });
}
