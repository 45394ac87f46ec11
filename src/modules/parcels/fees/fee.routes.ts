/**
 * A parcel's overdue fee: the resident reads and pays it, staff waive it, and the payment
 * provider notifies the outcome (ADR 0028).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../../platform/auth/roles.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import { signedCallbackRoute } from '../../../platform/payment/callback.routes.ts';
import { paymentProvider } from '../../../platform/payment/payment.port.ts';
import type { FeeState } from './fee.policy.ts';
import * as s from './fee.schemas.ts';
import * as service from './fee.service.ts';

const tags = ['parcels'];
const security = [{ bearer: [] }];

/** The fee whitelist (the community is known to the caller already). */
const present = (f: FeeState) => ({
  parcelId: f.parcelId,
  status: f.status,
  owedFen: f.owedFen,
  settledFen: f.settledFen,
  settledAt: f.settledAt,
});

/** The resident's fee routes and the staff waiver. */
export async function feeRoutes(root: FastifyInstance, { deps }: { deps: AppDeps }): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/me/parcels/:parcelId/fee', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary: 'The overdue fee of my parcel (or one shared with me): owing, paid, waived or none',
      params: s.ParcelParams,
      response: { 200: s.FeeView, ...errorResponses },
    },
    handler: async (req) =>
      present(await service.myFee(deps, principalOf(req).userId, req.params.parcelId)),
  });

  app.post('/me/parcels/:parcelId/fee/payments', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary:
        'Pay the overdue fee my parcel owes now (one payment at a time; the parcel opens once it is paid)',
      params: s.ParcelParams,
      response: { 201: s.FeePaymentView, ...errorResponses },
    },
    handler: async (req, reply) => {
      const r = await service.payFee(deps, principalOf(req).userId, req.params.parcelId);
      return reply.status(201).send({ ...r, fee: present(r.fee) });
    },
  });

  app.post('/communities/:communityId/parcels/:parcelId/fee/waiver', {
    config: {
      access: {
        roles: ['hall_staff', ...ADMIN_ROLES],
        object: (req) => ({
          kind: 'community',
          id: (req.params as { communityId: string }).communityId,
        }),
      },
    },
    schema: {
      tags,
      security,
      summary: 'Waive the overdue fee a parcel owes (nothing is posted; the waiver is audited)',
      params: s.CommunityParcelParams,
      body: s.WaiverInput,
      response: { 200: s.FeeView, ...errorResponses },
    },
    handler: async (req) =>
      present(
        await service.waiveFee(
          deps,
          principalOf(req).userId,
          req.params.communityId,
          req.params.parcelId,
          req.body.reason.trim(),
        ),
      ),
  });
}

/** Where the payment provider notifies a fee payment's outcome (public; the signature authenticates). */
export async function feeCallbackRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  signedCallbackRoute(root, {
    url: `/payments/${paymentProvider(deps.config).name}/parcel-fee-callback`,
    tags,
    summary: "A payment provider notifies a parcel fee payment's outcome (signed; replays ignored)",
    deliver: (callback) => service.deliverFeeCallback(deps, callback),
  });
}
