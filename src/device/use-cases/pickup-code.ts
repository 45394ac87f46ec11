/**
 * A code typed on the touchscreen. Online, the cloud decides: the code goes out as a
 * `code_entered` signal and the cloud answers with `open` or `screen_result`. Offline,
 * the agent checks it against the synced verifiers (scrypt, ADR 0012), opens the
 * compartment itself and records an `offline_pickup` fact for the cloud. Wrong codes
 * are throttled locally in both modes (throttle.ts); the screen says how many tries are
 * left and how long it must wait, online as offline.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { codeMatches, type KdfParams } from '../../contract/pickup-code.ts';
import type { CourierSessionCommand, ScreenResultCommand } from '../../contract/commands.ts';
import { PICKUP_CODE_PATTERN } from '../../contract/common.ts';
import { iso, newId } from '../../kernel/clock.ts';
import { parsePhone } from '../../kernel/phone.ts';
import type { AgentContext } from '../context.ts';
import type { ResponseDraft } from '../outbox.ts';
import type { ScreenCourier, ScreenDepositInput, ScreenReply } from '../../contract/screen-wire.ts';
import { openAndWatch } from './open-compartment.ts';
import { carriedCodesSettled } from './sync-verifiers.ts';
import {
  INITIAL_THROTTLE,
  type KeypadStatus,
  type ThrottleState,
  keypadStatus,
  recordFailure,
  recordSuccess,
} from './throttle.ts';

const THROTTLE_KEY = 'throttle';
/** A random per-agent key for wrong-code fingerprints (so the store never holds a tried code). */
const FINGERPRINT_KEY_META = 'throttleKey';
const CODE_RE = new RegExp(PICKUP_CODE_PATTERN);
/** A code entry older than this is void for the cloud. */
const CODE_SIGNAL_TTL_SECONDS = 60;

function throttle(ctx: AgentContext): ThrottleState {
  return ctx.store.getMeta<ThrottleState>(THROTTLE_KEY) ?? INITIAL_THROTTLE;
}

/** A keyed fingerprint of a typed code: the throttle counts each distinct wrong code once without keeping it. */
export function codeFingerprint(ctx: Pick<AgentContext, 'store'>, code: string): string {
  let key = ctx.store.getMeta<string>(FINGERPRINT_KEY_META);
  if (!key) {
    key = randomBytes(32).toString('base64url');
    ctx.store.setMeta(FINGERPRINT_KEY_META, key);
  }
  return createHmac('sha256', key).update(code).digest('base64url').slice(0, 16);
}

/** Count a wrong code (once per distinct code in a run); records keypad_locked when it starts a lock. */
export function countWrongCode(ctx: AgentContext, fingerprint?: string): ThrottleState {
  const now = ctx.clock.now();
  const { state, locked } = recordFailure(throttle(ctx), now, ctx.settings(), fingerprint);
  ctx.store.atomically(() => {
    ctx.store.setMeta(THROTTLE_KEY, state);
    if (locked)
      ctx.outbox.recordFacts([
        {
          type: 'keypad_locked',
          failures: ctx.settings().wrongCodeLimit,
          until: iso(state.lockedUntil),
        },
      ]);
  });
  if (locked) {
    ctx.outbox.kick();
    ctx.stateChanged(true); // keypad_locked
  }
  return state;
}

/** Until when the keypad refuses codes (ms), 0 when it accepts them. */
export function keypadLockedUntil(ctx: AgentContext): number {
  const k = keypadOf(ctx);
  return k.state === 'locked' ? throttle(ctx).lockedUntil : 0;
}

/** The keypad now, for the screen: open, slowed or locked, and the wrong codes left. */
export function keypadOf(ctx: AgentContext): KeypadStatus {
  return keypadStatus(throttle(ctx), ctx.clock.now(), ctx.settings());
}

/** The screen's answer to a wrong code: tries left, and the wait it caused (slowed or locked). */
function wrongCodeReply(
  ctx: AgentContext,
): Extract<ScreenReply, { result: 'wrong_code' | 'locked' }> {
  const k = keypadOf(ctx);
  if (k.state === 'locked')
    return { result: 'locked', retryAfterSeconds: k.retryAfterSeconds, keypad: 'locked' };
  return {
    result: 'wrong_code',
    attemptsLeft: k.attemptsLeft,
    ...(k.retryAfterSeconds > 0 ? { retryAfterSeconds: k.retryAfterSeconds } : {}),
  };
}

/** Handle a code typed on the screen. */
export async function enterCode(ctx: AgentContext, code: string): Promise<ScreenReply> {
  if (!CODE_RE.test(code)) return { result: 'invalid' };
  const k = keypadOf(ctx);
  if (k.state !== 'open')
    return { result: 'locked', retryAfterSeconds: k.retryAfterSeconds, keypad: k.state };
  const fingerprint = codeFingerprint(ctx, code);
  if (ctx.link.connected()) {
    const requestId = newId(ctx.clock, ctx.random);
    ctx.screen.add(requestId, 'code', fingerprint);
    if (await ctx.outbox.signal({ type: 'code_entered', requestId, code }, CODE_SIGNAL_TTL_SECONDS))
      return { result: 'sent', requestId };
  }
  return verifyOffline(ctx, code, fingerprint);
}

const WAYBILL_RE = /^[A-Za-z0-9-]{4,40}$/;
const SIZES = new Set(['S', 'M', 'L', 'XL']);

/**
 * A signed-in courier asks for a compartment (ADR 0018): only the cloud can allocate
 * one, so this needs the network; the session token the cloud gave goes back with it.
 */
export async function requestDeposit(
  ctx: AgentContext,
  input: ScreenDepositInput,
): Promise<ScreenReply> {
  const signedIn = ctx.screen.courier();
  if (!signedIn) return { result: 'signed_out' };
  const waybill = String(input.waybill ?? '').trim();
  if (!WAYBILL_RE.test(waybill)) return { result: 'invalid', field: 'waybill' };
  const recipientPhone = parsePhone(String(input.recipientPhone ?? ''));
  if (!recipientPhone) return { result: 'invalid', field: 'recipientPhone' };
  if (!SIZES.has(input.size)) return { result: 'invalid', field: 'size' };
  if (!ctx.link.connected()) return { result: 'unavailable' };
  const requestId = newId(ctx.clock, ctx.random);
  ctx.screen.add(requestId, 'deposit');
  const sent = await ctx.outbox.signal(
    {
      type: 'deposit_requested',
      requestId,
      session: signedIn.session,
      waybill,
      recipientPhone,
      size: input.size,
    },
    CODE_SIGNAL_TTL_SECONDS,
  );
  return sent ? { result: 'sent', requestId } : { result: 'unavailable' };
}

/** Who is signed in at the screen (never the token). */
export function courierOf(ctx: AgentContext): ScreenCourier {
  const c = ctx.screen.courier();
  return c ? { courier: c.courier, expiresAt: iso(c.expiresAt) } : { courier: null };
}

/** The cloud signed a courier in at this screen. */
export function handleCourierSession(ctx: AgentContext, cmd: CourierSessionCommand): ResponseDraft {
  const expiresAt = Date.parse(cmd.sessionExpiresAt);
  if (!(expiresAt > ctx.clock.now()))
    return { status: 'rejected', details: { reason: 'session_expired' } };
  ctx.screen.signIn({ session: cmd.session, courier: cmd.courier, expiresAt });
  return { status: 'ok' };
}

/** The cloud accepted a code typed at this screen (an `open` carrying its screenRequestId): the wrong-code run ends, as a right code ends it offline. */
export function codeAccepted(ctx: AgentContext, screenRequestId: string): void {
  if (ctx.screen.kindOf(screenRequestId) === 'code')
    ctx.store.setMeta(THROTTLE_KEY, recordSuccess(throttle(ctx)));
}

/** Handle the cloud's `screen_result` (a refused code entry or deposit). */
export function handleScreenResult(ctx: AgentContext, cmd: ScreenResultCommand): ResponseDraft {
  const entry = ctx.screen.denied(cmd.screenRequestId, cmd.outcome);
  if (entry === undefined) return { status: 'rejected', details: { reason: 'unknown_request' } };
  const kind = entry.kind;
  if (kind === 'code' && cmd.outcome === 'wrong_code') {
    countWrongCode(ctx, entry.fingerprint);
    // The screen shows the tries left (and any wait) online too, as it does offline.
    const r = wrongCodeReply(ctx);
    ctx.screen.denied(
      cmd.screenRequestId,
      cmd.outcome,
      r.result === 'locked'
        ? { attemptsLeft: 0, retryAfterSeconds: r.retryAfterSeconds, keypad: 'locked' }
        : {
            attemptsLeft: r.attemptsLeft,
            ...(r.retryAfterSeconds
              ? { retryAfterSeconds: r.retryAfterSeconds, keypad: 'slowed' as const }
              : {}),
          },
    );
  }
  if (kind === 'deposit' && cmd.outcome === 'session_expired') ctx.screen.signOut();
  return { status: 'ok' };
}

async function verifyOffline(
  ctx: AgentContext,
  code: string,
  fingerprint: string,
): Promise<ScreenReply> {
  if (!ctx.settings().offlinePickup) return { result: 'unavailable' };
  // A code a deposit's open carried is still turning into its verifier (the open was answered
  // when the door opened, before the key derivation ended): wait for it, or the parcel's own
  // code would read as wrong and count toward the keypad's lockout.
  await carriedCodesSettled(ctx);
  const kdf = ctx.store.getMeta<{ kdf: KdfParams }>('sync')?.kdf;
  const now = ctx.clock.now();
  const candidates = kdf
    ? ctx.store.listVerifiers().filter((v) => Date.parse(v.expiresAt) > now)
    : [];
  // One scrypt per active parcel; they run in parallel on libuv's thread pool.
  const matches = await Promise.all(
    candidates.map((v) => codeMatches(code, v, kdf!).catch(() => false)),
  );
  const hit = candidates[matches.indexOf(true)];
  if (!hit) {
    countWrongCode(ctx, fingerprint);
    return wrongCodeReply(ctx);
  }
  ctx.store.setMeta(THROTTLE_KEY, recordSuccess(throttle(ctx)));
  return ctx.inflight.exclusive(hit.compartment, async () => {
    const id = newId(ctx.clock, ctx.random);
    const startedAt = ctx.clock.now();
    ctx.store.insertLocalOpen({
      id,
      parcelId: hit.parcelId,
      compartment: hit.compartment,
      status: 'executing',
      relayFired: false,
      startedAt,
      outcome: null,
    });
    const r = await openAndWatch(ctx, hit.compartment, { kind: 'local', localOpenId: id }, () =>
      ctx.store.updateLocalOpen(id, { relayFired: true }),
    );
    const outcome = r.outcome === 'already_open' ? 'opened' : r.outcome;
    ctx.store.atomically(() => {
      ctx.store.updateLocalOpen(id, { status: 'done', outcome });
      // A used code is spent; a jammed door keeps it so the resident can try again.
      if (outcome !== 'door_jammed') ctx.store.deleteVerifier(hit.parcelId);
      ctx.outbox.recordFacts([
        {
          type: 'offline_pickup',
          parcelId: hit.parcelId,
          compartment: hit.compartment,
          outcome,
          pickedUpAt: iso(startedAt),
        },
      ]);
    });
    ctx.outbox.kick();
    ctx.stateChanged(true); // offline_pickup (the spent code's verifier with it)
    return { result: r.outcome, compartment: hit.compartment };
  });
}
