/**
 * What may be attached, told by content (file-type's MIME type), and the extensions a name of each may end in; the
 * first is the one a name is given when it ends in none of them. The old binary Office formats share one container.
 */
export const ATTACHMENT_EXTENSIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['application/pdf', ['pdf']],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', ['docx']],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ['xlsx']],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', ['pptx']],
  ['application/x-cfb', ['doc', 'xls', 'ppt']],
  ['application/vnd.oasis.opendocument.text', ['odt']],
  ['application/vnd.oasis.opendocument.spreadsheet', ['ods']],
  ['image/png', ['png']],
  ['image/jpeg', ['jpg', 'jpeg']],
  ['image/tiff', ['tif', 'tiff']],
  ['application/zip', ['zip']],
]);

/**
 * A file's name as it is kept and served: a label, never a path or a disguise. Control characters and path
 * separators go, and so do format characters (\p{Cf}: bidi overrides that show "‮fdp.exe" as "exe.pdf", zero-width
 * joiners); the name ends in an extension of the type its content is, whatever extension it was sent with.
 */
export function fileName(sent: string, contentType: string): string {
  const label =
    sent
      .normalize('NFC')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f/\\]|\p{Cf}/gu, '')
      .trim()
      .slice(0, 240) || 'tep-dinh-kem';
  const allowed = ATTACHMENT_EXTENSIONS.get(contentType);
  if (!allowed) return label;
  const ext = /\.([A-Za-z][A-Za-z0-9]{0,7})$/.exec(label)?.[1];
  if (ext && allowed.includes(ext.toLowerCase())) return label;
  // An extension of another type is replaced; a name with none (or a dotted number) keeps all of itself.
  return `${ext ? label.slice(0, -ext.length - 1) : label}.${allowed[0]}`;
}
