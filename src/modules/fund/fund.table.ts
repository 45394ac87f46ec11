/** The community development fund's proposals, voting rounds, ballots and spending (issue 17). */
import type { Generated } from 'kysely';

export type ProposalStatus = 'open' | 'in_round' | 'selected' | 'not_selected' | 'funded';

export interface FundProposalTable {
  id: string;
  community_id: string;
  title: string;
  body: string;
  budget_fen: number;
  proposed_by: string;
  /** 'resident' or 'office' (the community itself proposes too). */
  proposer_kind: 'resident' | 'office';
  status: ProposalStatus;
  round_id: string | null;
  /** Households that chose it in its round (set at the tally). */
  votes: number;
  /** Households that support it before a round (kept with each support). */
  supports: number;
  /** Paid from the fund so far, in fen (instalments; never above budget_fen). */
  paid_fen: Generated<number>;
  created_at: string;
}

export interface FundRoundTable {
  id: string;
  community_id: string;
  title: string;
  budget_cap_fen: number;
  opens_at: string;
  closes_at: string;
  tallied_at: string | null;
  /** Ballots cast (set at the tally). */
  ballots: number;
  /** Supports a proposal needs to enter this round (0: every open proposal). */
  min_supports: number;
  created_by: string;
  created_at: string;
}

export interface FundBallotTable {
  id: string;
  round_id: string;
  /** The household: one ballot per unit and round (unique). */
  unit_id: string;
  user_id: string;
  created_at: string;
}

/** A household's support of a proposal before a round: one per unit and proposal. */
export interface FundSupportTable {
  proposal_id: string;
  unit_id: string;
  user_id: string;
  created_at: string;
}

export interface FundBallotChoiceTable {
  ballot_id: string;
  proposal_id: string;
}

export interface FundSpendTable {
  id: string;
  community_id: string;
  proposal_id: string;
  amount_fen: number;
  payee: string;
  /** Invoice / receipt reference, published with the spending. */
  receipt: string;
  status: 'pending' | 'executed';
  /** The first approval: whoever requests the payment. */
  requested_by: string;
  requested_at: string;
  /** The second approval, by another person of the office; executes the transfer. */
  approved_by: string | null;
  executed_at: string | null;
  entry_id: string | null;
}

/** A receipt file (image or PDF) of a payment, public with it. */
export interface FundReceiptFileTable {
  id: string;
  community_id: string;
  spend_id: string;
  /** Decided by the file's signature, not the uploader's word. */
  content_type: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  size: number;
  sha256: string;
  data: Buffer;
  uploaded_by: string;
  created_at: string;
}

export interface FundTables {
  fund_proposals: FundProposalTable;
  fund_rounds: FundRoundTable;
  fund_ballots: FundBallotTable;
  fund_ballot_choices: FundBallotChoiceTable;
  fund_supports: FundSupportTable;
  fund_spends: FundSpendTable;
  fund_receipt_files: FundReceiptFileTable;
}
