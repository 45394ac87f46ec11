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
  /** Open commands whose outcome is not recorded yet (by commandId), and what waits for it. */
  private readonly awaitingOutcome = new Map<string, (() => void)[]>();

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
   * An open command will record its outcome: what waits for it (afterOutcome) runs once it is
   * recorded. Pair every call with outcomeRecorded.
   */
  expectOutcome(commandId: string): void {
    this.awaitingOutcome.set(commandId, []);
  }

  /**
   * Run fn now, or once the outcome of this open command is recorded (in call order). The door
   * watch holds the close of a door that command opened this way, so the outcome (the open's
   * answer) always has the lower seq, however fast the door shuts again.
   */
  afterOutcome(commandId: string, fn: () => void): void {
    const waiting = this.awaitingOutcome.get(commandId);
    if (waiting) waiting.push(fn);
    else fn();
  }

  /** The command's outcome was recorded (or never will be): what waited for it runs. */
  outcomeRecorded(commandId: string): void {
    const waiting = this.awaitingOutcome.get(commandId);
    this.awaitingOutcome.delete(commandId);
    for (const fn of waiting ?? []) fn();
  }

  /** Seconds since this compartment's relay last fired in this run, if it did. */
  lastRelaySecondsAgo(compartment: number, now: number): number | undefined {
    const t = this.lastRelay.get(compartment);
    return t === undefined ? undefined : Math.max(0, (now - t) / 1000);
  }
}
