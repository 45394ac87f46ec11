/**
 * Turns what the hardware notices into facts. A door that opens while an open is in
 * flight answers that open; any other door opening is an `uncommanded_open` (with how
 * long ago the relay last fired, so the cloud's alert policy can judge). A door opening
 * also aborts a running UV lamp — the interlock's second half — and a door closing starts
 * the after-use cycle (uvAfterClose, on by default). Contract v2 sends fewer facts per door
 * cycle: a commanded opening is reported by the open's `open_outcome` (no `door_opened`), an
 * occupancy change behind an open door by the `door_closed` that ends it (no `occupancy`), and
 * the after-use UV cycle's start by that same `door_closed` (no `uv_started`).
 * What changed while the
 * agent was down is reported at boot (reconcileHardware).
 */
import type { AgentContext } from '../context.ts';
import type { DoorState, LockBusEvent } from '../ports/lock-bus.ts';

/** Subscribe the agent to its lock bus; returns the unsubscribe function. */
export function watchLockBus(ctx: AgentContext): () => void {
  reconcileHardware(ctx);
  const openedAt = new Map<number, number>();
  /** The open command whose relay opened each door that is open now (its close waits for that command's outcome). */
  const openedBy = new Map<number, string>();
  const onEvent = (e: LockBusEvent): void => {
    const now = ctx.clock.now();
    switch (e.type) {
      case 'door':
        if (e.open) {
          openedAt.set(e.compartment, now);
          void ctx.uv.abort(e.compartment, 'door_opened');
          const owner = ctx.inflight.doorOpened(e.compartment, now);
          if (owner?.kind === 'command') openedBy.set(e.compartment, owner.commandId);
          else openedBy.delete(e.compartment);
          // v2: the open's open_outcome (emitted before anything else can happen to this door)
          // reports the opening; a separate door_opened would only cost a message and a commit.
          if (owner?.kind === 'command') {
            if (ctx.contract !== 'v2')
              ctx.outbox.emit({
                type: 'door_opened',
                compartment: e.compartment,
                cause: 'command',
                commandId: owner.commandId,
              });
          } else if (owner?.kind === 'local') {
            ctx.outbox.emit({
              type: 'door_opened',
              compartment: e.compartment,
              cause: 'offline_pickup',
            });
          } else {
            const ago = ctx.inflight.lastRelaySecondsAgo(e.compartment, now);
            ctx.outbox.emit(
              { type: 'door_opened', compartment: e.compartment, cause: 'uncommanded' },
              {
                type: 'uncommanded_open',
                compartment: e.compartment,
                ...(ago !== undefined ? { lastRelaySecondsAgo: ago } : {}),
              },
            );
          }
        } else {
          const since = openedAt.get(e.compartment);
          openedAt.delete(e.compartment);
          const c = e.compartment;
          const opener = openedBy.get(c);
          openedBy.delete(c);
          const openSeconds = since !== undefined ? Math.max(0, (now - since) / 1000) : undefined;
          // A door shut again before the outcome of the command that opened it was recorded: the
          // close waits for it, so the outcome (the open's answer) precedes the close in seq order.
          const reportClose = () => {
            const occupied = ctx.contract === 'v2' ? ctx.bus.occupied(c) : null;
            const uv = afterUseCycle(ctx, c);
            ctx.outbox.emit({
              type: 'door_closed',
              compartment: c,
              ...(openSeconds !== undefined ? { openSeconds } : {}),
              ...(occupied !== null ? { occupied } : {}),
              ...uv.announce,
            });
            uv.start();
            // Remembered as reported only once reported: a crash before it is reported at boot.
            remember(ctx, [c]);
          };
          const report = () => {
            try {
              reportClose();
            } catch (err) {
              ctx.log.warn(
                { err: (err as Error).message, compartment: c },
                'door_closed not recorded (agent stopping?)',
              );
            }
          };
          if (opener) ctx.inflight.afterOutcome(opener, report);
          else reportClose();
        }
        break;
      case 'occupancy':
        // v2: a change behind an open door is carried by the door_closed that ends it.
        if (ctx.contract === 'v2' && ctx.bus.door(e.compartment) === 'open') break;
        ctx.outbox.emit({ type: 'occupancy', compartment: e.compartment, occupied: e.occupied });
        break;
      case 'fault':
        ctx.outbox.emit({
          type: 'fault',
          code: e.code,
          message: e.message.slice(0, 300),
          ...(e.compartment !== undefined ? { compartment: e.compartment } : {}),
        });
        // A lamp that dies mid-cycle ends that cycle as failed (uv_done lamp_fault), not as a silent success later.
        if (e.code === 'uv_lamp' && e.compartment !== undefined)
          void ctx.uv.abort(e.compartment, 'lamp_fault');
        break;
    }
    if ((e.type === 'door' && e.open) || e.type === 'occupancy') remember(ctx, [e.compartment]);
    ctx.stateChanged(true); // each bus event above is a fact (or rides in the door_closed)
  };
  return ctx.bus.subscribe((e) => {
    try {
      onEvent(e);
    } catch (err) {
      ctx.log.warn(
        { err: (err as Error).message, event: e.type },
        'lock bus event not recorded (agent stopping?)',
      );
    }
  });
}

/**
 * The after-use UV cycle a door close starts (uvAfterClose): v2 announces it in the
 * door_closed (`uvStartedSeconds`, no separate uv_started); v1 reports it with its own
 * uv_started once the lamp is on. `start` runs after the door_closed is emitted, so the
 * cycle's facts follow the close.
 */
function afterUseCycle(
  ctx: AgentContext,
  compartment: number,
): { announce: { uvStartedSeconds?: number }; start: () => void } {
  if (!ctx.settings().uvAfterClose) return { announce: {}, start: () => {} };
  const seconds = ctx.contract === 'v2' ? ctx.uv.afterCloseSeconds(compartment) : null;
  return {
    announce: seconds !== null ? { uvStartedSeconds: seconds } : {},
    start: () => void ctx.uv.startAfterClose(compartment, seconds !== null),
  };
}

/** Where the agent keeps the last door and occupancy readings it reported (store meta). */
const HARDWARE_META = 'hardware';
type Readings = Record<string, { door: DoorState; occupied: boolean | null }>;

/** Note the current readings of these compartments as reported. */
function remember(ctx: AgentContext, compartments: readonly number[]): void {
  const seen = { ...(ctx.store.getMeta<Readings>(HARDWARE_META) ?? {}) };
  for (const c of compartments)
    seen[String(c)] = { door: ctx.bus.door(c), occupied: ctx.bus.occupied(c) };
  ctx.store.setMeta(HARDWARE_META, seen);
}

/**
 * At boot, report what changed while the agent was not running (killed, rebooting, power
 * cut): a courier may have put a parcel in, or a resident taken one out, and shut the door
 * before the agent came back. A changed occupancy is reported, followed by the door as it
 * is now, so the cloud settles the compartment exactly as if it had watched.
 */
export function reconcileHardware(ctx: AgentContext): void {
  const seen = ctx.store.getMeta<Readings>(HARDWARE_META);
  if (seen) {
    for (const c of ctx.bus.compartments) {
      const was = seen[String(c)];
      if (!was) continue;
      const door = ctx.bus.door(c);
      const occupied = ctx.bus.occupied(c);
      const occupancyChanged =
        occupied !== null && was.occupied !== null && occupied !== was.occupied;
      if (occupancyChanged)
        ctx.outbox.emit({ type: 'occupancy', compartment: c, occupied: occupied! });
      if (door === 'open' && was.door !== 'open')
        ctx.outbox.emit({ type: 'door_opened', compartment: c, cause: 'uncommanded' });
      else if (door === 'closed' && (was.door === 'open' || occupancyChanged)) {
        // Used while the agent was down: it still gets its after-use cycle.
        const uv = ctx.uv.running(c) ? { announce: {}, start: () => {} } : afterUseCycle(ctx, c);
        ctx.outbox.emit({
          type: 'door_closed',
          compartment: c,
          ...(ctx.contract === 'v2' && occupied !== null ? { occupied } : {}),
          ...uv.announce,
        });
        uv.start();
      }
    }
  }
  remember(ctx, ctx.bus.compartments);
}
