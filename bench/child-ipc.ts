/** The child side of the benchmark processes' IPC: answer `{ id, op, args }` with `{ id, value | error }`. */

/** One operation a child offers its parent. */
export type Handler = (args: Record<string, unknown>) => Promise<unknown>;

/** Serve these operations over the IPC channel, say ready, and leave with the parent. */
export function serveOps(ops: Record<string, Handler>): void {
  process.on('message', (m: { id: number; op: string; args?: Record<string, unknown> }) => {
    const op = ops[m.op];
    if (!op) return void process.send!({ id: m.id, error: `unknown op ${m.op}` });
    op(m.args ?? {}).then(
      (value) => process.send!({ id: m.id, value }),
      (e: unknown) => process.send!({ id: m.id, error: (e as Error).stack ?? String(e) }),
    );
  });
  // An orphan would keep ports and CPU: leave with the parent.
  process.on('disconnect', () => process.exit(0));
  process.send!({ event: 'ready' });
}
