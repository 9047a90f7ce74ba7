/**
 * The web app's words, Vietnamese first and English switchable (web/i18n/): every page takes its text from here;
 * the English dictionary must have every key the Vietnamese one has (the type says so).
 */
import type { Language } from '../domain/lists.js';
import { en } from './i18n/en.js';
import { vi, type Dictionary } from './i18n/vi.js';

export type { Dictionary };

const DICTIONARIES: Record<Language, Dictionary> = { vi, en };

export const dictionary = (language: Language): Dictionary => DICTIONARIES[language];
