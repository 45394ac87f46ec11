/**
 * The ledger's public entry (issue 17, docs/ledger.md). Other modules post money only
 * through these functions, inside their own transaction, each with a client transfer id.
 */
export {
  recordSale,
  recordRefund,
  recordLockerFee,
  type SaleInput,
  type RefundInput,
  type LockerFeeInput,
} from './posting.service.ts';
export {
  recordSendingPayment,
  recordSendingRefund,
  type SendingInput,
} from './sending-posting.service.ts';
export { transfer, type TransferInput, type Entry } from './transfer.service.ts';
export { accounts, type AccountSpec } from './accounts.ts';
export { accountMovements, accountBalance } from './account-read.repository.ts';
export { verifyLedger, type VerifyReport } from './verify.service.ts';
export { onEntryPosted, type EntryPostedHandler, type PostedEntry } from './ledger.events.ts';
