/**
 * The one error shape: `{ error: { code, message } }`. Caller mistakes become 4xx with
 * a message a person can act on; anything else is logged and answered with a 500 that
 * reveals nothing about the internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorCode } from '../errors.ts';

interface ValidationIssue {
  instancePath?: string;
  schemaPath?: string;
  message?: string;
  params?: Record<string, unknown>;
  keyword?: string;
}

/** Turn a schema failure into one sentence naming the field (TypeBox and Ajv error forms). */
function describeValidation(err: FastifyError): string {
  const issues = (err.validation ?? []) as ValidationIssue[];
  if (issues.length === 0) return err.message;
  const where = err.validationContext ?? 'request';
  const path = (i: ValidationIssue) =>
    (i.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const unknown = issues.find(
    (i) => i.keyword === 'additionalProperties' || i.schemaPath?.endsWith('/additionalProperties'),
  );
  if (unknown) {
    const listed =
      unknown.params?.['additionalProperties'] ?? unknown.params?.['additionalProperty'];
    const name = Array.isArray(listed)
      ? listed.join('", "')
      : listed !== undefined
        ? String(listed)
        : path(unknown).split('.').pop();
    return `Unknown field "${name}" in ${where}; remove it.`;
  }
  const first = issues[0]!;
  if (first.keyword === 'required') {
    const req = first.params?.['requiredProperties'] ?? first.params?.['missingProperty'];
    const names = Array.isArray(req) ? req.join('", "') : String(req);
    return `Missing required field "${names}" in ${where}${path(first) ? ` at ${path(first)}` : ''}.`;
  }
  return `Invalid ${where}${path(first) ? ` field "${path(first)}"` : ''}: ${first.message ?? 'does not match the schema'}.`;
}

/**
 * A unique or foreign-key violation that a service's own check missed (two requests racing)
 * is the caller's conflict, not a server error.
 */
function constraintViolation(err: unknown): string | null {
  const code = (err as { code?: unknown }).code;
  if (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505'
  ) {
    return 'This already exists (another request created it at the same time); reload and try again.';
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503') {
    return 'This refers to something that no longer exists; reload and try again.';
  }
  return null;
}

/**
 * PostgreSQL's class 22 (data exception: a number out of range, an invalid UUID or date,
 * a NUL in text) means a value the schema let through cannot be stored. The transaction
 * rolled back, so nothing is half-written; the caller gets a 400 rather than a 500. The
 * schemas and the NUL guard should catch these first; the log line says which slipped by.
 */
function dataException(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    /^22[0-9A-Z]{3}$/.test(code) &&
    typeof (err as { severity?: unknown }).severity === 'string'
  );
}

const byStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Install the error and not-found handlers on the root instance. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
      if (err.status >= 500) req.log.error({ err }, 'server error');
      return reply.status(err.status).send({ error: { code: err.code, message: err.message } });
    }
    const fe = err as FastifyError;
    const constraint = constraintViolation(err);
    if (constraint) {
      req.log.warn({ code: fe.code }, 'constraint violation answered as 409');
      return reply.status(409).send({ error: { code: 'conflict', message: constraint } });
    }
    if (dataException(err)) {
      req.log.warn(
        { code: fe.code, route: req.routeOptions.url },
        'database refused a value; answered as 400',
      );
      return reply.status(400).send({
        error: {
          code: 'validation_failed',
          message:
            'A value in the request cannot be stored (a number out of range or malformed text); check the fields against /docs and send again.',
        },
      });
    }
    if (fe.validation) {
      return reply
        .status(400)
        .send({ error: { code: 'validation_failed', message: describeValidation(fe) } });
    }
    const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = byStatus[status] ?? 'bad_request';
      const message =
        fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
          ? 'The request body is not valid JSON.'
          : fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? 'The request body is too large.'
            : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
              ? 'Send the body as application/json.'
              : fe.message;
      return reply.status(status).send({ error: { code, message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({
      error: {
        code: 'internal',
        message: 'Something went wrong on our side; the request was not applied. Try again later.',
      },
    });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({
      error: {
        code: 'not_found',
        message: `No route ${req.method} ${req.url.split('?')[0]}; see /docs for the API.`,
      },
    });
  });
}
