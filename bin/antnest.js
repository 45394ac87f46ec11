#!/usr/bin/env node
// The CLI entry: registers the TypeScript loader (tsx) so `antnest` runs straight
// from a clean clone with no build step, then hands over to src/main.ts — or, for
// `antnest bench`, to bench/run.ts, so the server's module graph never includes the
// benchmarks.
import { register } from 'tsx/esm/api';

register();
if (process.argv[2] === 'bench') {
  const { runBench } = await import('../bench/run.ts');
  process.exit(await runBench(process.argv.slice(3)));
} else {
  await import('../src/main.ts');
}
