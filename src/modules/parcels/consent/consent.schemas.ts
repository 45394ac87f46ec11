import { Type } from 'typebox';
import { LOCKER_ID_PATTERN } from '../../../contract/index.ts';
import { Id, Nullable, Obj, Timestamp } from '../../../platform/http/schemas.ts';
import { PhoneInput } from '../../identity/identity.schemas.ts';

export const DELIVERY_MODES = ['locker', 'ask_first', 'door', 'hall'] as const;
export const CONSENT_STATUSES = ['pending', 'accepted', 'declined', 'expired'] as const;

export const Mode = Type.Enum([...DELIVERY_MODES], {
  description:
    'locker = put it in the locker; ask_first = ask me in the app each time; door = bring it to my door; hall = leave it at the service hall',
});
export const ConsentStatusSchema = Type.Enum([...CONSENT_STATUSES]);
const LockerId = Type.String({
  pattern: LOCKER_ID_PATTERN,
  description: 'Locker id, e.g. qsh-b01-u1',
});
/** Needed only when the courier works for more than one carrier. */
const CourierCarrier = Type.Optional(Id);

// ── the resident's side ─────────────────────────────────────────────────────

export const PreferencesInput = Obj({
  defaultMode: Mode,
  perCarrier: Type.Optional(
    Type.Array(Obj({ carrierId: Id, mode: Mode }), {
      maxItems: 50,
      description: 'Exceptions to the default, one per carrier; the whole set is replaced',
    }),
  ),
});

export const PreferencesView = Obj({
  defaultMode: Mode,
  perCarrier: Type.Array(Obj({ carrierId: Id, carrierName: Type.String(), mode: Mode })),
  updatedAt: Nullable(Timestamp),
});

export const ConsentListQuery = Obj({
  status: Type.Optional(ConsentStatusSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const ConsentParams = Obj({ requestId: Id });
export const Decision = Obj({
  accept: Type.Boolean({ description: 'true = put it in the locker; false = do not' }),
});

export const ConsentRequestView = Obj({
  id: Id,
  carrierId: Id,
  carrierName: Type.String(),
  lockerId: Type.String(),
  lockerName: Type.String(),
  waybillTail: Type.String({ description: 'Last 4 characters of the waybill number' }),
  status: ConsentStatusSchema,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  decidedAt: Nullable(Timestamp),
});

export const AliasInput = Obj({
  text: Type.String({
    minLength: 2,
    maxLength: 60,
    pattern: '^[^\\u0000-\\u001f]*$',
    description: 'e.g. 清淳家园 3栋2单元 蚁巢柜 — no flat number',
  }),
});
export const AliasView = Obj({ text: Nullable(Type.String()), updatedAt: Nullable(Timestamp) });

// ── the courier's side ──────────────────────────────────────────────────────

export const RecipientLookup = Obj({
  recipientPhone: PhoneInput,
  carrierId: CourierCarrier,
});

export const RecipientPreferenceView = Obj({
  mode: Type.Enum([...DELIVERY_MODES, 'unknown'], {
    description: 'unknown = no antnest account: consent is not on record, ask by phone or SMS',
  }),
  alias: Nullable(Type.String()),
  hasAccount: Type.Boolean(),
});

export const ConsentAsk = Obj({
  recipientPhone: PhoneInput,
  lockerId: LockerId,
  waybill: Type.String({
    pattern: '^[A-Za-z0-9-]{4,40}$',
    description: 'Waybill number; only its last 4 characters are kept',
  }),
  carrierId: CourierCarrier,
});

export const CourierConsentParams = Obj({ id: Id });
export const CourierConsentView = Obj({
  id: Id,
  status: ConsentStatusSchema,
  lockerId: Type.String(),
  waybillTail: Type.String(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  decidedAt: Nullable(Timestamp),
});
