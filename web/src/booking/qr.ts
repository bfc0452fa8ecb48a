// The QR code of a booking (it holds the code, e.g. `LH-7K2M9Q`, which the counter page reads),
// drawn on the device as an SVG data URL: no network.

import { toString } from 'qrcode';

export async function qrDataUrl(text: string): Promise<string> {
  const svg = await toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
