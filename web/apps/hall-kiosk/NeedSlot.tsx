/**
 * 留下需求 at the hall kiosk: the needs module's intake form (channel kiosk), calling the API
 * as the signed-in resident with the kiosk session's token, which stays in memory only
 * (ADR 0023) — this store never writes localStorage and never refreshes.
 */
import { useMemo } from 'react';
import { Api, type Session, SessionStore } from '../../shared/api.ts';
import { NeedIntakeForm } from '../../shared/needs/NeedIntakeForm.tsx';
import { kioskToken } from './kiosk-api.ts';
import type { NeedSlotProps } from './slots.ts';

/** The kiosk session's token, read where the kiosk keeps it. */
class KioskSessions extends SessionStore {
  constructor() {
    super('antnest.hall-kiosk.need');
  }
  override get(): Session | null {
    const accessToken = kioskToken();
    return accessToken
      ? { userId: '', accessToken, refreshToken: '', accessTokenExpiresAt: '' }
      : null;
  }
  override set(): void {
    // The kiosk's own timer and 退出 end its session; nothing to store here.
  }
}

/** The need form for the signed-in resident at this hall. */
export default function NeedSlot({ hallId, onDone }: NeedSlotProps) {
  const api = useMemo(() => new Api(new KioskSessions()), []);
  return <NeedIntakeForm channel="kiosk" api={api} hallId={hallId} onDone={() => onDone()} />;
}
