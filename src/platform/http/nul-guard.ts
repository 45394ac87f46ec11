/**
 * The text rule at the HTTP door (see `platform/text.ts`): a JSON body nested deeper than
 * MAX_JSON_DEPTH is refused as it is parsed, before anything walks it; then any body, query
 * or path carrying NUL, a control character or a bidi control is refused with a 400 naming
 * the field, before validation, the object-scope checks (which read the database) or a
 * transaction. Sign-in (onRequest) has run already.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { describeTextProblem, findBadText, jsonNestedDeeperThan, MAX_JSON_DEPTH } from '../text.ts';

/** Install the depth-checking JSON parser and the text guard on the root instance. */
export function installNulGuard(app: FastifyInstance): void {
  // Fastify's own parser (with its prototype-poisoning checks), behind a one-pass depth count.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonNestedDeeperThan(body as string, MAX_JSON_DEPTH)) {
      done(
        new AppError(
          'validation_failed',
          `The request body is JSON nested deeper than ${MAX_JSON_DEPTH} levels; flatten it and send again.`,
          { status: 400 },
        ),
        undefined,
      );
      return;
    }
    parseJson(req, body as string, done);
  });
  app.addHook('preValidation', async (req) => {
    const parts = [
      ['body', req.body],
      ['query', req.query],
      ['path', req.params],
    ] as const;
    for (const [where, value] of parts) {
      const problem = findBadText(value);
      if (problem)
        throw new AppError('validation_failed', describeTextProblem(problem, where), {
          status: 400,
        });
    }
  });
}
