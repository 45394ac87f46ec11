/**
 * Open a serial device (a USB–RS485 adapter such as /dev/ttyUSB0) as a Duplex without a
 * native serial-port package: `stty` sets the line to 9600 8N1 raw, and node's tty
 * streams read it on the event loop. Linux only; the 8A/80 boards fix 9600 8N1.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { Duplex } from 'node:stream';
import tty from 'node:tty';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Configure and open a serial device. */
export async function openTtyPort(devicePath: string, baud = 9600): Promise<Duplex> {
  await run('stty', [
    '-F',
    devicePath,
    String(baud),
    'raw',
    '-echo',
    'cs8',
    '-cstopb',
    '-parenb',
    '-crtscts',
    '-ixon',
    '-ixoff',
    'clocal',
  ]);
  const fd = fs.openSync(devicePath, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  if (!tty.isatty(fd)) {
    fs.closeSync(fd);
    throw new Error(`${devicePath} is not a serial device`);
  }
  const input = new tty.ReadStream(fd);
  const output = new tty.WriteStream(fd);
  const port = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, done) {
      output.write(chunk, done);
    },
    destroy(err, done) {
      input.destroy();
      output.destroy();
      done(err);
    },
  });
  input.on('data', (chunk: Buffer) => port.push(chunk));
  input.on('error', (err) => port.destroy(err));
  return port;
}
