#!/usr/bin/env node
// The CLI entry: registers the TypeScript loader (tsx) so `antnest` runs straight
// from a clean clone with no build step, then hands over to src/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
