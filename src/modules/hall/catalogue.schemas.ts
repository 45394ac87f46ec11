/** Request and response shapes of the hall's profile and catalogue. */
import { Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';
import { AppointmentSettings } from './appointment.schemas.ts';
import { CATEGORY_CODES } from './catalogue-categories.ts';

export const HallParams = Obj({ hallId: Id });
export const ItemParams = Obj({ hallId: Id, catalogueItemId: Id });

/** Money in fen: a whole number, at most ¥100,000. */
export const Fen = Type.Integer({ minimum: 0, maximum: 10_000_000 });
export const CategorySchema = Type.Enum([...CATEGORY_CODES]);
const Photo = Type.String({ maxLength: 300, pattern: '^(https?://|/)[^\\s]*$' });

export const ItemView = Obj({
  id: Id,
  kind: Type.Enum(['product', 'service']),
  category: CategorySchema,
  name: Type.String(),
  description: Type.String(),
  priceFen: Type.Integer(),
  unit: Type.String(),
  stock: Nullable(Type.Integer()),
  lowStock: Type.Integer(),
  photos: Type.Array(Type.String()),
  active: Type.Boolean(),
  /** How a service is booked; null for products and services without appointments. */
  appointment: Nullable(AppointmentSettings),
});

export const HallView = Obj({
  id: Id,
  communityId: Id,
  name: Type.String(),
  address: Type.String(),
  openingHours: Type.String(),
  phone: Nullable(Type.String()),
  intro: Type.String(),
});

export const CatalogueView = Obj({
  hall: HallView,
  categories: Type.Array(Obj({ code: CategorySchema, zh: Type.String(), en: Type.String() })),
  items: Type.Array(ItemView),
});

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const ItemInput = Obj({
  kind: Type.Enum(['product', 'service']),
  category: CategorySchema,
  name: Text(60),
  description: Type.String({ maxLength: 500 }),
  priceFen: Fen,
  unit: Text(8),
  stock: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100_000 }))),
  lowStock: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  photos: Type.Optional(Type.Array(Photo, { maxItems: 6 })),
  appointment: Type.Optional(Nullable(AppointmentSettings)),
});

export const ItemPatch = Obj({
  name: Type.Optional(Text(60)),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  priceFen: Type.Optional(Fen),
  unit: Type.Optional(Text(8)),
  stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  lowStock: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  photos: Type.Optional(Type.Array(Photo, { maxItems: 6 })),
  active: Type.Optional(Type.Boolean()),
  appointment: Type.Optional(Nullable(AppointmentSettings)),
});

export const ProfileInput = Obj({
  phone: Type.String({ minLength: 5, maxLength: 20, pattern: '^[0-9+\\-() ]+$' }),
  intro: Type.String({ maxLength: 300 }),
});

export const StockAlert = Obj({
  id: Id,
  name: Type.String(),
  stock: Type.Integer(),
  lowStock: Type.Integer(),
});
export { Timestamp };
