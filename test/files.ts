/** Files the attachment tests upload: a small but complete PDF and the start of a Windows executable. */
import { onePagePdf } from '../scripts/demo/pdf.js';

/** A one-page PDF that says `text` (ASCII), so a test can have bytes, and a hash, of its own. */
export const pdf = (text = 'Bao cao'): Buffer => onePagePdf(text);

/** The start of a Windows executable ("MZ", a PE header), whatever it is called. */
export function exe(): Buffer {
  const b = Buffer.alloc(4096);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
}
