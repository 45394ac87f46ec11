/**
 * Read a QR code with the phone's camera where the browser has a barcode detector (the
 * caller always offers a text field too, for browsers without one or a refused camera).
 * Returns the ref to put on a <video>; `onCode` gets the first code read while `active`.
 */
import { type RefObject, useEffect, useRef } from 'react';

type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };

export function useQrCamera(
  active: boolean,
  onCode: (text: string) => void,
): RefObject<HTMLVideoElement | null> {
  const video = useRef<HTMLVideoElement>(null);
  const handler = useRef(onCode);
  handler.current = onCode;
  useEffect(() => {
    if (!active) return;
    const Ctor = (globalThis as { BarcodeDetector?: new (o: unknown) => Detector }).BarcodeDetector;
    if (!Ctor || !navigator.mediaDevices?.getUserMedia) return;
    let stream: MediaStream | null = null;
    let stop = false;
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
        });
        if (!video.current || stop) return;
        video.current.srcObject = stream;
        await video.current.play();
        const detector = new Ctor({ formats: ['qr_code'] });
        while (!stop) {
          const codes = await detector.detect(video.current).catch(() => []);
          if (codes[0]) {
            stop = true;
            handler.current(codes[0].rawValue);
            break;
          }
          await new Promise((r) => setTimeout(r, 300));
        }
      } catch {
        /* no camera or refused: the caller's text field still works */
      }
    })();
    return () => {
      stop = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [active]);
  return video;
}
