/**
 * What the locker screen polls from the agent's local API: its status (place, online, the
 * keypad's hold) every 5 s, the pickup QR, and a countdown while a run of wrong codes holds
 * the keypad.
 */
import { useEffect, useState } from 'react';
import * as screen from './screen-api.ts';

/** The keypad's hold while it lasts: 'slowed' or 'locked', null when codes are taken. */
export type KeypadHold = 'slowed' | 'locked' | null;

/** The agent's status and QR, polled; `wait` seconds of the keypad's hold; `refresh` asks now. */
export function useScreenStatus(): {
  st: screen.ScreenStatus | null;
  qr: string | null;
  wait: number;
  held: KeypadHold;
  refresh(): void;
} {
  const [st, setSt] = useState<screen.ScreenStatus | null>(null);
  const [qr, setQr] = useState<string | null>(null);

  useEffect(() => {
    const poll = () => {
      screen
        .status()
        .then(setSt)
        .catch(() => setSt((s) => (s ? { ...s, online: false } : s)));
      // The agent serves /api/qr from screenQrPayload() (a new QR every 30 s window; none until the first sync brought the key, none offline).
      screen
        .qr()
        .then((q) => setQr(q?.text ?? null))
        .catch(() => setQr(null));
    };
    poll();
    const id = window.setInterval(poll, 5000);
    return () => window.clearInterval(id);
  }, []);

  // While the keypad waits (slowed or locked) count down on screen and ask the agent again when it ends.
  const keypad = st?.keypad;
  const [wait, setWait] = useState(0);
  useEffect(() => {
    if (!keypad || keypad.state === 'open') return setWait(0);
    const until = Date.now() + keypad.retryAfterSeconds * 1000;
    const tick = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setWait(left);
      if (left === 0)
        void screen
          .status()
          .then(setSt)
          .catch(() => undefined);
    };
    tick();
    const id = window.setInterval(tick, 1000);
    return () => window.clearInterval(id);
    // Re-arm only when the hold itself changes, not on every status poll's new object.
  }, [keypad?.state, keypad?.retryAfterSeconds]);
  const held = keypad && keypad.state !== 'open' && wait > 0 ? keypad.state : null;

  const refresh = () =>
    void screen
      .status()
      .then(setSt)
      .catch(() => undefined);
  return { st, qr, wait, held, refresh };
}
