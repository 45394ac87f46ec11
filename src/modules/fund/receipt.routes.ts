/**
 * Receipt files of the fund's payments: the office uploads the bytes (Content-Type
 * image/jpeg|png|webp or application/pdf; the bytes' signature decides), anyone reads them.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../platform/auth/access.ts';
import { ADMIN_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import * as s from './fund.schemas.ts';
import {
  attachReceipt,
  MAX_RECEIPT_BYTES,
  presentReceipt,
  RECEIPT_TYPES,
  readReceipt,
} from './receipt.service.ts';

const tags = ['fund'];

/** Receipt routes (their own scope: a binary body parser with its own size limit). */
export async function receiptRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.addContentTypeParser(
    RECEIPT_TYPES,
    { parseAs: 'buffer', bodyLimit: MAX_RECEIPT_BYTES + 1 },
    (_req, body, done) => done(null, body),
  );

  app.post('/communities/:communityId/fund/spends/:spendId/receipts', {
    config: {
      access: {
        roles: ADMIN_ROLES,
        object: (req) => ({
          kind: 'community',
          id: (req.params as { communityId: string }).communityId,
        }),
      },
    },
    bodyLimit: MAX_RECEIPT_BYTES + 1,
    schema: {
      tags,
      security: [{ bearer: [] }],
      summary:
        'Attach a receipt file (JPEG, PNG, WebP or PDF, ≤ 4 MB, ≤ 10 per payment) to a payment; it is public with the payment',
      params: s.SpendParams,
      response: {
        201: s.ReceiptFileView,
        413: errorResponses[400],
        415: errorResponses[400],
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      if (req.body !== undefined && !Buffer.isBuffer(req.body))
        throw new AppError(
          'unsupported_media_type',
          `凭证请以 ${RECEIPT_TYPES.join('、')} 上传。 Send the file as ${RECEIPT_TYPES.join(', ')}.`,
        );
      const body = req.body ?? Buffer.alloc(0);
      const row = await attachReceipt(
        deps,
        req.params.communityId,
        req.params.spendId,
        principalOf(req).userId,
        body,
      );
      reply.code(201);
      return presentReceipt(row);
    },
  });

  app.get('/public/fund/receipts/:receiptId', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary: "A receipt file of the fund's spending (public)",
      params: s.ReceiptParams,
    },
    handler: async (req, reply) => {
      const r = await readReceipt(deps.db, req.params.receiptId);
      void reply.header('content-type', r.content_type);
      void reply.header('cache-control', 'public, max-age=86400, immutable');
      void reply.header('x-content-type-options', 'nosniff');
      // Shown in the page, never run: a PDF opens inline, nothing in it may script the site.
      void reply.header('content-security-policy', "default-src 'none'; sandbox");
      return reply.send(Buffer.from(r.data));
    },
  });
}
