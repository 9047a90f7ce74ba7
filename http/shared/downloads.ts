/**
 * How both doors answer with a file: one `Content-Disposition` (RFC 6266, the name as it was in RFC 5987's
 * `filename*`, an ASCII fallback), its type, and caching rules. An upload's name is cleaned by the domain's rule
 * (domain/disposition.ts) before it is served.
 */
import { fileName } from '../../domain/disposition.js';

/** `Content-Disposition` with the name as it was (RFC 6266 / 5987) and an ASCII fallback. */
function disposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * The headers a downloaded file is answered with, at either door: its type (read from its content), its length,
 * its name; shown in the browser only when asked and only for a PDF (the pages' preview).
 */
export function downloadHeaders(f: { contentType: string; size: number; filename: string }, askedInline: boolean): Record<string, string> {
  const inline = askedInline && f.contentType === 'application/pdf';
  return {
    'content-type': f.contentType,
    'content-length': String(f.size),
    // Cleaned again here: a name stored before names were cleaned this way is served clean too.
    'content-disposition': disposition(inline ? 'inline' : 'attachment', fileName(f.filename, f.contentType)),
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  };
}

/** A file the product writes on the fly (a report, an export): its type, its name, never kept by a cache on the way. */
export function generatedFileHeaders(filename: string, contentType: string): Record<string, string> {
  return { 'content-type': contentType, 'content-disposition': disposition('attachment', filename), 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store' };
}
