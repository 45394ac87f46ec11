#!/usr/bin/env node
// The CLI entry: registers the TypeScript loader (tsx) so `antnest` runs straight from a
// clean clone with no build step, then hands over to one of three module graphs that never
// mix: the locker agent (src/device/cli.ts: kernel + contract only, no database drivers),
// the benchmarks (bench/run.ts), or the cloud (src/main.ts).
import { register } from 'tsx/esm/api';

register();
const [command, ...rest] = process.argv.slice(2);
if (command === 'locker' || command === 'fleet') {
  const cli = await import('../src/device/cli.ts');
  const run = command === 'locker' ? cli.runLockerCommand : cli.runFleetCommand;
  process.exit(await run(rest));
} else if (command === 'bench') {
  const { runBench } = await import('../bench/run.ts');
  process.exit(await runBench(rest));
} else {
  await import('../src/main.ts');
}
