/**
 * Folds Vietnamese text for search: NFC-independent, case-insensitive and diacritics-insensitive,
 * so "thi hanh an" finds "Thi hành án". đ/Đ are letters of their own, not d + a mark, so they are mapped.
 */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
