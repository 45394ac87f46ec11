import { Type } from 'typebox';
import { PhoneInput } from '../identity/index.ts';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';

const Size = Type.Enum(['S', 'M', 'L', 'XL']);

export const NeighbourDepositRequest = Obj({
  recipientPhone: PhoneInput,
  size: Size,
  note: Type.Optional(
    Type.String({
      maxLength: 60,
      description:
        'A short note for the neighbour, sent with the code (one line; brackets are dropped)',
    }),
  ),
});

export const OutgoingRequest = Obj({
  carrierId: Id,
  size: Size,
});

/** What a carrier's courier sees of an outgoing parcel: where it is, never who sent it. */
export const OutgoingView = Obj({
  parcelId: Id,
  lockerId: Type.String(),
  lockerName: Type.String(),
  address: Type.String({ description: 'compound and locker site' }),
  compartment: Type.Integer(),
  size: Type.String(),
  storedAt: Type.Union([Timestamp, Type.Null()]),
});

/** What a courier sees of an overdue delivery to take back: an outgoing parcel's fields plus its waybill, never the recipient. */
export const ReturnView = Obj({
  ...OutgoingView.properties,
  waybill: Nullable(Type.String()),
  overdueAt: Timestamp,
});
