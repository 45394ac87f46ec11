/**
 * Where a payment provider posts its notifications. Public (the provider has no account):
 * the signature over the exact body bytes is the authentication, so this plugin keeps the
 * body as the raw string it arrived as instead of parsing it.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { errorResponses, Obj } from '../../platform/http/schemas.ts';
import { deliverCallback } from './payment.callback.ts';
import { paymentProvider } from './payment.port.ts';

/** The signature header of the local provider (a WeChat Pay adapter reads Wechatpay-Signature instead). */
export const SIGNATURE_HEADER = 'x-antnest-signature';

/** POST /payments/<provider>/callback, for the configured provider. */
export async function paymentRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  const provider = paymentProvider(deps.config).name;
  app.post(`/payments/${provider}/callback`, {
    config: { access: { public: true } },
    schema: {
      tags: ['hall'],
      summary:
        'A payment provider notifies a payment outcome (signed; replays are answered and ignored)',
      body: Type.String({ minLength: 2, maxLength: 8192 }),
      response: { 200: Obj({ result: Type.Enum(['settled', 'replay']) }), ...errorResponses },
    },
    handler: async (req) => {
      const signature = req.headers[SIGNATURE_HEADER];
      if (typeof signature !== 'string')
        throw new AppError(
          'unauthenticated',
          `The callback has no ${SIGNATURE_HEADER} header; it was refused.`,
        );
      return { result: await deliverCallback(deps, { body: req.body, signature }) };
    },
  });
}
