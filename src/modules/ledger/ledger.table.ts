/** The ledger's tables (issue 17, ADR 0025). Money is integer fen; entries are never updated. */

export const ACCOUNT_KINDS = [
  'hall_revenue',
  'operator',
  'partner',
  'community_fund',
  'community_venue',
  'platform',
  'locker_fees',
  'carrier_payable',
  'payment_clearing',
  'cash',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface LedgerAccountTable {
  /** Stable, derived from kind and owner, e.g. `community_fund:<communityId>`. */
  id: string;
  kind: AccountKind;
  community_id: string | null;
  hall_id: string | null;
  /** The partner agreement, community or hall the account belongs to. */
  owner_id: string | null;
  name: string;
  /** 1 = a transfer that would take the balance below zero is refused. */
  no_negative: number;
  /** Sum of the account's postings (credits positive), kept in step by every transfer. */
  balance: number;
  created_at: string;
}

export interface LedgerChainTable {
  id: string;
  seq: number;
  hash: string;
}

export interface LedgerEntryTable {
  /** The client-supplied transfer id: at most one entry per id. */
  id: string;
  seq: number;
  kind: string;
  community_id: string | null;
  hall_id: string | null;
  /** What the entry is about, e.g. hall_order + order id, fund_proposal + proposal id. */
  ref_kind: string | null;
  ref_id: string | null;
  memo: string;
  /** Business time (ISO-8601 UTC); periods are cut on it. */
  at: string;
  /** Hash of the request's content: the same id with other content is refused. */
  fingerprint: string;
  prev_hash: string;
  /** sha256(prev_hash + canonical content), see chain.ts. */
  hash: string;
  created_at: string;
}

export interface LedgerPostingTable {
  entry_id: string;
  line: number;
  account_id: string;
  /** Signed fen: positive credits the account, negative debits it; an entry's lines sum to 0. */
  amount: number;
}

export const RECIPIENTS = ['community_fund', 'community_venue', 'platform'] as const;
export type Recipient = (typeof RECIPIENTS)[number];
export type AppliesTo = 'service' | 'goods' | 'all';

export interface DistributionRuleTable {
  id: string;
  hall_id: string;
  position: number;
  recipient: Recipient;
  applies_to: AppliesTo;
  /** Basis points of the sale (500 = 5 %). */
  percent_bp: number;
  min_fen: number;
  max_fen: number | null;
  updated_by: string;
  updated_at: string;
}

export interface HallTermsTable {
  hall_id: string;
  /** All shares of the hall's operation; partners hold some, the operator the rest. */
  total_shares: number;
  /** Part of a period's profit paid out as dividends, in basis points. */
  payout_bp: number;
  updated_at: string;
}

export interface PartnerAgreementTable {
  id: string;
  hall_id: string;
  community_id: string;
  user_id: string;
  shares: number;
  invested_fen: number;
  /** YYYY-MM-DD (China time): the agreement earns from the first period that starts on or after it. */
  started_on: string;
  created_by: string;
  created_at: string;
}

export interface PeriodCloseTable {
  id: string;
  hall_id: string;
  /** YYYY-MM. */
  period: string;
  profit_fen: number;
  dividends_fen: number;
  entry_id: string | null;
  closed_by: string;
  closed_at: string;
}

export interface HallEmployeeTable {
  id: string;
  hall_id: string;
  name: string;
  job: string;
  /** 1 = lives in the hall's community (the model prefers local hires). */
  local_resident: number;
  started_on: string;
  created_at: string;
}

export interface LedgerTables {
  ledger_accounts: LedgerAccountTable;
  ledger_chain: LedgerChainTable;
  ledger_entries: LedgerEntryTable;
  ledger_postings: LedgerPostingTable;
  ledger_distribution_rules: DistributionRuleTable;
  ledger_hall_terms: HallTermsTable;
  partner_agreements: PartnerAgreementTable;
  ledger_period_closes: PeriodCloseTable;
  hall_employees: HallEmployeeTable;
}
