import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { LockerId } from '../../contract/common.ts';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses, Obj, Timestamp } from '../../platform/http/schemas.ts';
import type { CredentialRelay } from './credentials.runtime.ts';
import { presentLocker } from './locker.presenter.ts';
import { LockerView } from './locker.schemas.ts';
import { issueProvisioningToken, provisionLocker } from './provisioning.service.ts';
import { retireLocker } from './retirement.service.ts';

const LockerParams = Obj({ lockerId: LockerId });
const ProvisioningToken = Type.String({
  minLength: 20,
  maxLength: 256,
  pattern: '^[A-Za-z0-9._-]+$',
  description: 'The one-time token an administrator issued for this locker.',
});
const TokenIssued = Obj({
  token: Type.String({
    description:
      'Give it to the installer; it works once, until expiresAt, and a newer token replaces it.',
  }),
  expiresAt: Timestamp,
});
const RetireRequest = Obj({
  reason: Type.String({
    minLength: 4,
    maxLength: 200,
    description: 'Why the locker is retired; kept in the audit trail.',
  }),
  force: Type.Optional(
    Type.Boolean({
      description:
        'Retire even though compartments still hold or await parcels; they stay on record for staff to clear.',
    }),
  ),
});
const ProvisionRequest = Obj({ lockerId: LockerId, token: ProvisioningToken });
const Provisioned = Obj({
  lockerId: LockerId,
  mqttUsername: Type.String({
    description: 'The locker id; also the MQTT client id the locker must use.',
  }),
  mqttPassword: Type.String({
    description: 'The long-lived MQTT secret. Shown this once; store it on the locker.',
  }),
  brokerUrl: Type.Optional(
    Type.String({
      description:
        'The MQTT broker the locker connects to (mqtt:// or mqtts://, MQTT 3.1.1 or 5), when the operator configured one (MQTT_PUBLIC_URL).',
    }),
  ),
  topics: Obj({
    cmd: Type.String(),
    res: Type.String(),
    evt: Type.String(),
    state: Type.String(),
    status: Type.String(),
  }),
});

/**
 * A locker's credentials over its life: an admin issues a one-time token, the locker
 * exchanges it for its MQTT secret (again for a replaced board: a rotation), and an admin
 * retires it. Rotation and retirement revoke the old secret and its live session at once.
 */
export async function provisioningRoutes(
  root: FastifyInstance,
  { deps, credentials }: { deps: AppDeps; credentials: CredentialRelay },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['lockers'];

  app.post('/lockers/:lockerId/provisioning-token', {
    config: {
      access: {
        roles: ADMIN_ROLES,
        object: (req) => ({ kind: 'locker', id: (req.params as { lockerId: string }).lockerId }),
      },
    },
    schema: {
      tags,
      summary: 'Issue a one-time provisioning token for a locker (replaces any earlier token)',
      security: [{ bearer: [] }],
      params: LockerParams,
      response: { 201: TokenIssued, ...errorResponses },
    },
    handler: async (req, reply) => {
      const issued = await issueProvisioningToken(
        deps,
        principalOf(req).userId,
        req.params.lockerId,
      );
      return reply.status(201).header('cache-control', 'no-store').send(issued);
    },
  });

  app.post('/lockers/provision', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary: 'A locker exchanges its provisioning token for its MQTT credentials (once)',
      body: ProvisionRequest,
      response: { 200: Provisioned, ...errorResponses },
    },
    handler: async (req, reply) => {
      const provisioned = await provisionLocker(deps, credentials, { ...req.body, ip: req.ip });
      return reply.header('cache-control', 'no-store').send(provisioned);
    },
  });

  app.post('/lockers/:lockerId/retire', {
    config: {
      access: {
        roles: ADMIN_ROLES,
        object: (req) => ({ kind: 'locker', id: (req.params as { lockerId: string }).lockerId }),
      },
    },
    schema: {
      tags,
      summary:
        'Retire a locker: its secret stops at once, its live MQTT session is dropped, no more deposits; its history stays',
      security: [{ bearer: [] }],
      params: LockerParams,
      body: RetireRequest,
      response: { 200: LockerView, ...errorResponses },
    },
    handler: async (req) =>
      presentLocker(
        await retireLocker(
          deps,
          credentials,
          principalOf(req).userId,
          req.params.lockerId,
          req.body,
        ),
      ),
  });
}
