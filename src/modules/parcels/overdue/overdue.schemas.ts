import { Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../../platform/http/schemas.ts';
import { OutgoingView } from '../outgoing/outgoing.schemas.ts';

const Fen = (max: number, description: string) =>
  Type.Integer({ minimum: 0, maximum: max, description });

export const OVERDUE_ACTIONS = ['move_to_hall', 'capped_fee', 'return_to_courier'] as const;
export const SHELF_STATUSES = ['to_move', 'on_shelf', 'handed_over'] as const;

export const CommunityParams = Obj({ communityId: Id });
export const CommunityParcelParams = Obj({ communityId: Id, parcelId: Id });
export const HallParams = Obj({ hallId: Id });
export const ShelfItemParams = Obj({ hallId: Id, itemId: Id });

export const PolicyInput = Obj({
  freeHours: Type.Integer({ minimum: 1, maximum: 720, description: 'Hours of free storage' }),
  reminderHoursBefore: Type.Integer({
    minimum: 0,
    maximum: 168,
    description: 'Remind this many hours before free storage ends; 0 = no reminder',
  }),
  action: Type.Enum([...OVERDUE_ACTIONS], {
    description:
      'After free storage: move to the service hall, charge a capped fee, or return to the carrier',
  }),
  feePerDayFen: Fen(100_000, 'Fee per started day, in fen (capped_fee)'),
  feeCapFen: Fen(1_000_000, 'The fee never exceeds this, in fen; 0 = no fee'),
  retentionDays: Type.Integer({
    minimum: 1,
    maximum: 3650,
    description: 'Days after a parcel finishes before its personal data is blanked',
  }),
});

export const PolicyView = Obj({
  communityId: Id,
  freeHours: Type.Integer(),
  reminderHoursBefore: Type.Integer(),
  action: Type.Enum([...OVERDUE_ACTIONS]),
  feePerDayFen: Type.Integer(),
  feeCapFen: Type.Integer(),
  retentionDays: Type.Integer(),
  updatedAt: Nullable(Timestamp),
});

export const OverdueStatusView = Obj({
  parcelId: Id,
  status: Type.String(),
  freeUntil: Nullable(Timestamp),
  action: Nullable(Type.Enum([...OVERDUE_ACTIONS])),
  feeFen: Type.Integer({ description: 'Fee owed so far, in fen' }),
  feeCapFen: Type.Integer(),
});

export const ShelfQuery = Obj({
  status: Type.Optional(Type.Enum([...SHELF_STATUSES])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});

export const ShelfItemView = Obj({
  id: Id,
  parcelId: Id,
  status: Type.Enum([...SHELF_STATUSES]),
  slot: Nullable(Type.String()),
  lockerId: Type.String(),
  compartment: Type.Integer(),
  inLocker: Type.Boolean({
    description: 'still in its compartment; false once the door opened for staff to take it out',
  }),
  createdAt: Timestamp,
  movedAt: Nullable(Timestamp),
  handedOverAt: Nullable(Timestamp),
});

export const ShelveInput = Obj({
  slot: Type.String({
    minLength: 1,
    maxLength: 20,
    pattern: '^[A-Za-z0-9-]+$',
    description: 'Shelf position, e.g. A-03',
  }),
});
export const HandOverInput = Obj({
  code: Type.String({ pattern: '^[0-9]{8}$', description: 'The pickup code the resident shows' }),
});
export const RetrieveView = Obj({ commandId: Type.String() });

/** What a courier sees of an overdue delivery to take back: an outgoing parcel's fields plus its waybill, never the recipient. */
export const ReturnView = Obj({
  ...OutgoingView.properties,
  waybill: Nullable(Type.String()),
  overdueAt: Timestamp,
});
