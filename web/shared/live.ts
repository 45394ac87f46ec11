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
  const [connected, setConnected] = useState(false);
  const handler = useRef(onFrame);
  handler.current = onFrame;
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let delay = 1000;
    void (async () => {
      while (!abort.signal.aborted) {
        try {
          const res = await api.send('GET', '/live', undefined, undefined, abort.signal);
          if (res.status === 401 || res.status === 403) break;
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
  }, [api, enabled]);
  return connected;
}
