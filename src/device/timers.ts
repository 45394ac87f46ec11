/**
 * The agent's timers, all cancellable at once (stop, crash) and all stretched by one
 * timeScale, so a test or a fleet can run "10 s door windows" in 100 ms of wall time.
 */

/** Tracks setTimeout handles; `scale` multiplies every duration. */
export class Timers {
  private readonly handles = new Set<NodeJS.Timeout>();
  private dead = false;

  constructor(readonly scale = 1) {}

  /** Run fn after ms (scaled); returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    if (this.dead) return () => {};
    const h = setTimeout(
      () => {
        this.handles.delete(h);
        fn();
      },
      Math.max(0, ms * this.scale),
    );
    this.handles.add(h);
    return () => {
      clearTimeout(h);
      this.handles.delete(h);
    };
  }

  /** Run fn every ms (scaled) until cancelled. */
  every(ms: number, fn: () => void): () => void {
    let cancel = () => {};
    const tick = () => {
      cancel = this.after(ms, tick);
      fn();
    };
    cancel = this.after(ms, tick);
    return () => cancel();
  }

  /** A promise resolved after ms (scaled); never resolves once the timers are cleared. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** Cancel everything and refuse new timers. */
  clearAll(): void {
    this.dead = true;
    for (const h of this.handles) clearTimeout(h);
    this.handles.clear();
  }
}
