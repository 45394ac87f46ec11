/**
 * The live stream (GET /api/v1/live, Server-Sent Events) read with fetch, so the token
 * travels in the Authorization header, never in a URL. Frames carry ids and types only;
 * the app refetches what changed through the normal API. Reconnects with backoff.
 */
import { useEffect, useRef, useState } from 'react';
import type { Api } from './api.ts';
import { type LiveFrame, parseSse } from './sse.ts';

export type { LiveFrame } from './sse.ts';

/** Subscribe while `enabled`; `onFrame` gets every frame. Returns whether the stream is connected. */
export function useLive(api: Api, enabled: boolean, onFrame: (f: LiveFrame) => void): boolean {
  return useStream(
    (signal) => api.send('GET', '/live', undefined, undefined, signal),
    api,
    enabled,
    onFrame,
  );
}

/**
 * A hall kiosk's public board stream (GET /api/v1/live/halls/{hallId}): notice and activity
 * ids over the hall's place, no sign-in. Returns whether it is connected.
 */
export function useBoardLive(hallId: string | null, onFrame: (f: LiveFrame) => void): boolean {
  return useStream(
    (signal) => fetch(`/api/v1/live/halls/${encodeURIComponent(hallId ?? '')}`, { signal }),
    hallId,
    hallId !== null,
    onFrame,
  );
}

/** Read an SSE response opened by `open` while `enabled`, reconnecting with backoff; `key` restarts it. */
function useStream(
  open: (signal: AbortSignal) => Promise<Response>,
  key: unknown,
  enabled: boolean,
  onFrame: (f: LiveFrame) => void,
): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onFrame);
  handler.current = onFrame;
  const opener = useRef(open);
  opener.current = open;
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let delay = 1000;
    void (async () => {
      while (!abort.signal.aborted) {
        try {
          const res = await opener.current(abort.signal);
          if (res.status === 401 || res.status === 403 || res.status === 404) break;
          if (!res.ok || !res.body) throw new Error(`live ${res.status}`);
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buf = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const { frames, rest } = parseSse(buf + value);
            buf = rest;
            for (const f of frames) {
              if (f.type === 'ready') {
                setConnected(true);
                delay = 1000;
              }
              handler.current(f);
            }
          }
        } catch {
          if (abort.signal.aborted) break;
        }
        setConnected(false);
        if (abort.signal.aborted) break;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    })();
    return () => {
      abort.abort();
      setConnected(false);
    };
  }, [key, enabled]);
  return connected;
}
