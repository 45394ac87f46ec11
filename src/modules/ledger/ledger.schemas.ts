/** TypeBox schemas of the ledger's routes: the response schemas are the whitelist. */
import { Type } from 'typebox';
import { Id, Name, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';
/** Who a distribution rule can pay (ledger.table.ts Recipient); the operator gets the rest. */
const RECIPIENTS = ['community_fund', 'community_venue', 'platform'] as const;

const Fen = (max: number, description: string) =>
  Type.Integer({ minimum: 0, maximum: max, description });

export const HallParams = Obj({ hallId: Id });
export const AgreementParams = Obj({ hallId: Id, agreementId: Id });

export const RuleView = Obj({
  recipient: Type.Enum([...RECIPIENTS], {
    description: 'who gets this part; the operator gets the rest',
  }),
  appliesTo: Type.Enum(['service', 'goods', 'all']),
  percentBp: Type.Integer({ minimum: 0, maximum: 10_000, description: 'basis points: 500 = 5 %' }),
  minFen: Fen(100_000_000, 'at least this many fen per sale (when the sale can pay it)'),
  maxFen: Nullable(Fen(100_000_000, 'at most this many fen per sale; null = no cap')),
});
export const FinanceView = Obj({
  rules: Type.Array(RuleView),
  totalShares: Nullable(Type.Integer()),
  payoutBp: Nullable(Type.Integer()),
});
export const FinanceInput = Obj({
  rules: Type.Array(RuleView, { maxItems: 10 }),
  totalShares: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  payoutBp: Type.Integer({
    minimum: 0,
    maximum: 10_000,
    description: 'part of profit paid as dividends',
  }),
});

export const BalanceView = Obj({
  accountId: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  protected: Type.Boolean(),
  balanceFen: Type.Integer(),
});
export const JournalQuery = Obj({
  kind: Type.Optional(
    Type.Enum(['sale', 'refund', 'dividend', 'locker_fee', 'fund_spend', 'correction']),
  ),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});
export const EntryView = Obj({
  entryId: Type.String(),
  seq: Type.Integer(),
  kind: Type.String(),
  at: Timestamp,
  memo: Type.String(),
  ref: Nullable(Obj({ kind: Type.String(), id: Type.String() })),
  hash: Type.String(),
  lines: Type.Array(Obj({ accountId: Type.String(), amountFen: Type.Integer() })),
});
export const LedgerView = Obj({
  balances: Type.Array(BalanceView),
  entries: Type.Array(EntryView),
});

export const AgreementInput = Obj({
  userId: Id,
  shares: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  investedFen: Fen(10_000_000_000, 'amount invested, in fen'),
  startedOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' }),
});
export const AgreementView = Obj({
  agreementId: Id,
  userId: Id,
  partnerName: Type.String(),
  shares: Type.Integer(),
  investedFen: Type.Integer(),
  startedOn: Type.String(),
});
export const StatementView = Obj({
  agreementId: Id,
  hallId: Id,
  hallName: Type.String(),
  partnerName: Type.String(),
  shares: Type.Integer(),
  totalShares: Type.Integer(),
  investedFen: Type.Integer(),
  startedOn: Type.String(),
  balanceFen: Type.Integer(),
  dividendsFen: Type.Integer(),
  lines: Type.Array(
    Obj({
      entryId: Type.String(),
      at: Timestamp,
      kind: Type.String(),
      memo: Type.String(),
      amountFen: Type.Integer(),
      balanceFen: Type.Integer(),
    }),
  ),
});
export const MyStatementQuery = Obj({ agreementId: Id });

export const CloseInput = Obj({
  period: Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM (China time)' }),
});
export const CloseView = Obj({
  period: Type.String(),
  profitFen: Type.Integer(),
  dividendsFen: Type.Integer(),
  entryId: Nullable(Type.String()),
  closedAt: Timestamp,
});
export const CloseResultView = Obj({
  ...CloseView.properties,
  partners: Type.Array(
    Obj({ agreementId: Id, shares: Type.Integer(), dividendFen: Type.Integer() }),
  ),
});

export const EmployeeInput = Obj({
  name: Name,
  job: Name,
  localResident: Type.Boolean({ description: 'lives in the hall’s community' }),
  startedOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
});
export const EmployeeReport = Obj({
  employees: Type.Array(
    Obj({
      id: Id,
      name: Type.String(),
      job: Type.String(),
      localResident: Type.Boolean(),
      startedOn: Type.String(),
    }),
  ),
  total: Type.Integer(),
  localResidents: Type.Integer(),
  localShareBp: Type.Integer({ description: 'local residents / all, in basis points' }),
});
