/** The hall's profile and catalogue: residents browse it; hall staff keep it. */
import type { Static } from 'typebox';
import type { Executor } from '../../db/database.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { findHall, type HallRow } from '../places/index.ts';
import { presentSettings, settingsColumns } from './appointment.service.ts';
import { CATEGORIES, CATEGORY_CODES } from './catalogue-categories.ts';
import * as repo from './catalogue.repository.ts';
import type * as s from './catalogue.schemas.ts';

/** The item whitelist. */
export function presentItem(r: repo.ItemRow): Static<typeof s.ItemView> {
  return {
    id: r.id,
    kind: r.kind,
    category: r.category as Static<typeof s.CategorySchema>,
    name: r.name,
    description: r.description,
    priceFen: r.price_fen,
    unit: r.unit,
    stock: r.stock,
    lowStock: r.low_stock,
    photos: JSON.parse(r.photos) as string[],
    active: r.active === 1,
    appointment: presentSettings(r),
  };
}

/** A hall with its counter phone and intro. */
export async function presentHall(db: Executor, h: HallRow): Promise<Static<typeof s.HallView>> {
  const p = await repo.findProfile(db, h.id);
  return {
    id: h.id,
    communityId: h.community_id,
    name: h.name,
    address: h.address,
    openingHours: h.opening_hours,
    phone: p?.phone ?? null,
    intro: p?.intro ?? '',
  };
}

/** The hall and its catalogue (all items, inactive too, for its staff). */
export async function catalogue(
  db: Executor,
  hall: HallRow,
  staff = false,
): Promise<Static<typeof s.CatalogueView>> {
  return {
    hall: await presentHall(db, hall),
    categories: CATEGORY_CODES.map((code) => ({ code, ...CATEGORIES[code] })).map(
      ({ code, zh, en }) => ({ code, zh, en }),
    ),
    items: (await repo.listItems(db, hall.id, staff)).map(presentItem),
  };
}

/** What anyone may see of a hall (its kiosk board): counter phone, intro, and its on-sale items' names and prices. */
export async function publicServices(db: Executor, hallId: string) {
  const p = await repo.findProfile(db, hallId);
  const items = await repo.listItems(db, hallId, false);
  const used = new Set(items.map((i) => i.category));
  return {
    phone: p?.phone ?? null,
    intro: p?.intro ?? '',
    categories: CATEGORY_CODES.filter((c) => used.has(c)).map((code) => ({
      code: code as string,
      zh: CATEGORIES[code].zh,
      en: CATEGORIES[code].en,
    })),
    items: items.map((i) => ({
      id: i.id,
      kind: i.kind,
      category: i.category,
      name: i.name,
      priceFen: i.price_fen,
      unit: i.unit,
    })),
  };
}

/** The hall a staff route names (its access check already passed). */
export async function staffHall(db: Executor, hallId: string): Promise<HallRow> {
  const hall = await findHall(db, hallId);
  if (!hall) throw notFound('That service hall');
  return hall;
}

function checkKind(
  kind: 'product' | 'service',
  stock: number | null | undefined,
  appointment?: unknown,
) {
  if (kind === 'product' && appointment)
    throw new AppError(
      'validation_failed',
      '商品不设预约时段，只有服务可以预约。Only a service takes appointments; a product has none.',
    );
  if (kind === 'product' && (stock === null || stock === undefined))
    throw new AppError(
      'validation_failed',
      '商品须填写库存数量。A product needs a stock quantity (0 or more).',
    );
  if (kind === 'service' && stock !== null && stock !== undefined)
    throw new AppError(
      'validation_failed',
      '预约服务不设库存，请留空。A service is booked, not stocked: leave stock empty.',
    );
}

/** Add an item to a hall's catalogue. */
export async function addItem(
  deps: AppDeps,
  hallId: string,
  input: Static<typeof s.ItemInput>,
): Promise<Static<typeof s.ItemView>> {
  const hall = await staffHall(deps.db, hallId);
  checkKind(input.kind, input.stock, input.appointment);
  const at = iso(deps.clock.now());
  const row: repo.ItemRow = {
    id: newId(deps.clock, deps.random),
    hall_id: hall.id,
    community_id: hall.community_id,
    kind: input.kind,
    category: input.category,
    name: input.name.trim(),
    description: input.description.trim(),
    price_fen: input.priceFen,
    unit: input.unit.trim(),
    stock: input.kind === 'product' ? (input.stock ?? 0) : null,
    low_stock: input.lowStock ?? 0,
    photos: JSON.stringify(input.photos ?? []),
    active: 1,
    ...settingsColumns(input.appointment ?? null),
    created_at: at,
    updated_at: at,
  };
  await repo.insertItems(deps.db, row);
  return presentItem(row);
}

/** Change an item's price, stock, text, photos or whether it is offered. */
export async function editItem(
  deps: AppDeps,
  hallId: string,
  itemId: string,
  patch: Static<typeof s.ItemPatch>,
): Promise<Static<typeof s.ItemView>> {
  return deps.db.transaction().execute(async (trx) => {
    const [item] = await repo.findItems(trx, [itemId]);
    if (!item || item.hall_id !== hallId) throw notFound('That item');
    if (patch.stock !== undefined && item.kind === 'service')
      throw new AppError('validation_failed', '预约服务不设库存。A service has no stock to set.');
    if (patch.appointment && item.kind === 'product') checkKind('product', 0, patch.appointment);
    await repo.updateItem(trx, itemId, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.description !== undefined ? { description: patch.description.trim() } : {}),
      ...(patch.priceFen !== undefined ? { price_fen: patch.priceFen } : {}),
      ...(patch.unit !== undefined ? { unit: patch.unit.trim() } : {}),
      ...(patch.stock !== undefined ? { stock: patch.stock } : {}),
      ...(patch.lowStock !== undefined ? { low_stock: patch.lowStock } : {}),
      ...(patch.photos !== undefined ? { photos: JSON.stringify(patch.photos) } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      ...(patch.appointment !== undefined ? settingsColumns(patch.appointment) : {}),
      updated_at: iso(deps.clock.now()),
    });
    const [after] = await repo.findItems(trx, [itemId]);
    return presentItem(after!);
  });
}

/** Set the hall's counter phone and intro. */
export async function saveProfile(
  deps: AppDeps,
  hallId: string,
  input: Static<typeof s.ProfileInput>,
): Promise<Static<typeof s.HallView>> {
  const hall = await staffHall(deps.db, hallId);
  await repo.saveProfile(deps.db, {
    hall_id: hall.id,
    community_id: hall.community_id,
    phone: input.phone.trim(),
    intro: input.intro.trim(),
    updated_at: iso(deps.clock.now()),
  });
  return presentHall(deps.db, hall);
}

/** Products at or below their alert level. */
export async function stockAlerts(deps: Pick<AppDeps, 'db'>, hallId: string) {
  return (await repo.lowStock(deps.db, hallId)).map((r) => ({
    id: r.id,
    name: r.name,
    stock: r.stock ?? 0,
    lowStock: r.low_stock,
  }));
}
