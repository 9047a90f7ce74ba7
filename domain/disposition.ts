/** `Content-Disposition` with the name as it was (RFC 6266 / 5987) and an ASCII fallback. */
export function disposition(kind: 'inline' | 'attachment', filename: string): string {
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
    'content-disposition': disposition(inline ? 'inline' : 'attachment', f.filename),
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  };
}
