import type { Language } from '../../domain/lists.js';

/** A wait, in the words of the page's language: seconds under two minutes, whole minutes above. */
export function waitText(language: Language, seconds: number): string {
  if (seconds < 120) return language === 'vi' ? `${seconds} giây` : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return language === 'vi' ? `${minutes} phút` : `${minutes} minutes`;
}
