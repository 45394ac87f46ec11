/**
 * The people at a simulated cabinet (demo only): when a door opens for a deposit, a hand
 * puts the parcel in and shuts the door a few seconds later; when it opens for a pickup
 * or a collection, the parcel is taken out and the door shut. The hand learns why a door
 * opened from the `open` command the agent received (a real cabinet's hardware never
 * knows; the person in front of it does). A staff member who opens a compartment with a
 * parcel in it takes the parcel out (to hand it over at the desk, say) and shuts the door: the
 * cloud then asks staff where it went (ADR 0041), so the demo shows that too. Other opens with
 * no known purpose (an empty compartment, an offline code) are left to the cabinet's own
 * auto-close. The benchmarks and tests drive
 * doors themselves and do not use this.
 */
import { decodeCommand } from '../contract/validate.ts';
import type { SimulatorLockBus } from './adapters/simulator-lock-bus.ts';
import type { Link } from './ports/link.ts';

/** A purpose learned this long ago no longer explains a door opening (the open detection window is seconds). */
const INTENT_TTL_MS = 30_000;

/** What the person in front of the door came to do. */
export type HandIntent = 'put' | 'take';

/** Options of the simulated hands; simulated milliseconds (multiplied by timeScale). */
export interface HandOptions {
  /** From the door opening to the parcel being in (or out) and the door shut. Default 3000. */
  actMs?: number;
  timeScale?: number;
}

/** Hands at one cabinet. */
export class SimulatedHands {
  /** Intent per compartment and when it was learned: a redelivered command whose door never opened again must not linger. */
  private readonly intents = new Map<number, { intent: HandIntent; at: number }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly bus: SimulatorLockBus,
    private readonly opts: HandOptions = {},
  ) {
    this.unsubscribe = bus.subscribe((e) => {
      if (e.type !== 'door' || !e.open) return;
      const known = this.intents.get(e.compartment);
      this.intents.delete(e.compartment);
      if (known && Date.now() - known.at < INTENT_TTL_MS) this.act(e.compartment, known.intent);
    });
  }

  /** The next time this compartment's door opens, do this. */
  expect(compartment: number, intent: HandIntent): void {
    if (this.bus.compartments.includes(compartment))
      this.intents.set(compartment, { intent, at: Date.now() });
  }

  /** Wrap the agent's link so every `open` command the cloud sends tells the hand why. */
  watch(link: Link): Link {
    // Every call goes to the link itself, so its own state stays in one object.
    return {
      start: (handlers) =>
        link.start({
          ...handlers,
          onMessage: (topic, payload) => {
            this.notice(topic, payload);
            handlers.onMessage(topic, payload);
          },
        }),
      connected: () => link.connected(),
      publish: (topic, payload, opts) => link.publish(topic, payload, opts),
      drop: () => link.drop(),
      stop: (farewell) => link.stop(farewell),
      kill: () => link.kill(),
    };
  }

  /** Stop acting (pending hands are withdrawn). */
  close(): void {
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private notice(topic: string, payload: Buffer): void {
    if (!topic.endsWith('/cmd')) return;
    const decoded = decodeCommand(payload);
    if (!decoded.ok || decoded.value.type !== 'open') return;
    const { compartment, reason } = decoded.value;
    if (reason === 'deposit') this.expect(compartment, 'put');
    else if (reason === 'pickup' || reason === 'retrieve') this.expect(compartment, 'take');
    else if (reason === 'staff' && this.bus.occupied(compartment) === true)
      this.expect(compartment, 'take');
  }

  private act(compartment: number, intent: HandIntent): void {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        if (this.bus.door(compartment) !== 'open') return;
        this.bus.setOccupied(compartment, intent === 'put');
        this.bus.closeDoor(compartment);
      },
      (this.opts.actMs ?? 3000) * (this.opts.timeScale ?? 1),
    );
    t.unref?.();
    this.timers.add(t);
  }
}
