/** SQL of the fund's receipt files. */
import type { Executor } from '../../db/database.ts';
import type { FundReceiptFileTable } from './fund.table.ts';

export type ReceiptRow = FundReceiptFileTable;
export type ReceiptMeta = Omit<ReceiptRow, 'data' | 'uploaded_by'>;

/** Store one receipt file. */
export async function insertReceipt(db: Executor, row: ReceiptRow): Promise<void> {
  await db.insertInto('fund_receipt_files').values(row).execute();
}

/** One receipt file with its bytes. */
export async function findReceipt(db: Executor, id: string): Promise<ReceiptRow | undefined> {
  return db.selectFrom('fund_receipt_files').selectAll().where('id', '=', id).executeTakeFirst();
}

/** How many files a payment has. */
export async function countOf(db: Executor, spendId: string): Promise<number> {
  const r = await db
    .selectFrom('fund_receipt_files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('spend_id', '=', spendId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The files of a community's payments (without bytes), oldest first. */
export async function receiptsOf(db: Executor, communityId: string): Promise<ReceiptMeta[]> {
  return db
    .selectFrom('fund_receipt_files')
    .select(['id', 'community_id', 'spend_id', 'content_type', 'size', 'sha256', 'created_at'])
    .where('community_id', '=', communityId)
    .orderBy('created_at')
    .execute();
}
