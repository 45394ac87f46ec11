/**
 * Start-up recovery (ADR 0010). Before the agent listens to anything it settles what the
 * previous run left undecided: a command still `executing` is answered
 * `unknown_outcome` and is NEVER executed again (the relay may already have fired); an
 * offline pickup still executing is reported with outcome `unknown_outcome`; UV lamps
 * left on are switched off. Then a `booted` fact says how the last run ended.
 */
import type { CommandType } from '../../contract/commands.ts';
import { iso } from '../../kernel/clock.ts';
import type { AgentContext } from '../context.ts';

const CLEAN_KEY = 'cleanShutdown';
const REBOOT_KEY = 'rebooting';

/** Settle the previous run; returns how many commands ended with an unknown outcome. */
export async function recoverAfterStart(
  ctx: AgentContext,
  agentVersion: string,
): Promise<{ unknownOutcomes: number; crashed: boolean }> {
  const { store, bus, outbox } = ctx;
  const firstRun = store.getMeta<boolean>(CLEAN_KEY) === undefined;
  const crashed = !firstRun && store.getMeta<boolean>(CLEAN_KEY) === false;
  const rebooting = store.getMeta<boolean>(REBOOT_KEY) === true;

  const unfinished = store.unfinishedCommands();
  for (const rec of unfinished) {
    const doorNow =
      rec.compartment !== null && bus.compartments.includes(rec.compartment)
        ? bus.door(rec.compartment)
        : undefined;
    outbox.finish(rec.commandId, rec.type as CommandType, {
      status: 'unknown_outcome',
      ...(rec.compartment !== null ? { compartment: rec.compartment } : {}),
      details: {
        reason: 'agent_restarted',
        relayFired: rec.relayFired ? 'yes' : 'unknown',
        ...(doorNow ? { doorNow } : {}),
      },
    });
    ctx.log.warn(
      { commandId: rec.commandId, type: rec.type },
      'command interrupted by a restart: answered unknown_outcome, not re-executed',
    );
  }

  for (const lo of store.unfinishedLocalOpens()) {
    store.atomically(() => {
      store.updateLocalOpen(lo.id, { status: 'done', outcome: 'unknown_outcome' });
      // The resident may well have the parcel: the code is spent either way.
      store.deleteVerifier(lo.parcelId);
      outbox.recordFacts([
        {
          type: 'offline_pickup',
          parcelId: lo.parcelId,
          compartment: lo.compartment,
          outcome: 'unknown_outcome',
          pickedUpAt: iso(lo.startedAt),
        },
      ]);
    });
  }

  await ctx.uv.recover();
  store.pruneCommands(ctx.clock.now() - 7 * 24 * 3600 * 1000);
  const reason = crashed ? 'crash_recovery' : rebooting ? 'reboot' : 'start';
  store.atomically(() => {
    outbox.recordFacts([
      { type: 'booted', reason, agentVersion, unknownOutcomes: unfinished.length },
    ]);
    store.setMeta(CLEAN_KEY, false);
    store.setMeta(REBOOT_KEY, false);
  });
  return { unknownOutcomes: unfinished.length, crashed };
}

/** Mark a clean shutdown, so the next start is not taken for a crash. */
export function markCleanShutdown(ctx: AgentContext, reboot: boolean): void {
  ctx.store.atomically(() => {
    ctx.store.setMeta(CLEAN_KEY, true);
    ctx.store.setMeta(REBOOT_KEY, reboot);
  });
}
