/**
 * A payment provider's notification route. Public (the provider has no account): the signature
 * over the exact body bytes is the authentication, so the route keeps the body as the raw string
 * it arrived as, and refuses a missing signature before anything reads the body.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.ts';
import { errorResponses, Obj } from '../http/schemas.ts';
import { SIGNATURE_HEADER } from './payment.port.ts';

export type CallbackResult = 'settled' | 'replay';

/** POST `url` for a provider's signed callbacks, answered by `deliver`. Register in its own plugin. */
export function signedCallbackRoute(
  root: FastifyInstance,
  opts: {
    url: string;
    tags: string[];
    summary: string;
    deliver: (callback: { body: string; signature: string }) => Promise<CallbackResult>;
  },
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.post(opts.url, {
    config: { access: { public: true } },
    schema: {
      tags: opts.tags,
      summary: opts.summary,
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
      return { result: await opts.deliver({ body: req.body, signature }) };
    },
  });
}
