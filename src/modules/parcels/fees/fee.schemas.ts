/** Request and response shapes of a parcel's overdue fee (integer fen). */
import { Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../../platform/http/schemas.ts';

export const ParcelParams = Obj({ parcelId: Id });
export const CommunityParcelParams = Obj({ communityId: Id, parcelId: Id });

export const FeeView = Obj({
  parcelId: Id,
  status: Type.Enum(['none', 'owing', 'paid', 'waived'], {
    description: 'owing: the parcel stays shut until the fee is paid (or waived by staff)',
  }),
  owedFen: Type.Integer({ minimum: 0, description: 'what to pay now (0 unless owing)' }),
  settledFen: Nullable(Type.Integer({ minimum: 0 })),
  settledAt: Nullable(Timestamp),
});

export const FeePaymentView = Obj({
  paymentId: Id,
  status: Type.Enum(['pending', 'paid', 'failed']),
  fee: FeeView,
});

export const WaiverInput = Obj({
  reason: Type.String({
    minLength: 2,
    maxLength: 200,
    pattern: '^[^\\u0000-\\u001f]*\\S[^\\u0000-\\u001f]*$',
    description: 'why the fee is waived (kept in the audit trail)',
  }),
});
