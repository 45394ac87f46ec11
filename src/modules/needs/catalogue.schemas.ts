/** TypeBox schemas of the catalogue, calendar, routing rules, rates and Open311 keys. */
import { type Static, Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';
import { PartySchema } from './need.schemas.ts';

export const AttributeSchema = Obj({
  code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
  datatype: Type.Enum([
    'string',
    'number',
    'datetime',
    'text',
    'singlevaluelist',
    'multivaluelist',
  ]),
  required: Type.Boolean(),
  description: Type.String({ minLength: 1, maxLength: 100 }),
  values: Type.Optional(
    Type.Array(
      Obj({
        key: Type.String({ minLength: 1, maxLength: 40 }),
        name: Type.String({ minLength: 1, maxLength: 60 }),
      }),
      { maxItems: 30 },
    ),
  ),
});

export const ServiceView = Obj({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  description: Type.String(),
  group: Type.String(),
  responsible: PartySchema,
  deadlineClass: Type.String(),
  attributes: Type.Array(AttributeSchema),
  keywords: Type.String(),
  active: Type.Boolean(),
  sort: Type.Integer(),
});
export const ServiceInput = Obj({
  name: Type.String({ minLength: 1, maxLength: 40 }),
  nameEn: Type.String({ minLength: 1, maxLength: 60 }),
  description: Type.String({ minLength: 1, maxLength: 300 }),
  group: Type.String({ minLength: 1, maxLength: 20 }),
  responsible: PartySchema,
  deadlineClass: Type.String({ minLength: 1, maxLength: 40 }),
  attributes: Type.Array(AttributeSchema, { maxItems: 10 }),
  keywords: Type.String({ maxLength: 200 }),
  active: Type.Boolean(),
  sort: Type.Integer({ minimum: 0, maximum: 10_000 }),
});
export type ServiceInput = Static<typeof ServiceInput>;
export const ServiceParams = Obj({ code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }) });

export const ClassView = Obj({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  unit: Type.Enum(['hours', 'working_days']),
  amount: Type.Integer(),
  respondHours: Type.Integer(),
  warnHours: Type.Integer(),
});
export const ClassInput = Obj({
  unit: Type.Enum(['hours', 'working_days']),
  amount: Type.Integer({ minimum: 1, maximum: 60 }),
  respondHours: Type.Integer({ minimum: 1, maximum: 240 }),
  warnHours: Type.Integer({ minimum: 0, maximum: 240 }),
});
export const Catalogue = Obj({ services: Type.Array(ServiceView), classes: Type.Array(ClassView) });

export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const DayParams = Obj({ day: Day });
export const CalendarQuery = Obj({ from: Day, to: Day });
export const CalendarDay = Obj({
  day: Day,
  kind: Type.Enum(['holiday', 'workday']),
  name: Type.String(),
});
export const CalendarList = Obj({ days: Type.Array(CalendarDay) });
export const CalendarInput = Obj({
  kind: Nullable(Type.Enum(['holiday', 'workday'])),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
});

export const RouteRule = Obj({
  id: Id,
  serviceCode: Nullable(Type.String()),
  gridId: Nullable(Id),
  party: PartySchema,
  assigneeId: Nullable(Id),
  createdAt: Timestamp,
});
export const RouteInput = Obj({
  serviceCode: Type.Optional(Type.String({ maxLength: 60 })),
  gridId: Type.Optional(Id),
  party: PartySchema,
  assigneeId: Type.Optional(Id),
});
export const RouteList = Obj({ rules: Type.Array(RouteRule) });
export const RouteParams = Obj({ communityId: Id, ruleId: Id });

export const RatesQuery = Obj({
  communityId: Type.Optional(Id),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  by: Type.Optional(Type.Enum(['community', 'grid', 'assignee'])),
});
const Rate = Nullable(Type.Number());
export const RatesView = Obj({
  from: Timestamp,
  to: Timestamp,
  by: Type.String(),
  rows: Type.Array(
    Obj({
      key: Nullable(Type.String()),
      received: Type.Integer(),
      responded: Type.Integer(),
      respondedInTime: Type.Integer(),
      resolved: Type.Integer(),
      resolvedInTime: Type.Integer(),
      declined: Type.Integer(),
      open: Type.Integer(),
      overdue: Type.Integer(),
      rated: Type.Integer(),
      satisfied: Type.Integer(),
      averageRating: Rate,
      responseRate: Rate,
      resolutionRate: Rate,
      satisfactionRate: Rate,
    }),
  ),
});

export const UnitQuery = Obj({ q: Type.String({ minLength: 1, maxLength: 40 }) });
export const UnitChoices = Obj({
  units: Type.Array(
    Obj({ unitId: Id, communityId: Id, communityName: Type.String(), label: Type.String() }),
  ),
});

export const ClientView = Obj({
  id: Id,
  name: Type.String(),
  keyHint: Type.String(),
  contact: Nullable(Type.String()),
  createdAt: Timestamp,
  revokedAt: Nullable(Timestamp),
});
export const ClientList = Obj({ clients: Type.Array(ClientView) });
export const ClientInput = Obj({
  name: Type.String({ minLength: 1, maxLength: 60 }),
  contact: Type.Optional(Type.String({ maxLength: 100 })),
});
export const ClientCreated = Obj({
  client: ClientView,
  apiKey: Type.String({ description: 'Shown once; only its hash is stored.' }),
});
export const ClientParams = Obj({ clientId: Id });
export type ServiceView = Static<typeof ServiceView>;
export type Open311ClientView = Static<typeof ClientView>;
export type Open311ClientCreated = Static<typeof ClientCreated>;
export type ClassView = Static<typeof ClassView>;
