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
export { transfer, type TransferInput, type Entry } from './transfer.service.ts';
export { accounts, type AccountSpec } from './accounts.ts';
export { accountMovements, accountBalance } from './ledger.queries.ts';
export { verifyLedger, type VerifyReport } from './verify.service.ts';
