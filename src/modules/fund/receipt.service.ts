/**
 * Receipt files of the fund's spending: the community office attaches an image or PDF
 * (type decided by its signature, size capped) to a payment request; the public page lists
 * them with the payment and anyone may fetch them (the fund is spent in the open).
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { sniffFile } from '../../platform/http/file-type.ts';
import * as repo from './fund.repository.ts';
import * as receipts from './receipt.repository.ts';

/** Largest receipt file accepted (bytes): a phone photo or a scanned invoice. */
export const MAX_RECEIPT_BYTES = 4 * 1024 * 1024;
/** Files one payment may carry. */
export const MAX_RECEIPTS_PER_SPEND = 10;
/** What the upload route accepts as Content-Type (the bytes must agree). */
export const RECEIPT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];

type Deps = Pick<AppDeps, 'clock' | 'random'> & { db: Database };

/** Attach a receipt file to a payment request of the community. */
export async function attachReceipt(
  deps: Deps,
  communityId: string,
  spendId: string,
  userId: string,
  body: Buffer,
) {
  if (body.length === 0) throw new AppError('bad_request', '文件是空的。 The file is empty.');
  if (body.length > MAX_RECEIPT_BYTES)
    throw new AppError(
      'payload_too_large',
      `凭证文件不能超过 4 MB。 The file is larger than ${MAX_RECEIPT_BYTES} bytes.`,
    );
  const type = sniffFile(body);
  if (!type)
    throw new AppError(
      'unsupported_media_type',
      '凭证只支持 JPEG、PNG、WebP 图片或 PDF。 Only JPEG, PNG or WebP images or PDF files are accepted.',
    );
  return deps.db.transaction().execute(async (trx) => {
    const spend = await repo.findSpend(trx, spendId);
    if (!spend || spend.community_id !== communityId) throw notFound('That payment request');
    if ((await receipts.countOf(trx, spendId)) >= MAX_RECEIPTS_PER_SPEND)
      throw new AppError(
        'conflict',
        `每笔支出最多 ${MAX_RECEIPTS_PER_SPEND} 个凭证文件。 A payment carries at most ${MAX_RECEIPTS_PER_SPEND} files.`,
      );
    const row: receipts.ReceiptRow = {
      id: newId(deps.clock, deps.random),
      community_id: communityId,
      spend_id: spendId,
      content_type: type,
      size: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      data: body,
      uploaded_by: userId,
      created_at: iso(deps.clock.now()),
    };
    await receipts.insertReceipt(trx, row);
    return row;
  });
}

/** A receipt file for anyone (public, like the fund page that links it). */
export async function readReceipt(db: Database, id: string): Promise<receipts.ReceiptRow> {
  const r = await receipts.findReceipt(db, id);
  if (!r) throw notFound('That receipt file');
  return r;
}

/** What the public page and the office see of a file. */
export function presentReceipt(r: receipts.ReceiptMeta) {
  return {
    receiptId: r.id,
    contentType: r.content_type,
    size: r.size,
    sha256: r.sha256,
    url: `/api/v1/public/fund/receipts/${r.id}`,
    uploadedAt: r.created_at,
  };
}
