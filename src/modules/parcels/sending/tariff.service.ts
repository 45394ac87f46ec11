/**
 * Sending tariffs and quotes (寄件, ADR 0033). A quote prices one parcel from the carrier's
 * table and keeps the addresses, encrypted, for the order that pays it; it expires so a
 * price change reaches new orders.
 */
import { iso, newId } from '../../../platform/clock.ts';
import { normalizePhone, type Phone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { carrierNames, findCarrier } from '../../places/index.ts';
import * as repo from './sending.repository.ts';
import type { WeightBand } from './sending.table.ts';

/** A quote holds its price this long. */
export const QUOTE_TTL_MS = 30 * 60_000;

export type Size = 'S' | 'M' | 'L' | 'XL';

export interface Addresses {
  sender: { name: string; phone: string; address: string };
  recipient: {
    name: string;
    phone: string;
    province: string;
    city: string;
    district: string;
    address: string;
  };
}

/** Each carrier with a price table, with its prices. */
export async function tariffTable(deps: AppDeps) {
  const rows = await repo.listTariffs(deps.db);
  const names = await carrierNames(
    deps.db,
    rows.map((r) => r.carrier_id),
  );
  const byCarrier = new Map<string, repo.TariffRow[]>();
  for (const r of rows) byCarrier.set(r.carrier_id, [...(byCarrier.get(r.carrier_id) ?? []), r]);
  return (
    [...byCarrier]
      .filter(([id]) => names.has(id))
      .map(([id, prices]) => ({
        carrierId: id,
        carrierName: names.get(id)!,
        prices: prices.map((p) => ({
          weightBand: p.weight_band,
          size: p.size,
          priceFen: p.price_fen,
        })),
      }))
      // By name in pinyin order: the apps preselect the first, so it must not vary with ids.
      .sort((a, b) => a.carrierName.localeCompare(b.carrierName, 'zh-Hans-CN'))
  );
}

/** Set a carrier's price for a band and size (operator admins). */
export async function setTariff(
  deps: AppDeps,
  staffId: string,
  input: { carrierId: string; weightBand: WeightBand; size: Size; priceFen: number },
): Promise<void> {
  const carrier = await findCarrier(deps.db, input.carrierId);
  if (!carrier) throw notFound('That carrier');
  // Takeout platforms deliver meals; their riders collect no parcels to send.
  if (carrier.kind !== 'express')
    throw new AppError(
      'validation_failed',
      `${carrier.name}是外卖平台，不收寄件。 ${carrier.name} is a takeout platform, not an express carrier; sending tariffs are for express carriers only.`,
    );
  await repo.upsertTariff(deps.db, {
    id: newId(deps.clock, deps.random),
    carrier_id: input.carrierId,
    weight_band: input.weightBand,
    size: input.size,
    price_fen: input.priceFen,
    updated_at: iso(deps.clock.now()),
    updated_by: staffId,
  });
}

/** Stop offering a band and size with a carrier. */
export async function removeTariff(
  deps: AppDeps,
  input: { carrierId: string; weightBand: WeightBand; size: Size },
): Promise<void> {
  if (!(await repo.deleteTariff(deps.db, input.carrierId, input.weightBand, input.size)))
    throw notFound('That price');
}

/** Canonical addresses: phones normalised (a 400 names the bad one). */
function checkedAddresses(a: Addresses): Addresses {
  const phone = (p: string, who: string): Phone => {
    try {
      return normalizePhone(p);
    } catch {
      throw new AppError(
        'validation_failed',
        `The ${who}'s phone is not a mainland mobile number.`,
      );
    }
  };
  return {
    sender: { ...a.sender, phone: phone(a.sender.phone, 'sender') },
    recipient: { ...a.recipient, phone: phone(a.recipient.phone, 'recipient') },
  };
}

/** Price one parcel with a carrier and keep the quote (and its addresses, encrypted) for an order. */
export async function quote(
  deps: AppDeps,
  userId: string,
  input: Addresses & { carrierId: string; weightBand: WeightBand; size: Size },
) {
  const addresses = checkedAddresses(input);
  const tariff = await repo.findTariff(deps.db, input.carrierId, input.weightBand, input.size);
  if (!tariff)
    throw new AppError(
      'validation_failed',
      `该快递公司不收此重量或尺寸的包裹。 This carrier has no price for ${input.weightBand} in size ${input.size}; pick another from GET /me/sending/tariffs.`,
    );
  const now = deps.clock.now();
  const row: repo.QuoteRow = {
    id: newId(deps.clock, deps.random),
    user_id: userId,
    carrier_id: tariff.carrier_id,
    weight_band: tariff.weight_band,
    size: tariff.size,
    price_fen: tariff.price_fen,
    addresses_cipher: deps.vault.encrypt(JSON.stringify(addresses) as Phone),
    expires_at: iso(now + QUOTE_TTL_MS),
    used_at: null,
    created_at: iso(now),
  };
  await repo.insertQuote(deps.db, row);
  return {
    quoteId: row.id,
    priceFen: row.price_fen,
    expiresAt: row.expires_at,
    breakdown: [
      {
        item: 'freight',
        label: `运费（${input.weightBand}，${input.size}号格口）`,
        amountFen: row.price_fen,
      },
    ],
  };
}

/** The addresses sealed in a quote or order. */
export function openAddresses(deps: AppDeps, cipher: string): Addresses {
  return JSON.parse(deps.vault.decrypt(cipher)) as Addresses;
}
