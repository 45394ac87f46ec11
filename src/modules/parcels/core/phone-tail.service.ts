/** 手机尾号: the last four digits of a recipient's phone, which staff search by (see the migration 2026-12-05T0107). */
import type { Phone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { parcelsWithoutTail, setPhoneTail } from '../search/search.repository.ts';

/** The last four digits of a canonical phone. */
export function phoneTail(phone: Phone): string {
  return phone.slice(-4);
}

/** Fill the tail of parcels stored before the column existed (decrypts in batches; safe to run again). */
export async function backfillPhoneTails(
  deps: Pick<AppDeps, 'db' | 'vault'>,
  batch = 500,
): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await parcelsWithoutTail(deps.db, batch);
    for (const r of rows)
      await setPhoneTail(deps.db, r.id, phoneTail(deps.vault.decrypt(r.recipient_phone_cipher)));
    filled += rows.length;
    if (rows.length < batch) return filled;
  }
}
