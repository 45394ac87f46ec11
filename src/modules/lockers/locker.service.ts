/** Staff use cases on lockers: register a cabinet, see it live, open or disinfect remotely. */
import { recordAudit } from '../../platform/audit/audit.repository.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { Executor } from '../../db/database.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { findLockerSite } from '../places/index.ts';
import * as alerts from './alert.repository.ts';
import * as commands from './command.repository.ts';
import { enqueueCommand, stableCommandId } from './command.service.ts';
import * as lockers from './locker.repository.ts';
import { lastCycles } from './uv.service.ts';
import { copySitePlaces } from './site-place.service.ts';
import type { CompartmentKind, CompartmentSize } from './locker.table.ts';

export interface CreateLockerInput {
  id: string;
  name: string;
  compartments: { number: number; size: CompartmentSize; kind: CompartmentKind }[];
}

/** Register a cabinet at a locker site; it waits in `provisioning` until the device claims its credentials. */
export async function createLocker(
  deps: AppDeps,
  actorId: string | null,
  siteId: string,
  input: CreateLockerInput,
) {
  return deps.db.transaction().execute((trx) => createLockerIn(trx, deps, actorId, siteId, input));
}

/** createLocker inside the caller's transaction (the demo seeder registers many in one). */
export async function createLockerIn(
  trx: Executor,
  ctx: Pick<AppDeps, 'clock' | 'random'>,
  actorId: string | null,
  siteId: string,
  input: CreateLockerInput,
) {
  const numbers = new Set(input.compartments.map((c) => c.number));
  if (numbers.size !== input.compartments.length)
    throw new AppError('validation_failed', 'Compartment numbers must be unique within a locker.');
  const site = await findLockerSite(trx, siteId);
  if (!site) throw notFound('That locker site');
  if (await lockers.findLocker(trx, input.id))
    throw conflict(`A locker with id "${input.id}" already exists; choose another id.`);
  const now = iso(ctx.clock.now());
  const row: lockers.LockerRow = {
    id: input.id,
    community_id: site.community_id,
    site_id: site.id,
    name: input.name.trim(),
    status: 'provisioning',
    secret_hash: null,
    provisioning_hash: null,
    provisioning_expires_at: null,
    credentials_changed_at: null,
    presence: 'unknown',
    presence_changed_at: null,
    connection_id: null,
    last_seen_at: null,
    reported_revision: 0,
    last_seq: 0,
    agent_version: null,
    sync_revision: 0,
    contract_version: 'v1',
    open_alerts: 0,
    created_at: now,
    updated_at: now,
  };
  await lockers.insertLocker(trx, row);
  await copySitePlaces(trx, [site.id]);
  await lockers.insertCompartments(
    trx,
    input.compartments.map((c) => ({
      id: newId(ctx.clock, ctx.random),
      community_id: site.community_id,
      locker_id: row.id,
      number: c.number,
      size: c.size,
      kind: c.kind,
      use: 'free',
      door: 'unknown',
      occupied: 'unknown',
      uv: 'off',
      uv_result: null,
      last_disinfected_at: null,
      last_uv_seq: null,
      door_fact_at: null,
      updated_at: now,
    })),
  );
  await recordAudit(trx, ctx.clock, ctx.random, {
    actorId,
    action: 'locker.create',
    targetKind: 'locker',
    targetId: row.id,
    communityId: site.community_id,
    detail: { siteId, compartments: input.compartments.length },
  });
  return row;
}

/** A locker with its compartments' live state (and last UV cycle) and its unresolved alerts. */
export async function getLocker(deps: AppDeps, lockerId: string) {
  const l = await lockers.findLocker(deps.db, lockerId);
  if (!l) throw notFound('That locker');
  const [compartments, open] = await Promise.all([
    lockers.listCompartments(deps.db, lockerId),
    alerts.listAlerts(deps.db, {
      communityId: l.community_id,
      lockerId,
      status: 'unresolved',
      limit: 100,
      offset: 0,
    }),
  ]);
  return {
    locker: l,
    compartments,
    alerts: open,
    lastCycles: await lastCycles(deps.db, lockerId, compartments),
  };
}

/**
 * Open one compartment from the console. The reason is required and audited with the
 * command in one transaction; an Idempotency-Key makes a retried click open once.
 */
export async function remoteOpen(
  deps: AppDeps,
  actorId: string,
  lockerId: string,
  number: number,
  reason: string,
  idempotencyKey?: string,
) {
  const command = await deps.db.transaction().execute(async (trx) => {
    const l = await lockers.findLocker(trx, lockerId);
    if (!l) throw notFound('That locker');
    if (l.status === 'retired') throw conflict('This locker is retired.');
    if (!(await lockers.findCompartment(trx, lockerId, number)))
      throw notFound(`Compartment ${number}`);
    const { command, created } = await enqueueCommand(trx, deps, {
      lockerId,
      communityId: l.community_id,
      body: { type: 'open', compartment: number, reason: 'staff' },
      requestedBy: actorId,
      reason: reason.trim(),
      ...(idempotencyKey
        ? { commandId: stableCommandId('staff-open', actorId, idempotencyKey) }
        : {}),
    });
    if (created) {
      await recordAudit(trx, deps.clock, deps.random, {
        actorId,
        action: 'locker.remote_open',
        targetKind: 'locker',
        targetId: lockerId,
        communityId: l.community_id,
        detail: { compartment: number, reason: reason.trim(), commandId: command.id },
      });
    } else if (command.locker_id !== lockerId || command.compartment !== number) {
      throw conflict('This Idempotency-Key was already used for a different request.');
    }
    return command;
  });
  deps.outbox.kick();
  return command;
}

/** Run a UV cycle on one compartment or all of them. */
export async function disinfect(
  deps: AppDeps,
  actorId: string,
  lockerId: string,
  compartment: number | 'all',
  durationSeconds?: number,
) {
  const command = await deps.db.transaction().execute(async (trx) => {
    const l = await lockers.findLocker(trx, lockerId);
    if (!l) throw notFound('That locker');
    if (compartment !== 'all' && !(await lockers.findCompartment(trx, lockerId, compartment)))
      throw notFound(`Compartment ${compartment}`);
    const { command } = await enqueueCommand(trx, deps, {
      lockerId,
      communityId: l.community_id,
      body: { type: 'disinfect', compartment, ...(durationSeconds ? { durationSeconds } : {}) },
      requestedBy: actorId,
      reason: 'staff disinfect',
    });
    await recordAudit(trx, deps.clock, deps.random, {
      actorId,
      action: 'locker.disinfect',
      targetKind: 'locker',
      targetId: lockerId,
      communityId: l.community_id,
      detail: { compartment, commandId: command.id },
    });
    return command;
  });
  deps.outbox.kick();
  return command;
}

/** One command of a locker. */
export async function getCommand(deps: AppDeps, lockerId: string, commandId: string) {
  const c = await commands.findCommand(deps.db, commandId);
  if (!c || c.locker_id !== lockerId) throw notFound('That command');
  return c;
}
