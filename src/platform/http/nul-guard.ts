/**
 * Refuse any request whose body, query or path carries the NUL character (U+0000) before
 * it reaches validation, the object-scope checks (which read the database) or a
 * transaction (see `platform/text.ts`). Sign-in (onRequest) has run already.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { findNulText } from '../text.ts';

export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const parts = [['body', req.body], ['query', req.query], ['path', req.params]] as const;
    for (const [where, value] of parts) {
      const field = findNulText(value);
      if (field) throw new AppError('validation_failed', `The ${where} field "${field}" contains a NUL character (\\u0000); remove it and send again.`, { status: 400 });
    }
  });
}
