/**
 * The chart of accounts. Ids are derived from kind and owner so every module names the
 * same account the same way; an account is created the first time a transfer touches it.
 * Balances are signed: credits positive. Protected accounts (noNegative) hold money that
 * belongs to someone (the fund, a partner, the venue) and can never be overdrawn; the
 * clearing, cash and operator accounts may go below zero (they stand for money held by
 * the payment provider, paid out, or owed by the operator).
 */
import type { AccountKind } from './ledger.table.ts';

/** What a transfer needs to know to create an account on first use. */
export interface AccountSpec {
  id: string;
  kind: AccountKind;
  name: string;
  communityId: string | null;
  hallId: string | null;
  ownerId: string | null;
  noNegative: boolean;
}

const spec = (
  kind: AccountKind,
  owner: string | null,
  name: string,
  noNegative: boolean,
  where: { communityId?: string | null; hallId?: string | null } = {},
): AccountSpec => ({
  id: owner ? `${kind}:${owner}` : kind,
  kind,
  name,
  communityId: where.communityId ?? null,
  hallId: where.hallId ?? null,
  ownerId: owner,
  noNegative,
});

/** The chart of accounts, by owner. */
export const accounts = {
  /** Gross sales of a hall pass through here and are split out in the same entry. */
  hallRevenue: (hallId: string, communityId: string) =>
    spec('hall_revenue', hallId, '服务大厅营业收入', true, { hallId, communityId }),
  /** The hall's operator (the social organisation): the remainder of every sale, its profit base. */
  operator: (hallId: string, communityId: string) =>
    spec('operator', hallId, '运营方', false, { hallId, communityId }),
  /** A partner's dividends, one account per agreement. */
  partner: (agreementId: string, hallId: string, communityId: string) =>
    spec('partner', agreementId, '社区合伙人分红', true, { hallId, communityId }),
  /** The community development fund (社区发展基金). */
  communityFund: (communityId: string) =>
    spec('community_fund', communityId, '社区发展基金', true, { communityId }),
  /** The community's fee for the venue it provides. */
  communityVenue: (communityId: string) =>
    spec('community_venue', communityId, '社区场地费', true, { communityId }),
  /** Locker fees (overdue storage) collected in a community. */
  lockerFees: (communityId: string) =>
    spec('locker_fees', communityId, '快递柜费用', true, { communityId }),
  /**
   * Sending (寄件) freight paid by residents and owed to the carrier that carries it
   * (docs/ledger.md "Sending"): one account per carrier, across communities.
   */
  carrierPayable: (carrierId: string) =>
    spec('carrier_payable', carrierId, '快递公司运费（待结算）', true),
  /** The platform's share. */
  platform: () => spec('platform', null, '平台', true),
  /** Money the payment provider holds for us: debited when a customer pays, credited on refund. */
  paymentClearing: () => spec('payment_clearing', null, '支付清算', false),
  /** Money paid out of the system (project suppliers, partner withdrawals) in a community. */
  cash: (communityId: string) => spec('cash', communityId, '对外支付', false, { communityId }),
};
