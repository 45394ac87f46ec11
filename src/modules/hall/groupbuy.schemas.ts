/** Request and response shapes of group buys. */
import { Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';
import { CategorySchema, Fen } from './catalogue.schemas.ts';
import { Fulfilment, Quantity } from './order.schemas.ts';

export const GroupBuyParams = Obj({ groupBuyId: Id });

export const GroupBuyInput = Obj({
  title: Type.String({ minLength: 1, maxLength: 60 }),
  description: Type.String({ maxLength: 500 }),
  category: CategorySchema,
  priceFen: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  unit: Type.String({ minLength: 1, maxLength: 8 }),
  targetQty: Type.Integer({ minimum: 2, maximum: 10_000 }),
  deadline: Type.String({ format: 'date-time' }),
});

export const JoinInput = Obj({
  quantity: Quantity,
  fulfilment: Fulfilment,
  unitId: Type.Optional(Id),
});

export const GroupBuyView = Obj({
  id: Id,
  hallId: Id,
  title: Type.String(),
  description: Type.String(),
  category: Type.String(),
  priceFen: Fen,
  unit: Type.String(),
  targetQty: Type.Integer(),
  joinedQty: Type.Integer(),
  /** How many households joined: a count, never who. */
  buyers: Type.Integer(),
  deadline: Timestamp,
  status: Type.Enum(['open', 'confirmed', 'failed']),
  proposedByHall: Type.Boolean(),
  /** The caller's own joins only. */
  mine: Type.Array(
    Obj({ id: Id, quantity: Type.Integer(), fulfilment: Fulfilment, status: Type.String() }),
  ),
});

export const HallGroupBuyParams = Obj({ hallId: Id, groupBuyId: Id });
export const HallJoinParams = Obj({ hallId: Id, groupBuyId: Id, joinId: Id });
export const JoinDeliverInput = Obj({ size: Type.Optional(Type.Enum(['S', 'M', 'L', 'XL'])) });

/** A join as the hall console sees it: where it goes and its state, never who. */
export const HallJoinView = Obj({
  id: Id,
  quantity: Type.Integer(),
  fulfilment: Fulfilment,
  status: Type.Enum(['paid', 'confirmed']),
  unit: Type.String({ description: 'compound building unit, for delivery' }),
  handedOverAt: Nullable(Timestamp),
  parcel: Nullable(
    Obj({ id: Id, status: Type.String(), lockerId: Type.String(), compartment: Type.Integer() }),
  ),
});
