import { Type } from 'typebox';
import { LockerIdParam } from '../../lockers/locker.schemas.ts';
import { Id, Nullable, Obj, Timestamp } from '../../../platform/http/schemas.ts';
import { PhoneInput } from '../../identity/identity.schemas.ts';

export const DepositRequest = Obj({
  waybill: Type.String({
    minLength: 4,
    maxLength: 40,
    pattern: '^[A-Za-z0-9-]+$',
    description: 'The carrier waybill number (运单号)',
  }),
  recipientPhone: PhoneInput,
  size: Type.Enum(['S', 'M', 'L', 'XL']),
  kind: Type.Optional(
    Type.Enum(['delivery', 'takeout'], {
      description: 'takeout: riders only, food compartments, short dwell',
    }),
  ),
  together: Type.Optional(
    Type.Boolean({
      description:
        'put it in beside the parcel you already left here for the same recipient (same compartment, same code) when it fits',
    }),
  ),
});

export const ScreenSignIn = Obj({
  qr: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'the text of the QR code on the locker screen',
  }),
});

export const ScreenSessionView = Obj({
  lockerId: Type.String(),
  lockerName: Type.String(),
  courier: Type.String({ description: 'what the screen shows: carrier and masked name' }),
  expiresAt: Timestamp,
});

export const DepositView = Obj({
  parcelId: Id,
  lockerId: Type.String(),
  compartment: Type.Integer(),
  status: Type.String(),
  reservedUntil: Nullable(Timestamp),
  commandId: Type.String(),
  together: Type.Boolean({
    description: 'true when it went in beside an earlier parcel for the same recipient',
  }),
});

/** What a courier sees of a parcel: never the full phone, never a flat. */
export const CourierParcelView = Obj({
  parcelId: Id,
  lockerId: Type.String(),
  compartment: Type.Integer(),
  kind: Type.String(),
  size: Type.String(),
  status: Type.String({ description: 'reserved | stored | picked_up | cancelled' }),
  waybill: Nullable(Type.String()),
  recipientPhone: Nullable(Type.String({ description: 'masked, 138****1234' })),
  createdAt: Timestamp,
  storedAt: Nullable(Timestamp),
  placeName: Type.String({
    description:
      'where, as a person says it: compound, site and the number on the cabinet when a door has several ("清淳家园 1栋1单元门口")',
  }),
  outcome: Type.Optional(
    Type.Enum(
      [
        'opening',
        'opened',
        'stored',
        'closed_empty',
        'door_jammed',
        'no_answer',
        'lapsed',
        'picked_up',
        'other',
      ],
      {
        description:
          'one deposit only (GET /courier/parcels/{id}): what really happened — opening, opened (put it in and shut the door), stored, closed_empty / door_jammed / no_answer / lapsed (cancelled, and why)',
      },
    ),
  ),
});

/** What the recipient sees of their own parcel, code included. */
export const MyParcelView = Obj({
  parcelId: Id,
  kind: Type.String(),
  status: Type.String(),
  lockerId: Type.String(),
  lockerName: Type.String(),
  address: Type.String({ description: 'community, compound and locker site' }),
  compartment: Type.Integer(),
  code: Nullable(Type.String({ description: 'the 8-digit pickup code; only while stored' })),
  carrier: Nullable(Type.String()),
  storedAt: Nullable(Timestamp),
  freeUntil: Nullable(Timestamp),
  codeExpiresAt: Nullable(Timestamp),
  pickedUpAt: Nullable(Timestamp),
  disinfectedAt: Nullable(Timestamp),
  hall: Nullable(
    Obj(
      {
        name: Type.String(),
        address: Type.String(),
        slot: Nullable(Type.String({ description: 'shelf slot; null while staff carry it over' })),
      },
      {
        description:
          'where an overdue parcel moved to the service hall is (status at_hall); pick it up there with the same code',
      },
    ),
  ),
  access: Type.Enum(['recipient', 'shared'], {
    description: 'recipient: addressed to me; shared: a family member shared its pickup with me',
  }),
});

/** What I deposited for a neighbour or sent with a carrier. */
export const SentParcelView = Obj({
  parcelId: Id,
  kind: Type.String({ description: 'neighbour | outgoing' }),
  status: Type.String(),
  lockerId: Type.String(),
  lockerName: Type.String(),
  address: Type.String(),
  compartment: Type.Integer(),
  recipientPhone: Nullable(Type.String({ description: 'masked; neighbour deposits only' })),
  carrier: Nullable(Type.String({ description: 'outgoing only' })),
  createdAt: Timestamp,
  storedAt: Nullable(Timestamp),
  pickedUpAt: Nullable(Timestamp),
});

export const ParcelEventView = Obj({
  type: Type.String(),
  source: Type.String(),
  at: Timestamp,
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export const ParcelParams = Obj({ parcelId: Id });
export const LockerParams = Obj({ lockerId: LockerIdParam });
export const MyParcelsQuery = Obj({ include: Type.Optional(Type.Enum(['live', 'recent'])) });
export const SinceQuery = Obj({
  since: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export const NotificationView = Obj({ id: Id, body: Type.String(), createdAt: Timestamp });
