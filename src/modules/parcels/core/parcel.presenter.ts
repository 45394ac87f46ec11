/** What leaves the server about parcels, per audience. */
import { maskPhone, type PhoneVault } from '../../../platform/crypto/phone.ts';
import type { ParcelRow } from './parcel.repository.ts';
import type { ParcelEventRow } from './parcel-event.repository.ts';
import { openCode } from './pickup-code.ts';

/** The answer to a deposit: where to put it and the open command to watch. */
export function presentDeposit({
  parcel,
  command,
}: {
  parcel: ParcelRow;
  command: { id: string };
}) {
  return {
    parcelId: parcel.id,
    lockerId: parcel.locker_id,
    compartment: parcel.compartment,
    status: parcel.status,
    reservedUntil: parcel.reserved_until,
    commandId: command.id,
    together: parcel.together_with !== null,
  };
}

export function presentForCourier(p: ParcelRow, vault: PhoneVault, placeName = '') {
  return {
    parcelId: p.id,
    lockerId: p.locker_id,
    compartment: p.compartment,
    kind: p.kind,
    size: p.size,
    status: p.status,
    waybill: p.waybill,
    recipientPhone: p.recipient_phone_cipher
      ? maskPhone(vault.decrypt(p.recipient_phone_cipher))
      : null,
    createdAt: p.created_at,
    storedAt: p.stored_at,
    placeName,
  };
}

/** Which parcel, in what state, and where: the fields every resident-facing view starts with. */
function whereItIs(p: ParcelRow, place: PlaceOfLocker) {
  return {
    parcelId: p.id,
    kind: p.kind,
    status: p.status,
    lockerId: p.locker_id,
    lockerName: place.lockerName,
    address: place.address,
    compartment: p.compartment,
  };
}

export interface PlaceOfLocker {
  lockerName: string;
  address: string;
  carrier: string | null;
  /** When its compartment was disinfected for this parcel (lockers' disinfectedFor), or null. */
  disinfectedAt: string | null;
}

/** A service hall holding an overdue parcel; slot is null while staff carry it over. */
export interface HallPlace {
  name: string;
  address: string;
  slot: string | null;
}

/** The recipient's own view: the code is decrypted only here, and only while the parcel waits. */
export function presentForRecipient(
  p: ParcelRow,
  place: PlaceOfLocker,
  codeKey: Buffer,
  access: 'recipient' | 'shared' = 'recipient',
  hall: HallPlace | null = null,
) {
  return {
    ...whereItIs(p, place),
    code:
      (p.status === 'stored' || p.status === 'at_hall') && p.code_cipher
        ? openCode(codeKey, p.code_cipher)
        : null,
    carrier: place.carrier,
    storedAt: p.stored_at,
    freeUntil: p.free_until,
    codeExpiresAt: p.code_expires_at,
    pickedUpAt: p.picked_up_at,
    disinfectedAt: place.disinfectedAt,
    hall: p.status === 'at_hall' ? hall : null,
    access,
  };
}

/** What a resident sees of what they deposited for someone else: where it is and its state, never the neighbour's code or full phone. */
export function presentSent(p: ParcelRow, place: PlaceOfLocker, vault: PhoneVault) {
  return {
    ...whereItIs(p, place),
    recipientPhone: p.recipient_phone_cipher
      ? maskPhone(vault.decrypt(p.recipient_phone_cipher))
      : null,
    carrier: place.carrier,
    createdAt: p.created_at,
    storedAt: p.stored_at,
    pickedUpAt: p.picked_up_at,
  };
}

export function presentEvent(e: ParcelEventRow) {
  return {
    type: e.type,
    source: e.source,
    at: e.at,
    detail: JSON.parse(e.detail) as Record<string, unknown>,
  };
}
