/**
 * Compression of every text response (issue 12, "light pages"): brotli first, gzip for
 * older clients, above ~1 KB (below that the headers cost more than the bytes saved).
 * Dynamic bodies use brotli quality 4: quality 11 costs ~30× the CPU for a few percent
 * less on a JSON list. The built web apps are compressed once at build time at full
 * quality (web/vite.config.ts) and sent as they are (static.ts, `preCompressed`).
 * The live stream (text/event-stream) hijacks its reply and writes to the socket, so it
 * never passes through here: a compressor would buffer the frames it must flush at once.
 * Register it before every route: @fastify/compress attaches its onSend to each route as
 * the route is declared. Being route-level, it runs after the app-level onSend of the
 * idempotency plugin, which therefore stores the body as text, not a compressed stream
 * (compression.test.ts holds this: a stored stream would make a retry run the change twice).
 */
import { constants } from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** Smallest body worth compressing, in bytes. */
export const COMPRESS_THRESHOLD = 1024;

/** Register response compression for the whole app (call before the routes). */
export async function installCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    global: true,
    threshold: COMPRESS_THRESHOLD,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
    // Text only; event streams are excluded even if one were ever sent through reply.send.
    customTypes:
      /^(?!text\/event-stream)(text\/|application\/(json|javascript|xml|manifest\+json|problem\+json)|image\/svg\+xml)/,
  });
}
