/**
 * EMQX 5 HTTP authentication and authorization hooks, so an external broker cluster
 * checks devices against antnest with the same rules as the embedded broker. The broker
 * calls them, not people: they are public to the access layer and guarded by a shared
 * bearer secret derived from the token key. Answers are 200 `{ result: 'allow' | 'deny' }`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SERVICE_USERNAME } from '../../platform/mqtt/client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { identityProblem, mqttAclAllows, type MqttPrincipal } from '../../platform/mqtt/broker.ts';
import { lockerIdFromUsername } from '../../contract/topics.ts';
import { mqttAuthenticator } from './device-auth.service.ts';

/** The bearer secret the broker sends to the hooks: HMAC-SHA256(tokenKey, 'mqtt-hook'), base64url. */
export function mqttHookSecret(tokenKey: Buffer): string {
  return createHmac('sha256', tokenKey).update('mqtt-hook').digest('base64url');
}

// Open objects on purpose: an operator may add placeholders (peerhost, qos…) to the
// broker's request template, and a 400 would only turn into a confusing "ignore".
const Field = Type.String({ maxLength: 1024 });
const AuthRequest = Type.Object({ username: Field, password: Field, clientid: Field });
const AclRequest = Type.Object({
  username: Field,
  topic: Type.String({ maxLength: 65535 }),
  action: Type.String({
    maxLength: 32,
    description: 'publish or subscribe; anything else is denied',
  }),
  clientid: Field,
});
const Verdict = Type.Object(
  { result: Type.Union([Type.Literal('allow'), Type.Literal('deny')]) },
  { additionalProperties: false },
);

/** POST /mqtt/auth and /mqtt/acl for EMQX's HTTP authenticator and authorizer. */
export async function mqttAuthRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['mqtt broker hooks'];
  const expected = Buffer.from(`Bearer ${mqttHookSecret(deps.config.secrets.tokenKey)}`, 'utf8');
  const authenticate = mqttAuthenticator(deps.db, deps.config.secrets.tokenKey);

  // Runs before validation, so a caller without the secret learns nothing, not even the body's shape.
  const requireBroker = async (req: FastifyRequest): Promise<void> => {
    const given = Buffer.from(req.headers.authorization ?? '', 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError(
        'unauthenticated',
        'Only the MQTT broker may call this: send "Authorization: Bearer <hook secret>" (see docs/mqtt-brokers.md).',
      );
    }
  };

  app.post('/mqtt/auth', {
    config: { access: { public: true } },
    onRequest: requireBroker,
    schema: {
      tags,
      summary: 'Broker hook: may this client connect? (EMQX HTTP authentication)',
      body: AuthRequest,
      response: { 200: Verdict, ...errorResponses },
    },
    handler: async (req) => {
      const { username, password, clientid } = req.body;
      const deny = (reason: string) => {
        req.log.warn({ clientId: clientid, username, reason }, 'mqtt connection refused');
        return { result: 'deny' as const };
      };
      if (!username || !password) return deny('no username or password');
      const grant = await authenticate(username, Buffer.from(password, 'utf8'), clientid);
      if (!grant) return deny('bad username or password');
      const problem = identityProblem(grant.role, username, clientid);
      if (problem) return deny(problem);
      return { result: 'allow' as const };
    },
  });

  app.post('/mqtt/acl', {
    config: { access: { public: true } },
    onRequest: requireBroker,
    schema: {
      tags,
      summary:
        'Broker hook: may this client publish or subscribe to this topic? (EMQX HTTP authorization)',
      body: AclRequest,
      response: { 200: Verdict, ...errorResponses },
    },
    handler: async (req) => {
      const { username, topic, action } = req.body;
      // The broker authenticated the client already; its username says which rule applies.
      const who: MqttPrincipal | null =
        username === SERVICE_USERNAME
          ? { role: 'service', username }
          : lockerIdFromUsername(username)
            ? { role: 'device', username }
            : null;
      const allowed =
        who !== null &&
        (action === 'publish' || action === 'subscribe') &&
        mqttAclAllows(who, action, topic);
      if (!allowed)
        req.log.warn(
          { username, topic, action, reason: "outside the client's topics" },
          'mqtt access refused',
        );
      return { result: allowed ? ('allow' as const) : ('deny' as const) };
    },
  });
}
