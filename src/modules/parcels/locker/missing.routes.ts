/** Staff record where a missing parcel went, resolving its `parcel_missing` alert (ADR 0041). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { objectParam, principalOf } from '../../../platform/auth/access.ts';
import { STAFF_ROLES } from '../../../platform/auth/roles.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import * as s from './missing.schemas.ts';
import { recordMissingOutcome } from './missing.service.ts';

export async function missingParcelRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/alerts/:alertId/missing-parcels', {
    // Whoever may resolve the alert (its locker's area) may record the outcome.
    config: {
      access: {
        roles: STAFF_ROLES,
        object: objectParam('alert', 'alertId'),
      },
    },
    schema: {
      tags: ['parcels'],
      security: [{ bearer: [] }],
      summary:
        'Record where the parcels of a parcel_missing alert went (found inside, handed over, lost) and resolve the alert',
      params: s.AlertParams,
      body: s.MissingOutcomeInput,
      response: { 200: s.MissingOutcomeView, ...errorResponses },
    },
    handler: async (req) =>
      recordMissingOutcome(
        deps,
        principalOf(req).userId,
        req.params.alertId,
        req.body.outcome,
        req.body.note,
      ),
  });
}
