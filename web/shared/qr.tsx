/** A QR code drawn as SVG (qrcode-generator; no canvas, scales to any size). */
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

/** Render `text` as a QR code `size` pixels wide. */
export function Qr({ text, size = 180, label }: { text: string; size?: number; label: string }) {
  const svg = useMemo(() => {
    const q = qrcode(0, 'M');
    q.addData(text);
    q.make();
    return q.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
  }, [text]);
  return (
    <div
      role="img"
      aria-label={label}
      style={{ width: size, height: size, background: '#fff' }}
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}
