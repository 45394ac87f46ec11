/**
 * The retained messages: the `state` snapshot (republished on connect and, coalesced,
 * after every change) and the `status` presence including the Last Will. Retained
 * values are "latest wins", so they bypass the outbox: a missed one is superseded.
 */
import type { LockerState, LockerStatus } from '../contract/state.ts';
import { lockerTopic } from '../contract/topics.ts';
import { iso, newId } from '../kernel/clock.ts';
import type { AgentContext } from './context.ts';
import { keypadLockedUntil } from './use-cases/pickup-code.ts';

/** The whole cabinet as a state snapshot with the next revision. */
export function buildState(ctx: AgentContext, agentVersion: string, revision: number): LockerState {
  const { bus, store, clock, random } = ctx;
  const locked = keypadLockedUntil(ctx);
  return {
    messageId: newId(clock, random),
    lockerId: ctx.lockerId,
    sentAt: iso(clock.now()),
    revision,
    agentVersion,
    lastSeq: store.lastSeq(),
    syncRevision: store.getMeta<{ revision: number }>('sync')?.revision ?? 0,
    verifierCount: store.listVerifiers().length,
    keypadLockedUntil: locked > 0 ? iso(locked) : null,
    capabilities: { uv: bus.capabilities.uv, occupancy: bus.capabilities.occupancy },
    settings: ctx.settings(),
    compartments: bus.compartments.map((c) => ({
      compartment: c,
      door: bus.door(c),
      lock: bus.lock(c),
      occupied: bus.occupied(c),
      uv: ctx.uv.running(c) ? 'running' : 'off',
    })),
  };
}

/** A status message; `connectionId` ties an offline Will to the connection it belongs to. */
export function buildStatus(
  ctx: Pick<AgentContext, 'lockerId' | 'clock' | 'random'>,
  status: LockerStatus['status'],
  reason: LockerStatus['reason'],
  connectionId: string,
): LockerStatus {
  return {
    messageId: newId(ctx.clock, ctx.random),
    lockerId: ctx.lockerId,
    sentAt: iso(ctx.clock.now()),
    status,
    connectionId,
    reason,
  };
}

/**
 * Contract v2: a snapshot waits for this long without a change (ms, agent time) before it
 * goes. A door cycle's facts (open, outcome, occupancy, close) already tell the cloud every
 * change; the snapshot is the catch-up copy, so one per burst is enough — and none for a
 * burst whose every change a fact told (the snapshot would only repeat them: the cloud
 * finds its lastSeq applied and keeps nothing from it). Changes no fact carries (settings,
 * the offline-code set) still bring one, as does every (re)connect.
 */
export const STATE_DEBOUNCE_MS = 1000;
/** v2: a cabinet that never stays still for STATE_DEBOUNCE_MS still publishes this often (ms). */
export const STATE_MAX_WAIT_MS = 5000;

/** Publishes the retained state snapshot, coalescing bursts of changes (v2: debounced). */
export class StatePublisher {
  private pending = false;
  private stopped = false;
  /** v2: the debounce timer's cancel, and when the first unpublished change came (timer ms). */
  private cancelDebounce: (() => void) | null = null;
  private firstChangeAt = 0;

  constructor(
    private readonly ctx: () => AgentContext,
    private readonly agentVersion: string,
  ) {}

  /**
   * Something changed: publish soon (v1: once per event-loop burst; v2: after STATE_DEBOUNCE_MS
   * of quiet, and only for a burst with a change no fact told).
   */
  changed(toldByFact = false): void {
    if (this.stopped) return;
    const ctx = this.ctx();
    if (ctx.contract === 'v2') {
      // A told change alone sends nothing; during a snapshot's wait it pushes the wait back like any change.
      if (toldByFact && !this.cancelDebounce) return;
      return this.debounce(ctx);
    }
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      void this.publishNow();
    });
  }

  private debounce(ctx: AgentContext): void {
    const now = Date.now();
    if (this.cancelDebounce) this.cancelDebounce();
    else this.firstChangeAt = now;
    // Real time scaled like every agent timer: the wait already spent counts against the max.
    const spent = (now - this.firstChangeAt) / (ctx.timers.scale || 1);
    const wait = Math.max(0, Math.min(STATE_DEBOUNCE_MS, STATE_MAX_WAIT_MS - spent));
    this.cancelDebounce = ctx.timers.after(wait, () => {
      this.cancelDebounce = null;
      void this.publishNow();
    });
  }

  /** Publish the snapshot now (on connect: a debounced one still waiting is folded into it). */
  async publishNow(): Promise<void> {
    const ctx = this.ctx();
    this.cancelDebounce?.();
    this.cancelDebounce = null;
    if (this.stopped || !ctx.link.connected()) return;
    ctx.outbox.flush(); // the facts its lastSeq counts go first
    try {
      const revision = (ctx.store.getMeta<number>('stateRevision') ?? 0) + 1;
      ctx.store.setMeta('stateRevision', revision);
      await ctx.link.publish(
        lockerTopic(ctx.lockerId, 'state'),
        JSON.stringify(buildState(ctx, this.agentVersion, revision)),
        { retain: true },
      );
    } catch {
      // Superseded by the next snapshot (every reconnect publishes one).
    }
  }

  /** Stop publishing. */
  stop(): void {
    this.stopped = true;
    this.cancelDebounce?.();
    this.cancelDebounce = null;
  }
}
