/** Request and response shapes of hall orders. */
import { Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';
import { LineAppointment } from './appointment.schemas.ts';
import { Fen } from './catalogue.schemas.ts';

/** The most of one item in one order, and the most lines. */
export const MAX_QUANTITY = 99;
export const MAX_LINES = 20;

export const Fulfilment = Type.Enum(['pickup', 'locker']);
export const OrderStatus = Type.Enum([
  'awaiting_payment',
  'paid',
  'ready',
  'in_locker',
  'completed',
  'cancelled',
]);
export const Quantity = Type.Integer({ minimum: 1, maximum: MAX_QUANTITY });

export const OrderParams = Obj({ orderId: Id });
export const HallOrderParams = Obj({ hallId: Id, orderId: Id });

export const CheckoutInput = Obj({
  unitId: Type.Optional(Id),
  fulfilment: Fulfilment,
  note: Type.Optional(Type.String({ maxLength: 200 })),
  lines: Type.Array(
    Obj({
      itemId: Id,
      quantity: Quantity,
      priceFen: Fen,
      /** The slot of a service by appointment (GET …/services/:id/slots lists them). */
      slotStart: Type.Optional(Type.String({ format: 'date-time' })),
    }),
    {
      minItems: 1,
      maxItems: MAX_LINES,
    },
  ),
});

export const OrderView = Obj({
  id: Id,
  code: Type.String(),
  hallId: Id,
  unitId: Id,
  status: OrderStatus,
  fulfilment: Fulfilment,
  totalFen: Type.Integer(),
  refundedFen: Type.Integer(),
  note: Nullable(Type.String()),
  createdAt: Timestamp,
  paidAt: Nullable(Timestamp),
  lines: Type.Array(
    Obj({
      itemId: Id,
      name: Type.String(),
      priceFen: Type.Integer(),
      quantity: Type.Integer(),
      appointment: Nullable(LineAppointment),
    }),
  ),
  parcel: Nullable(
    Obj({ id: Id, status: Type.String(), lockerId: Type.String(), compartment: Type.Integer() }),
  ),
});

export const OrderListQuery = Obj({
  status: Type.Optional(OrderStatus),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

export const DeliverInput = Obj({ size: Type.Optional(Type.Enum(['S', 'M', 'L', 'XL'])) });
export const Reason = Obj({ reason: Type.String({ minLength: 1, maxLength: 100 }) });
export const RefundInput = Obj({
  amountFen: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  reason: Type.String({ minLength: 1, maxLength: 100 }),
});
