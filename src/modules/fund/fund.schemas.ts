/** TypeBox schemas of the fund's routes. */
import { Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';

export const CommunityParams = Obj({ communityId: Id });
export const RoundParams = Obj({ roundId: Id });
export const CommunityRoundParams = Obj({ communityId: Id, roundId: Id });
export const SpendParams = Obj({ communityId: Id, spendId: Id });

const Title = Type.String({ minLength: 2, maxLength: 60, pattern: '\\S' });
const Fen = (max: number) => Type.Integer({ minimum: 1, maximum: max, description: 'fen' });

export const ProposalInput = Obj({
  title: Title,
  description: Type.String({ minLength: 5, maxLength: 2000, description: 'what, where, for whom' }),
  budgetFen: Fen(1_000_000_000),
});
const Status = Type.Enum(['open', 'in_round', 'selected', 'not_selected', 'funded']);
export const ProposalView = Obj({
  proposalId: Id,
  title: Type.String(),
  budgetFen: Type.Integer(),
  status: Status,
  supports: Type.Integer({ description: 'households that support it' }),
  createdAt: Timestamp,
});
export const ProposalParams = Obj({ proposalId: Id });
export const SupportInput = Obj({
  unitId: Type.Optional(Id),
});
export const HouseholdActsView = Type.Array(
  Obj({
    unitId: Id,
    supported: Type.Array(Id, { description: 'proposals this household supports' }),
    voted: Type.Array(Id, { description: 'rounds this household cast its ballot in' }),
  }),
);
export const SupportView = Obj({
  proposalId: Id,
  unitId: Id,
  supports: Type.Integer({ description: 'households that support it, this one included' }),
});
export const RoundInput = Obj({
  title: Title,
  budgetCapFen: Fen(10_000_000_000),
  opensAt: Type.String({ format: 'date-time' }),
  closesAt: Type.String({ format: 'date-time' }),
  minSupports: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 100_000,
      description: 'households that must support a proposal for it to enter (default 0)',
    }),
  ),
});
export const RoundView = Obj({
  roundId: Id,
  title: Type.String(),
  budgetCapFen: Type.Integer(),
  minSupports: Type.Integer(),
  opensAt: Timestamp,
  closesAt: Timestamp,
  talliedAt: Nullable(Timestamp),
  ballots: Type.Integer(),
  proposals: Type.Array(
    Obj({
      proposalId: Id,
      title: Type.String(),
      budgetFen: Type.Integer(),
      status: Status,
      supports: Type.Integer(),
      votes: Nullable(Type.Integer({ description: 'published after the tally' })),
    }),
  ),
});
export const BallotInput = Obj({
  proposalIds: Type.Array(Id, { minItems: 1, maxItems: 50 }),
  unitId: Type.Optional(Id),
});
export const BallotView = Obj({ roundId: Id, unitId: Id, proposalIds: Type.Array(Id) });
export const ReceiptParams = Obj({ receiptId: Id });
export const ReceiptFileView = Obj({
  receiptId: Id,
  contentType: Type.Enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
  size: Type.Integer({ description: 'bytes' }),
  sha256: Type.String({ description: 'hex digest of the file, to check a copy against' }),
  url: Type.String({ description: 'public: anyone may fetch it' }),
  uploadedAt: Timestamp,
});

export const SpendInput = Obj({
  proposalId: Id,
  amountFen: Fen(1_000_000_000),
  payee: Type.String({ minLength: 2, maxLength: 100, pattern: '\\S' }),
  receipt: Type.String({
    minLength: 2,
    maxLength: 100,
    pattern: '\\S',
    description: 'invoice or receipt number',
  }),
});
export const SpendView = Obj({
  spendId: Id,
  proposalId: Id,
  amountFen: Type.Integer(),
  payee: Type.String(),
  receipt: Type.String(),
  status: Type.Enum(['pending', 'executed']),
  requestedAt: Timestamp,
  executedAt: Nullable(Timestamp),
  entryId: Nullable(Type.String()),
});
export const PublicFundView = Obj({
  communityId: Id,
  communityName: Type.String(),
  balanceFen: Type.Integer(),
  income: Type.Array(Obj({ source: Type.String(), amountFen: Type.Integer() })),
  movements: Type.Array(
    Obj({
      entryId: Type.String(),
      at: Timestamp,
      kind: Type.String(),
      memo: Type.String(),
      source: Nullable(Type.String({ description: 'the hall the money came from' })),
      proposalId: Nullable(Type.String()),
      amountFen: Type.Integer(),
    }),
  ),
  projects: Type.Array(
    Obj({
      proposalId: Id,
      title: Type.String(),
      body: Type.String(),
      budgetFen: Type.Integer(),
      proposer: Type.Enum(['resident', 'office']),
      status: Status,
      supports: Type.Integer({ description: 'households that support it' }),
      votes: Nullable(Type.Integer()),
      payments: Type.Array(
        Obj({
          spendId: Id,
          amountFen: Type.Integer(),
          payee: Type.String(),
          receipt: Type.String(),
          status: Type.Enum(['pending', 'executed']),
          requestedAt: Timestamp,
          executedAt: Nullable(Timestamp),
          entryId: Nullable(Type.String()),
          files: Type.Array(ReceiptFileView, { description: 'receipt files (images, PDF)' }),
        }),
      ),
    }),
  ),
  rounds: Type.Array(RoundView),
});
