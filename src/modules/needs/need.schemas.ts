/** TypeBox schemas of the needs API (the response schemas are the whitelists). */
import { type Static, Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';

export const NeedStatusSchema = Type.Enum([
  'received',
  'dispatched',
  'in_progress',
  'replied',
  'closed',
  'declined',
  'reopened',
]);
export const PartySchema = Type.Enum([
  'community_office',
  'grid_worker',
  'property',
  'police',
  'utilities',
  'institution',
]);
export const ChannelSchema = Type.Enum(['app', 'desk', 'kiosk', 'open311']);

const Description = Type.String({ minLength: 1, maxLength: 4000 });
const ShortText = Type.String({ minLength: 1, maxLength: 500 });
const AttrValue = Type.Union([
  Type.String({ maxLength: 500 }),
  Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 }),
]);
export const Attributes = Type.Record(Type.String({ maxLength: 60 }), AttrValue, {
  maxProperties: 30,
});

export const NeedParams = Obj({ needId: Id });
export const PhotoParams = Obj({ photoId: Id });
export const HallParams = Obj({ hallId: Id });
export const CommunityParams = Obj({ communityId: Id });

/** What a resident (app or kiosk) submits. */
export const ResidentIntake = Obj({
  serviceCode: Type.String({ minLength: 1, maxLength: 60 }),
  description: Description,
  attributes: Type.Optional(Attributes),
  unitId: Type.Optional(Id),
  address: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  photoIds: Type.Optional(Type.Array(Id, { maxItems: 4 })),
  channel: Type.Optional(Type.Enum(['app', 'kiosk'])),
  hallId: Type.Optional(Id),
});
export type ResidentIntake = Static<typeof ResidentIntake>;

/** What the hall desk enters for a resident or a walk-in. */
export const DeskIntake = Obj({
  serviceCode: Type.String({ minLength: 1, maxLength: 60 }),
  description: Description,
  attributes: Type.Optional(Attributes),
  unitId: Type.Optional(Id),
  address: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  photoIds: Type.Optional(Type.Array(Id, { maxItems: 4 })),
  contactName: Type.String({ minLength: 1, maxLength: 50 }),
  contactPhone: Type.String({ minLength: 11, maxLength: 20 }),
});
export type DeskIntake = Static<typeof DeskIntake>;

export const HistoryEntry = Obj({
  at: Timestamp,
  action: Type.String(),
  status: NeedStatusSchema,
  note: Nullable(Type.String()),
  actorKind: Type.String(),
  actorId: Nullable(Id),
});

const common = {
  id: Id,
  serviceCode: Type.String(),
  serviceName: Type.String(),
  description: Type.String(),
  attributes: Attributes,
  channel: ChannelSchema,
  status: NeedStatusSchema,
  place: Type.String(),
  receivedAt: Timestamp,
  dueAt: Timestamp,
  respondedAt: Nullable(Timestamp),
  repliedAt: Nullable(Timestamp),
  reply: Nullable(Type.String()),
  closedAt: Nullable(Timestamp),
  rating: Nullable(Type.Integer()),
  ratingComment: Nullable(Type.String()),
  photoIds: Type.Array(Id),
  history: Type.Array(HistoryEntry),
};

/** A request as its resident sees it. */
export const NeedView = Obj({
  ...common,
  reopenUntil: Nullable(Timestamp),
});
export type NeedView = Static<typeof NeedView>;

/** A request as staff see it: routing, deadlines and a masked contact. */
export const StaffNeedView = Obj({
  ...common,
  communityId: Id,
  gridId: Nullable(Id),
  unitId: Nullable(Id),
  hallId: Nullable(Id),
  party: PartySchema,
  assigneeId: Nullable(Id),
  deadlineClass: Type.String(),
  respondBy: Timestamp,
  escalatedAt: Nullable(Timestamp),
  overdue: Type.Boolean(),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String({ description: 'masked: 138****1234' })),
  visitedAt: Nullable(Timestamp),
  visitNote: Nullable(Type.String()),
  reopenCount: Type.Integer(),
  handoffs: Type.Array(
    Obj({ party: PartySchema, adapter: Type.String(), externalRef: Type.String(), at: Timestamp }),
  ),
});
export type StaffNeedView = Static<typeof StaffNeedView>;

export const NeedList = Obj({ items: Type.Array(NeedView) });
export const StaffNeedList = Obj({ items: Type.Array(StaffNeedView) });

export const MyQuery = Obj({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
});

export const WorkQuery = Obj({
  communityId: Type.Optional(Id),
  gridId: Type.Optional(Id),
  status: Type.Optional(Type.Array(NeedStatusSchema, { maxItems: 7 })),
  serviceCode: Type.Optional(Type.String({ maxLength: 60 })),
  mine: Type.Optional(Type.Boolean()),
  overdue: Type.Optional(Type.Boolean()),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
});
export type WorkQuery = Static<typeof WorkQuery>;

export const TargetBody = Obj({
  party: PartySchema,
  assigneeId: Type.Optional(Id),
  gridId: Type.Optional(Id),
  reason: Type.Optional(ShortText),
});
export const ReasonBody = Obj({ reason: ShortText });
export const ReplyBody = Obj({ reply: Description });
export const CloseBody = Obj({ note: Type.Optional(ShortText) });
export const VisitBody = Obj({
  note: ShortText,
  rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  comment: Type.Optional(ShortText),
});
export const RatingBody = Obj({
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.String({ maxLength: 500 })),
});
export const PhotoCreated = Obj({ id: Id, size: Type.Integer(), contentType: Type.String() });
