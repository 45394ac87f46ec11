/** The parent's handle on bench/node-child.ts: fork it, call its operations, hear its SMS. */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

const CHILD = path.join(path.dirname(new URL(import.meta.url).pathname), 'node-child.ts');

/** A forked node under test. */
export class BenchNode {
  private seq = 0;
  private readonly waiting = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();
  private smsListener: ((phone: string, body: string, at: number) => void) | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on(
      'message',
      (m: {
        id?: number;
        value?: unknown;
        error?: string;
        event?: string;
        phone?: string;
        body?: string;
        at?: number;
      }) => {
        if (m.event === 'sms') return this.smsListener?.(m.phone!, m.body!, m.at!);
        const w = m.id === undefined ? undefined : this.waiting.get(m.id);
        if (!w) return;
        this.waiting.delete(m.id!);
        if (m.error) w.reject(new Error(`node-child: ${m.error}`));
        else w.resolve(m.value);
      },
    );
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`node-child exited with ${code}`));
      this.waiting.clear();
    });
  }

  /** Fork the child (TypeScript through tsx, like bin/antnest.js; node-child.ts unless `script` names another) and wait until it listens. */
  static async start(opts: { maxOldSpaceMiB?: number; script?: string } = {}): Promise<BenchNode> {
    const execArgv = [
      '--import',
      'tsx',
      ...(opts.maxOldSpaceMiB ? [`--max-old-space-size=${opts.maxOldSpaceMiB}`] : []),
      // ANTNEST_BENCH_NODE_ARGS="--trace-gc --single-threaded-gc": V8 flags for the node under test (experiments).
      ...(process.env.ANTNEST_BENCH_NODE_ARGS
        ? process.env.ANTNEST_BENCH_NODE_ARGS.split(' ')
        : []),
    ];
    const child = fork(opts.script ? path.join(path.dirname(CHILD), opts.script) : CHILD, [], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const node = new BenchNode(child);
    await new Promise<void>((resolve, reject) => {
      const onMsg = (m: { event?: string }) => {
        if (m.event === 'ready') {
          child.off('message', onMsg);
          resolve();
        }
      };
      child.on('message', onMsg);
      child.once('exit', (code) =>
        reject(new Error(`node-child exited with ${code} before it was ready`)),
      );
    });
    return node;
  }

  /** Call an operation of the child. */
  call<T = Record<string, unknown>>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, args });
    });
  }

  /** Hear every SMS the node sends (phone, body, wall ms). */
  onSms(fn: (phone: string, body: string, at: number) => void): void {
    this.smsListener = fn;
  }

  /** The child's pid (for ps and profiles). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Stop everything in the child and wait for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    await this.call('stop').catch(() => {});
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
