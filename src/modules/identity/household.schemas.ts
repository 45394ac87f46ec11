/** HTTP shapes of binding a home: my homes, units, and requests to bind one. */
import { Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';

export const UnitView = Obj({
  unitId: Id,
  communityId: Id,
  communityName: Type.String(),
  label: Type.String({ description: '清淳家园 1栋1单元' }),
});
/** Where a request to bind a home stands. */
export const Status = Type.Enum(['pending', 'approved', 'rejected', 'cancelled']);
/** A request to bind a home; `asker` (masked phone) only in the community's queue. */
export const RequestView = Obj({
  requestId: Id,
  unitId: Id,
  unit: Type.String(),
  communityName: Type.String(),
  relation: Type.String(),
  note: Nullable(Type.String()),
  status: Status,
  createdAt: Timestamp,
  decidedAt: Nullable(Timestamp),
  reason: Nullable(Type.String()),
  asker: Type.Optional(
    Obj({ displayName: Type.String(), phone: Nullable(Type.String({ description: 'masked' })) }),
  ),
});
export const HomesView = Obj({ homes: Type.Array(UnitView), requests: Type.Array(RequestView) });
