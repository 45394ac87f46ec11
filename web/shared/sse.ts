/** Server-Sent Events parsing for the live stream (no DOM or React: the server tests use it too). */

/** A frame from the server. `ready` means the subscription is in place. */
export type LiveFrame =
  | { type: 'ready' }
  | { type: 'parcel'; parcelId: string; event: string }
  | { type: 'alert'; alertId: string; lockerId: string; status: string }
  | { type: 'compartment'; lockerId: string; numbers: number[] }
  | { type: 'consent'; requestId: string; status: string }
  | { type: 'need'; needId: string; action: string; status: string }
  | { type: 'notice'; kind: 'notice' | 'activity'; id: string };

/** Parse complete SSE events out of a text buffer; returns the frames and the unparsed rest. */
export function parseSse(buffer: string): { frames: LiveFrame[]; rest: string } {
  const frames: LiveFrame[] = [];
  const parts = buffer.split('\n\n');
  const rest = parts.pop() ?? '';
  for (const part of parts) {
    let event = 'message';
    let data = '';
    for (const line of part.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (!data) continue;
    try {
      frames.push({ ...(JSON.parse(data) as object), type: event } as LiveFrame);
    } catch {
      /* a malformed frame is skipped; the next refetch catches up */
    }
  }
  return { frames, rest };
}
