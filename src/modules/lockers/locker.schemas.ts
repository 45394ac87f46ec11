import { Type } from 'typebox';
import { LOCKER_ID_PATTERN } from '../../contract/index.ts';
import { Id, Name, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';
import { PlaceLabelView } from '../places/places.schemas.ts';
import { UvCycleView } from './uv.schemas.ts';

export const LockerIdParam = Type.String({
  pattern: LOCKER_ID_PATTERN,
  description: 'Locker id as used in MQTT topics, e.g. qsh-b01-u1',
});

export const CompartmentSpec = Obj({
  number: Type.Integer({ minimum: 1, maximum: 255 }),
  size: Type.Enum(['S', 'M', 'L', 'XL']),
  kind: Type.Enum(['normal', 'food', 'cold']),
});

export const CreateLocker = Obj({
  id: LockerIdParam,
  name: Name,
  compartments: Type.Array(CompartmentSpec, { minItems: 1, maxItems: 255 }),
});

export const CompartmentView = Obj({
  number: Type.Integer(),
  size: Type.String(),
  kind: Type.String(),
  use: Type.String({ description: 'free | reserved | occupied | out_of_service' }),
  door: Type.String({ description: 'open | closed | unknown (as last reported)' }),
  occupied: Type.String({ description: 'yes | no | unknown (occupancy sensor)' }),
  uv: Type.String({ description: 'off | running' }),
  uvResult: Nullable(Type.String()),
  lastDisinfectedAt: Nullable(Timestamp),
  lastCycle: Nullable(UvCycleView),
});

export const LockerView = Obj({
  id: Type.String(),
  name: Type.String(),
  communityId: Type.String(),
  siteId: Type.String(),
  status: Type.String({ description: 'provisioning | active | retired' }),
  presence: Type.String({ description: 'online | offline | unknown' }),
  presenceChangedAt: Nullable(Timestamp),
  lastSeenAt: Nullable(Timestamp),
  agentVersion: Nullable(Type.String()),
  reportedRevision: Type.Integer(),
  lastSeq: Type.Integer(),
  counts: Type.Optional(
    Obj({
      compartments: Type.Integer(),
      free: Type.Integer(),
      doorsOpen: Type.Integer(),
      openAlerts: Type.Integer(),
    }),
  ),
  place: Type.Optional(PlaceLabelView),
});

export const AlertView = Obj({
  id: Id,
  lockerId: Type.String(),
  communityId: Type.String(),
  compartment: Nullable(Type.Integer()),
  kind: Type.String({
    description:
      'door_jammed | uncommanded_open | offline | uv_fault | device_fault | keypad_locked | takeout_overdue | parcel_missing',
  }),
  status: Type.String({ description: 'open | acknowledged | resolved' }),
  message: Type.String(),
  occurrences: Type.Integer(),
  openedAt: Timestamp,
  lastSeenAt: Timestamp,
  acknowledgedAt: Nullable(Timestamp),
  acknowledgedBy: Nullable(Type.String()),
  resolvedAt: Nullable(Timestamp),
  lockerName: Type.Optional(Type.String()),
  place: Type.Optional(PlaceLabelView),
});

export const LockerDetail = Obj({
  ...LockerView.properties,
  compartments: Type.Array(CompartmentView),
  alerts: Type.Array(AlertView),
});

export const CommandView = Obj({
  commandId: Type.String(),
  lockerId: Type.String(),
  type: Type.String(),
  compartment: Nullable(Type.Integer()),
  status: Type.String({ description: 'pending | sent | answered | expired' }),
  attempts: Type.Integer(),
  responseStatus: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  answeredAt: Nullable(Timestamp),
});

export const EventView = Obj({
  seq: Type.Integer(),
  type: Type.String(),
  compartment: Nullable(Type.Integer()),
  occurredAt: Timestamp,
  receivedAt: Timestamp,
  payload: Type.Record(Type.String(), Type.Unknown()),
});

export const OpenRequest = Obj({
  reason: Type.String({
    minLength: 4,
    maxLength: 200,
    description: 'Why staff open this compartment; kept in the audit trail.',
  }),
});
export const DisinfectRequest = Obj({
  compartment: Type.Union([Type.Integer({ minimum: 1, maximum: 255 }), Type.Literal('all')]),
  durationSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 1800 })),
});

export const LockerParams = Obj({ lockerId: LockerIdParam });
export const CompartmentParams = Obj({
  lockerId: LockerIdParam,
  number: Type.Integer({ minimum: 1, maximum: 255 }),
});
export const CommandParams = Obj({
  lockerId: LockerIdParam,
  commandId: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' }),
});
export const SiteParams = Obj({ siteId: Id });
export const CommunityParams = Obj({ communityId: Id });
export const AlertParams = Obj({ alertId: Id });
export const LockerListQuery = Obj({
  presence: Type.Optional(Type.Enum(['online', 'offline', 'unknown'])),
  compoundId: Type.Optional(Id),
  buildingId: Type.Optional(Id),
  alerts: Type.Optional(
    Type.Enum(['open'], { description: 'open = only lockers with an open alert' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});
export const AlertListQuery = Obj({
  status: Type.Optional(Type.Enum(['open', 'acknowledged', 'resolved', 'unresolved'])),
  compoundId: Type.Optional(Id),
  buildingId: Type.Optional(Id),
  lockerId: Type.Optional(LockerIdParam),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});
export const EventListQuery = Obj({
  afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' }),
  ),
});
