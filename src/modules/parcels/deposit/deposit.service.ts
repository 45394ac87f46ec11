/**
 * A courier, rider or resident deposits a parcel: the smallest free compartment that fits is reserved for a
 * short time and opened; the parcel becomes `stored` only when the locker reports the
 * door closed with something inside (see parcel.hooks.ts). Two couriers racing for the
 * last compartment: the conditional claim lets exactly one win; the other is offered the
 * site's other lockers and the community's hall.
 */
import {
  findCommand,
  type CommandRow,
  enqueueCommand,
  stableCommandId,
  type CompartmentSize,
  reserveCompartment,
} from '../../lockers/index.ts';
import * as lockers from '../../lockers/index.ts';
import { findUserByPhoneHash } from '../../identity/index.ts';
import { transact } from '../../../db/transact.ts';
import { iso, newId } from '../../../platform/clock.ts';
import { normalizePhone } from '../../../platform/crypto/phone.ts';
import { phoneTail } from '../core/phone-tail.service.ts';
import type { Executor } from '../../../db/database.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../../platform/errors.ts';
import { hitLimits, type Limit } from '../../../platform/rate-limit.ts';
import { countRefusalAsLookup } from '../consent/courier-consent.service.ts';
import { lockerOffline, noRoom } from './deposit-alternatives.service.ts';
import { carrierFor, cleanNote, residentCap } from './deposit.policy.ts';
import { checkDelivery, DeliveryRefused } from '../consent/delivery.policy.ts';
import { recordParcelEvent } from '../core/parcel.events.ts';
import {
  carriedCode,
  carriedCodeRevision,
  codeForDeposit,
  insertReservation,
} from './carried-code.service.ts';
import * as parcels from '../core/parcel.repository.ts';

/** How long a courier has to put the parcel in and close the door. */
export const RESERVATION_SECONDS = 120;

export interface DepositInput {
  lockerId: string;
  /** The carrier waybill (couriers); null for what residents deposit. */
  waybill?: string | null;
  /** Who is told the code; absent only for outgoing parcels (the carrier collects them). */
  recipientPhone?: string | null;
  size: CompartmentSize;
  /** Takeout goes only into food compartments; neighbour and outgoing are deposited by residents. */
  kind: 'delivery' | 'takeout' | 'neighbour' | 'outgoing';
  /** Outgoing only: the carrier whose couriers collect it. */
  carrierId?: string;
  /**
   * Courier deliveries only: put it in beside the parcel this courier already has waiting
   * here for the same recipient (they share the compartment and one code). The courier
   * judges that it fits; without such a parcel a compartment is allocated as usual.
   */
  together?: boolean;
  /** Neighbour deposits only: a short note sent with the code. */
  note?: string | null;
  /**
   * The request's Idempotency-Key. The open command's id is derived from it, so the
   * deposit and its key are written in one transaction: a retry that reaches the handler
   * again (its node died before the HTTP layer stored the answer, ADR 0008) finds the
   * deposit already made and answers with it instead of reserving a second compartment.
   */
  idempotencyKey?: string | undefined;
  /**
   * Made at the locker screen by a signed-in courier (ADR 0018): the open command answers
   * that screen request and takes its stable id, so a redelivered request deposits once.
   */
  screen?: { requestId: string; commandId: string };
  /**
   * Rate limits this deposit counts against (platform/limits.ts). They are hit inside the
   * deposit's transaction, so a refused deposit (no room, a cap) costs the caller nothing.
   */
  limits?: readonly Limit[];
}

/** Who deposits: a courier or rider (with their carrier), or a resident (carrierId null). */
export interface Depositor {
  userId: string;
  carrierId: string | null;
}

/** Reserve and open a compartment for a parcel. */
export async function deposit(deps: AppDeps, depositor: Depositor, input: DepositInput) {
  if (input.kind !== 'outgoing' && !input.recipientPhone)
    throw new AppError('validation_failed', 'A recipient phone is required.');
  const phone =
    input.kind !== 'outgoing' && input.recipientPhone ? normalizePhone(input.recipientPhone) : null;
  // The key and what was asked (so a key reused a day later, when the HTTP layer has forgotten it, for another
  // parcel makes that parcel instead of answering with the old one).
  const commandId = input.screen
    ? input.screen.commandId
    : input.idempotencyKey
      ? stableCommandId(
          'deposit',
          depositor.userId,
          input.idempotencyKey,
          JSON.stringify([
            input.kind,
            input.lockerId,
            input.waybill ?? null,
            phone,
            input.size,
            input.carrierId ?? null,
            input.together ?? false,
            input.note ?? null,
          ]),
        )
      : undefined;
  // transact: the open command is published right after the commit, with no dispatch round.
  const result = await transact(deps.db, async (trx) => {
    const earlier = commandId ? await depositMadeBy(trx, commandId, input) : undefined;
    if (earlier) return earlier;
    // Exact on SQLite, where every write to it passes its cache (lockers/locker-rows.ts).
    const locker = await lockers.findLockerCached(trx, input.lockerId);
    if (locker?.status === 'retired')
      throw conflict(
        '此柜已停用，不再接收包裹，请改用同一门口的其他柜子或社区服务馆。This locker has been retired and takes no parcels: use another cabinet at this door, or the service hall.',
      );
    if (!locker || locker.status !== 'active') throw notFound('That locker');
    const carrierId = await carrierFor(trx, depositor, input);
    const compartmentKind = input.kind === 'takeout' ? 'food' : 'normal';
    // An offline locker cannot open: say so now rather than "opened" for a door that never moves.
    // (A deposit at the screen comes from the locker itself, so it is online by definition.)
    if (locker.presence === 'offline' && !input.screen)
      throw await lockerOffline(trx, locker, input.size, compartmentKind);
    // The counters first: their upsert locks the depositor's counter rows until commit, so two
    // parallel deposits by one resident take turns and the second one's cap count sees the first.
    if (input.limits) await hitLimits(trx, deps.clock, input.limits);
    if (input.kind === 'neighbour' || input.kind === 'outgoing')
      await residentCap(trx, depositor.userId, locker.id);
    // The recipient's say comes first (delivery-rule.ts): every courier deposit path runs through here.
    let recipientUserId: string | null | undefined;
    if ((input.kind === 'delivery' || input.kind === 'takeout') && carrierId && phone) {
      recipientUserId = await checkDelivery(trx, deps, {
        kind: input.kind,
        courierId: depositor.userId,
        carrierId,
        recipientPhoneHash: deps.vault.hash(phone),
        lockerId: locker.id,
        communityId: locker.community_id,
        waybill: input.waybill ?? null,
      });
    }
    const now = deps.clock.now();
    // Contract v2 (ADR 0017, amended): the open carries the parcel's code sealed for the
    // locker, so no sync follows the store. The revision is taken first, so this
    // transaction locks the locker row before any compartment, as ingest does.
    const carries = await carriedCodeRevision(trx, deps, locker);
    let chosen: number | null = null;
    let lead: parcels.ParcelRow | undefined;
    if (input.together && input.kind === 'delivery' && phone) {
      const found = await parcels.liveForRecipientBy(
        trx,
        locker.id,
        depositor.userId,
        deps.vault.hash(phone),
      );
      lead = found?.together_with ? await parcels.findParcel(trx, found.together_with) : found;
      if (lead && lead.status === 'stored')
        await reserveCompartment(trx, locker.id, lead.compartment, iso(now), 'occupied');
      if (lead && (lead.status === 'stored' || lead.status === 'reserved'))
        chosen = lead.compartment;
      else lead = undefined;
    }
    for (const c of chosen === null
      ? await lockers.fittingFreeCompartments(trx, locker.id, compartmentKind, input.size)
      : []) {
      if (await reserveCompartment(trx, locker.id, c.number, iso(now))) {
        chosen = c.number;
        break;
      }
    }
    if (chosen === null) throw await noRoom(trx, locker, input.size, compartmentKind);
    const reservation: parcels.ParcelRow = {
      id: newId(deps.clock, deps.random),
      community_id: locker.community_id,
      locker_id: locker.id,
      compartment: chosen,
      kind: input.kind,
      size: input.size,
      status: 'reserved',
      carrier_id: carrierId,
      depositor_id: depositor.userId,
      waybill: input.waybill ?? null,
      recipient_phone_hash: phone ? deps.vault.hash(phone) : null,
      recipient_phone_cipher: phone ? deps.vault.encrypt(phone) : null,
      recipient_phone_tail: phone ? phoneTail(phone) : null,
      // The rule already looked the phone up (a disabled account still owns its parcels); otherwise look.
      recipient_user_id:
        recipientUserId !== undefined
          ? recipientUserId
          : phone
            ? ((await findUserByPhoneHash(trx, deps.vault.hash(phone)))?.id ?? null)
            : null,
      code_hash: null,
      code_cipher: null,
      code_verifier: null,
      code_expires_at: null,
      ...(carries ? await codeForDeposit(trx, deps, locker.id, lead) : {}),
      reserved_until: iso(now + RESERVATION_SECONDS * 1000),
      stored_at: null,
      free_until: null,
      picked_up_at: null,
      pickup_command_id: null,
      deidentified_at: null,
      together_with: lead?.id ?? null,
      note: input.kind === 'neighbour' ? cleanNote(input.note) : null,
      created_at: iso(now),
      updated_at: iso(now),
    };
    const parcel = await insertReservation(trx, deps, reservation);
    const { command, created } = await enqueueCommand(trx, deps, {
      lockerId: locker.id,
      communityId: locker.community_id,
      body: {
        type: 'open',
        compartment: chosen,
        reason: 'deposit',
        parcelId: parcel.id,
        ...(input.screen ? { screenRequestId: input.screen.requestId } : {}),
        ...(carries ? carriedCode(deps, carries, parcel) : {}),
      },
      requestedBy: depositor.userId,
      reason: 'deposit',
      ...(commandId ? { commandId } : {}),
    });
    // Two runs of one key at once (only after a lost claim): the other one made it; roll this one back.
    if (!created)
      throw new AppError(
        'conflict',
        'This deposit is already being made with this Idempotency-Key; retry in a moment to get its answer.',
        { retryAfter: 1 },
      );
    await recordParcelEvent(trx, deps, parcel, {
      type: 'reserved',
      actorId: depositor.userId,
      source: input.screen ? 'device' : 'api',
      detail: {
        lockerId: locker.id,
        compartment: chosen,
        size: input.size,
        commandId: command.id,
        ...(input.screen ? { via: 'screen' } : {}),
        ...(lead ? { together: true } : {}),
      },
    });
    return { parcel, command };
  }).catch(async (e: unknown) => {
    // Counted outside the rolled-back transaction, so probing preferences by deposit meets the look-up limit.
    if (e instanceof DeliveryRefused) await countRefusalAsLookup(deps, depositor.userId);
    throw e;
  });
  deps.outbox.kick();
  return result;
}

/** The deposit an earlier run of the same request (key and body) made, or undefined. */
async function depositMadeBy(
  db: Executor,
  commandId: string,
  input: DepositInput,
): Promise<{ parcel: parcels.ParcelRow; command: CommandRow } | undefined> {
  const command = await findCommand(db, commandId);
  if (!command) return undefined;
  const parcelId = (JSON.parse(command.body) as { parcelId?: string }).parcelId;
  const parcel = parcelId ? await parcels.findParcel(db, parcelId) : undefined;
  // Cannot happen short of a hash collision; refuse rather than answer with someone else's parcel.
  if (!parcel || parcel.locker_id !== input.lockerId || parcel.kind !== input.kind)
    throw new AppError(
      'conflict',
      'This Idempotency-Key was already used for a different deposit; use a new key.',
    );
  return { parcel, command };
}
