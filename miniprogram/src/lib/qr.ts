/** A pickup code as a QR image for <image src>: a GIF data URL (qrcode-generator, no canvas). */
import qrcode from 'qrcode-generator';

/** `text` as a QR code data URL, `cell` pixels a module. */
export function qrDataUrl(text: string, cell = 4): string {
  const q = qrcode(0, 'M');
  q.addData(text);
  q.make();
  return q.createDataURL(cell, cell * 2);
}
