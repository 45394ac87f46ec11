/**
 * A courier deposits at the locker's own touchscreen (issue 4 item 1, ADR 0018). They sign
 * in by scanning the screen's rotating QR with the courier app (nothing is typed on a
 * public screen, and the scan proves they stand at that locker); the cloud hands the
 * locker a short-lived session token, the screen takes the waybill, the recipient's
 * phone and a size, and sends them back with the token as `deposit_requested`. The
 * cloud then runs the same deposit as the API, under the same rules, and answers the
 * screen with the open command or a reason it can show.
 */
import type { DepositRequestedSignal, ScreenOutcome } from '../../../contract/index.ts';
import { activeGrants, findUserById } from '../../identity/index.ts';
import { enqueueCommand, type LockerRow } from '../../lockers/index.ts';
import { findCarrier } from '../../places/index.ts';
import { iso } from '../../../platform/clock.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
import { ScopedTokens } from '../../../platform/auth/tokens.ts';
import type { CourierActor } from '../consent/courier-consent.service.ts';
import { DeliveryRefused } from '../consent/delivery.policy.ts';
import { deposit } from './deposit.service.ts';
import { lockerOfScreenQr } from '../pickup/pickup.service.ts';

/** How long a sign-in at the screen lasts (the courier can sign out sooner on the screen). */
export const SCREEN_SESSION_SECONDS = 10 * 60;

/** What the courier app shows after signing in at a screen. */
export interface ScreenSessionView {
  lockerId: string;
  lockerName: string;
  courier: string;
  expiresAt: string;
}

/** "张**": enough for the courier to recognise themselves, not enough to name them to passers-by. */
function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length === 0 ? '快递员' : `${chars[0]}**`;
}

const sessions = (deps: AppDeps) =>
  new ScopedTokens(
    deps.config.secrets.tokenKey,
    'antnest-locker-screen',
    SCREEN_SESSION_SECONDS,
    deps.clock,
  );

/** Sign in at the locker whose screen QR the courier just scanned. */
export async function signInAtScreen(
  deps: AppDeps,
  courier: CourierActor,
  qr: string,
): Promise<ScreenSessionView> {
  const locker = await lockerOfScreenQr(deps, courier.userId, qr);
  const [carrier, user] = await Promise.all([
    findCarrier(deps.db, courier.carrierId),
    findUserById(deps.db, courier.userId),
  ]);
  if (!carrier || !user)
    throw new AppError('forbidden', 'Your account is not a courier of any carrier.');
  const { token: session, expiresAt: expMs } = await sessions(deps).issue(courier.userId, {
    car: courier.carrierId,
    lk: locker.id,
  });
  const label = `${carrier.name} · ${maskName(user.display_name)}`.slice(0, 60);
  const expiresAt = iso(expMs);
  await enqueueCommand(deps.db, deps, {
    lockerId: locker.id,
    communityId: locker.community_id,
    body: { type: 'courier_session', session, courier: label, sessionExpiresAt: expiresAt },
    requestedBy: courier.userId,
    reason: 'courier sign-in at the screen',
  });
  deps.outbox.kick();
  return { lockerId: locker.id, lockerName: locker.name, courier: label, expiresAt };
}

/** The courier a session token names, if it is genuine, current and for this locker. */
async function sessionCourier(
  deps: AppDeps,
  token: string,
  lockerId: string,
): Promise<CourierActor | null> {
  const v = await sessions(deps).verify(token);
  if (!v || v.claims['lk'] !== lockerId || typeof v.claims['car'] !== 'string') return null;
  return { userId: v.sub, carrierId: v.claims['car'] };
}

/**
 * Decide a deposit asked for at the screen. Returns null when the open command (under
 * `openCommandId`, answering the screen request) is queued, else why the screen says no.
 */
export async function depositFromScreen(
  deps: AppDeps,
  locker: LockerRow,
  s: DepositRequestedSignal,
  openCommandId: string,
): Promise<ScreenOutcome | null> {
  const courier = await sessionCourier(deps, s.session, locker.id);
  if (!courier) return 'session_expired';
  // The sign-in lasts minutes; a courier whose account or carrier grant was withdrawn meanwhile is out at once.
  const grants = await activeGrants(deps.db, courier.userId);
  if (
    !grants?.some(
      (g) => g.role === 'courier' && g.scopeKind === 'carrier' && g.scopeId === courier.carrierId,
    )
  )
    return 'session_expired';
  const carrier = await findCarrier(deps.db, courier.carrierId);
  if (!carrier) return 'not_allowed';
  try {
    // The recipient's preference is enforced inside deposit() (delivery-rule.ts), as for every other path.
    await deposit(deps, courier, {
      lockerId: locker.id,
      waybill: s.waybill,
      recipientPhone: s.recipientPhone,
      size: s.size,
      kind: carrier.kind === 'takeout' ? 'takeout' : 'delivery',
      screen: { requestId: s.requestId, commandId: openCommandId },
    });
    return null;
  } catch (e) {
    if (e instanceof DeliveryRefused) return e.reason;
    if (!(e instanceof AppError)) throw e;
    if (e.code === 'rate_limited') return 'throttled';
    if (e.status === 409 && /^No free/.test(e.message)) return 'no_free_compartment';
    if (e.status === 400) return 'invalid_request';
    return 'not_allowed';
  }
}
