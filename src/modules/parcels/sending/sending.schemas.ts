/** Request and view shapes of sending with an address, a quote and payment (the mini-program and the PWA type from here). */
import { Type } from 'typebox';
import { Id, Name, Nullable, Obj, Timestamp } from '../../../platform/http/schemas.ts';

/** The weight bands a tariff prices, lightest first. */
export const WEIGHT_BANDS = ['0-1kg', '1-3kg', '3-5kg', '5-10kg'] as const;

export const Size = Type.Enum(['S', 'M', 'L', 'XL'], { description: 'Compartment size' });
export const WeightBandSchema = Type.Enum([...WEIGHT_BANDS]);
const Phone = Type.String({ minLength: 5, maxLength: 20, description: 'Mainland mobile number' });
const Line = (max: number) =>
  Type.String({
    minLength: 1,
    maxLength: max,
    pattern: '^[^\\u0000-\\u001f]*\\S[^\\u0000-\\u001f]*$',
  });

export const TariffsView = Obj({
  weightBands: Type.Array(WeightBandSchema),
  sizes: Type.Array(Size),
  carriers: Type.Array(
    Obj({
      carrierId: Id,
      carrierName: Type.String(),
      prices: Type.Array(
        Obj({ weightBand: WeightBandSchema, size: Size, priceFen: Type.Integer() }),
      ),
    }),
  ),
});

export const TariffInput = Obj({
  carrierId: Id,
  weightBand: WeightBandSchema,
  size: Size,
  priceFen: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Price in fen (分)' }),
});
export const TariffKey = Obj({ carrierId: Id, weightBand: WeightBandSchema, size: Size });

export const SenderInput = Obj({ name: Name, phone: Phone, address: Line(200) });
export const RecipientInput = Obj({
  name: Name,
  phone: Phone,
  province: Line(20),
  city: Line(30),
  district: Line(30),
  address: Line(200),
});

export const QuoteRequest = Obj({
  carrierId: Id,
  sender: SenderInput,
  recipient: RecipientInput,
  weightBand: WeightBandSchema,
  size: Size,
});

export const QuoteView = Obj({
  quoteId: Id,
  priceFen: Type.Integer(),
  expiresAt: Timestamp,
  breakdown: Type.Array(
    Obj({ item: Type.String(), label: Type.String(), amountFen: Type.Integer() }),
  ),
});

export const OrderRequest = Obj({
  quoteId: Id,
  lockerId: Type.String({ minLength: 1, maxLength: 64 }),
});
export const OrderParams = Obj({ orderId: Id });
export const RejectRequest = Obj({ reason: Line(200) });

export const OrderStatus = Type.Enum([
  'awaiting_payment',
  'payment_failed',
  'awaiting_drop',
  'in_locker',
  'collected',
  'cancelled',
  'refunded',
]);

/** The sender's own view of an order: their addresses in full. */
export const OrderView = Obj({
  id: Id,
  status: OrderStatus,
  carrierId: Id,
  carrierName: Type.String(),
  lockerId: Type.String(),
  lockerName: Type.String(),
  compartment: Nullable(Type.Integer()),
  weightBand: WeightBandSchema,
  size: Size,
  priceFen: Type.Integer(),
  sender: SenderInput,
  recipient: RecipientInput,
  payment: Obj({
    provider: Type.String(),
    status: Type.Enum(['pending', 'paid', 'failed', 'refunded']),
    amountFen: Type.Integer(),
    paidAt: Nullable(Timestamp),
    refundedAt: Nullable(Timestamp),
  }),
  rejectReason: Nullable(Type.String()),
  createdAt: Timestamp,
});

/** What a courier sees of a parcel to collect: the locker, the size, masked names and phones, the destination region; never a flat. */
export const CourierSendingView = Obj({
  orderId: Id,
  parcelId: Id,
  lockerId: Type.String(),
  lockerName: Type.String(),
  address: Type.String({ description: 'compound and locker site' }),
  compartment: Type.Integer(),
  size: Size,
  weightBand: WeightBandSchema,
  status: OrderStatus,
  sender: Obj({ name: Type.String(), phone: Type.String({ description: 'masked' }) }),
  recipient: Obj({
    name: Type.String(),
    phone: Type.String({ description: 'masked' }),
    region: Type.String({ description: 'province, city and district only' }),
  }),
});
