/** Request and response shapes of notices, activities and the kiosk: the response schemas are the whitelist of what leaves the server. */
import { type Static, Type } from 'typebox';
import { Id, Name, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';

export const AudienceKindSchema = Type.Union(
  [Type.Literal('subdistrict'), Type.Literal('community'), Type.Literal('compound')],
  { description: 'Which place the notice or activity addresses' },
);
export const AudienceInput = Obj({ kind: AudienceKindSchema, id: Id });
const AudienceView = Obj({ kind: AudienceKindSchema, id: Id, hallId: Nullable(Id) });

const Title = Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' });
const LongText = Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' });
const When = Type.String({
  minLength: 10,
  maxLength: 40,
  description: 'ISO-8601 instant, e.g. 2026-12-06T02:00:00Z',
});

export const CreateNotice = Obj({
  audience: AudienceInput,
  title: Title,
  body: LongText,
  urgent: Type.Optional(Type.Boolean()),
  pinnedUntil: Type.Optional(Nullable(When)),
  expiresAt: Type.Optional(Nullable(When)),
});
export const UpdateNotice = Obj({
  title: Type.Optional(Title),
  body: Type.Optional(LongText),
  urgent: Type.Optional(Type.Boolean()),
  pinnedUntil: Type.Optional(Nullable(When)),
  expiresAt: Type.Optional(Nullable(When)),
});

export const NoticeView = Obj({
  id: Id,
  audience: AudienceView,
  title: Type.String(),
  body: Type.String(),
  urgent: Type.Boolean(),
  pinned: Type.Boolean({ description: 'Pinned to the top now' }),
  pinnedUntil: Nullable(Timestamp),
  expiresAt: Nullable(Timestamp),
  expired: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateActivity = Obj({
  audience: AudienceInput,
  title: Title,
  description: LongText,
  location: Name,
  startsAt: When,
  endsAt: When,
  signupClosesAt: Type.Optional(When),
  capacity: Type.Integer({ minimum: 1, maximum: 5000 }),
});

const MySignup = Obj({
  status: Type.Union([Type.Literal('confirmed'), Type.Literal('waiting')]),
  waitingPosition: Nullable(Type.Integer({ description: '1 = next to get a seat' })),
});

export const ActivityView = Obj({
  id: Id,
  audience: AudienceView,
  title: Type.String(),
  description: Type.String(),
  location: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  signupClosesAt: Timestamp,
  capacity: Type.Integer(),
  confirmed: Type.Integer(),
  waiting: Type.Integer(),
  status: Type.Union([Type.Literal('open'), Type.Literal('cancelled')]),
  mine: Nullable(MySignup),
});

export const SignupResult = Obj({ activityId: Id, ...MySignup.properties });

export const StaffSignupView = Obj({
  name: Type.String(),
  phone: Nullable(Type.String({ description: 'masked, 138****1234' })),
  status: Type.Union([Type.Literal('confirmed'), Type.Literal('waiting')]),
  waitingPosition: Nullable(Type.Integer()),
  signedUpAt: Timestamp,
});
export const ActivitySignups = Obj({
  activity: ActivityView,
  confirmed: Type.Array(StaffSignupView),
  waiting: Type.Array(StaffSignupView),
});

export const NoticeParams = Obj({ noticeId: Id });
export const ActivityParams = Obj({ activityId: Id });
export const ListQuery = Obj({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
});

export type CreateNotice = Static<typeof CreateNotice>;
export type UpdateNotice = Static<typeof UpdateNotice>;
export type NoticeView = Static<typeof NoticeView>;
export type CreateActivity = Static<typeof CreateActivity>;
export type ActivityView = Static<typeof ActivityView>;
export type SignupResult = Static<typeof SignupResult>;
export type StaffSignupView = Static<typeof StaffSignupView>;
export type ActivitySignups = Static<typeof ActivitySignups>;
