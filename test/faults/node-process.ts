/**
 * An antnest node in a child process that a fault test can kill -9 and start again on
 * the same database and ports. Its stdout (the pino log) is appended to a file so the
 * privacy scan can read every log line the suite produced.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node-child.ts');

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A restartable node. */
export class NodeProcess {
  private child: ChildProcess | undefined;
  httpUrl = '';
  mqttUrl = '';
  starts = 0;

  constructor(
    private readonly env: Record<string, string>,
    readonly logFile: string,
  ) {}

  /** Start (or start again) and resolve when the node answers. */
  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    const log = fs.createWriteStream(this.logFile, { flags: 'a' });
    child.stderr!.pipe(log);
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(
        () => reject(new Error(`node did not start in ${timeoutMs} ms; see ${this.logFile}`)),
        timeoutMs,
      );
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`node exited during start (${code ?? sig}); see ${this.logFile}`));
      });
      child.stdout!.on('data', (d: Buffer) => {
        log.write(d);
        buf += d.toString();
        const line = buf.split('\n').find((l) => l.includes('"antnestChildReady"'));
        if (line) {
          const ready = JSON.parse(line);
          this.httpUrl = ready.httpUrl;
          this.mqttUrl = ready.mqttUrl;
          buf = '';
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve();
        }
      });
    });
  }

  /** kill -9: no goodbye, no flush. Resolves once the process is gone. */
  async kill9(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGKILL');
    await gone;
  }

  /** Graceful stop. */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(t);
  }

  alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }
}
