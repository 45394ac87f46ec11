/**
 * Which compartments have an open in flight right now, and when each relay last fired.
 * This is what tells an attributed door opening (answering a command or an offline
 * pickup) from an uncommanded one (ADR 0011). It also serialises work per compartment.
 */

/** Who asked for an open. */
export type OpenOwner =
  { kind: 'command'; commandId: string } | { kind: 'local'; localOpenId: string };

interface Active {
  owner: OpenOwner;
  openedAt: number | null;
  notify: (() => void) | null;
}

/** In-memory register of opens in flight. */
export class InflightOpens {
  private readonly active = new Map<number, Active>();
  private readonly lastRelay = new Map<number, number>();
  private readonly queues = new Map<number, Promise<unknown>>();
  /** Per compartment: open commands whose outcome is not recorded yet, and what waits for it. */
  private readonly awaitingOutcome = new Map<number, { pending: number; then: (() => void)[] }>();

  /** Run fn when no other work on this compartment is running (FIFO per compartment). */
  exclusive<T>(compartment: number, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(compartment) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    this.queues.set(compartment, tail);
    void tail.then(() => {
      if (this.queues.get(compartment) === tail) this.queues.delete(compartment);
    });
    return run;
  }

  /** Register an open; a door opening from now on is attributed to owner. */
  begin(compartment: number, owner: OpenOwner): void {
    this.active.set(compartment, { owner, openedAt: null, notify: null });
  }

  /** True while an open on this compartment is undecided. */
  busy(compartment: number): boolean {
    return this.active.has(compartment);
  }

  /** The relay of this compartment fired at `at` (ms). */
  relayFired(compartment: number, at: number): void {
    this.lastRelay.set(compartment, at);
  }

  /** Wait until the door opens or ms pass; resolves to the time it opened, or null. */
  waitForDoor(
    compartment: number,
    ms: number,
    sleep: (ms: number) => Promise<void>,
  ): Promise<number | null> {
    const a = this.active.get(compartment);
    if (!a) return Promise.resolve(null);
    if (a.openedAt !== null) return Promise.resolve(a.openedAt);
    return new Promise((resolve) => {
      let done = false;
      const finish = (v: number | null) => {
        if (done) return;
        done = true;
        a.notify = null;
        resolve(v);
      };
      a.notify = () => finish(a.openedAt);
      void sleep(ms).then(() => finish(a.openedAt));
    });
  }

  /** The door sensor saw this door open at `at`; returns the open it answers, if one is in flight. */
  doorOpened(compartment: number, at: number): OpenOwner | undefined {
    const a = this.active.get(compartment);
    if (!a) return undefined;
    if (a.openedAt === null) {
      a.openedAt = at;
      a.notify?.();
    }
    return a.owner;
  }

  /** The open is decided; later door openings are no longer attributed to it. */
  end(compartment: number): void {
    this.active.delete(compartment);
  }

  /**
   * An open command on this compartment will record its outcome: facts about the door that
   * the sensor reports meanwhile wait for it (afterOutcome), so the outcome always has the
   * lower seq, however fast the door closes again. Pair every call with outcomeRecorded.
   */
  expectOutcome(compartment: number): void {
    const w = this.awaitingOutcome.get(compartment);
    if (w) w.pending++;
    else this.awaitingOutcome.set(compartment, { pending: 1, then: [] });
  }

  /** Run fn now, or once the outcomes this compartment waits for are recorded (in call order). */
  afterOutcome(compartment: number, fn: () => void): void {
    const w = this.awaitingOutcome.get(compartment);
    if (w) w.then.push(fn);
    else fn();
  }

  /** An expected outcome was recorded (or never will be): what waited for the last one runs. */
  outcomeRecorded(compartment: number): void {
    const w = this.awaitingOutcome.get(compartment);
    if (!w || --w.pending > 0) return;
    this.awaitingOutcome.delete(compartment);
    for (const fn of w.then) fn();
  }

  /** Seconds since this compartment's relay last fired in this run, if it did. */
  lastRelaySecondsAgo(compartment: number, now: number): number | undefined {
    const t = this.lastRelay.get(compartment);
    return t === undefined ? undefined : Math.max(0, (now - t) / 1000);
  }
}
