/** The serial path end to end over a real pseudo-terminal pair (socat), at 9600 8N1. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeLockBoard } from './fake-lock-board.ts';
import { Rs485LockBus } from './rs485-lock-bus.ts';
import { openTtyPort } from './tty-port.ts';

const haveSocat = spawnSync('socat', ['-V']).status === 0;
if (!haveSocat)
  console.warn(
    '[tty-port.test] SKIPPED: socat is not installed (apt-get install -y socat) — the pseudo-terminal test needs it.',
  );

describe.skipIf(!haveSocat)('tty port', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-tty-'));
  const [hostTty, boardTty] = [path.join(dir, 'host'), path.join(dir, 'board')];
  let socat: ChildProcess;

  beforeAll(async () => {
    socat = spawn('socat', [`pty,raw,echo=0,link=${hostTty}`, `pty,raw,echo=0,link=${boardTty}`]);
    const end = Date.now() + 3000;
    while (!(fs.existsSync(hostTty) && fs.existsSync(boardTty)) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => {
    socat.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('carries lock-board frames through a serial line', async () => {
    const host = await openTtyPort(hostTty);
    const boardSide = await openTtyPort(boardTty);
    const board = new FakeLockBoard({ address: 1, channels: 8 });
    boardSide.pipe(board).pipe(boardSide);
    const bus = new Rs485LockBus({
      port: host,
      mapping: [{ compartment: 1, board: 1, channel: 3 }],
      pollMs: 20,
    });
    try {
      const end = Date.now() + 3000;
      while (bus.door(1) === 'unknown' && Date.now() < end)
        await new Promise((r) => setTimeout(r, 10));
      expect(bus.door(1)).toBe('closed');
      await bus.open(1);
      expect(board.unlockCount(3)).toBe(1);
      expect(bus.door(1)).toBe('open');
    } finally {
      await bus.close();
      host.destroy();
      boardSide.destroy();
    }
  });

  it('refuses a path that is not a serial device', async () => {
    const file = path.join(dir, 'plain');
    fs.writeFileSync(file, '');
    await expect(openTtyPort(file)).rejects.toThrow();
  });
});
