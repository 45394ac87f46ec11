/** Request and view shapes of outgoing parcels. */
import { Type } from 'typebox';
import { Id, Obj, Timestamp } from '../../../platform/http/schemas.ts';

const Size = Type.Enum(['S', 'M', 'L', 'XL']);

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
