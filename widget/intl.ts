import {activeLocale, type PortalLocale} from './localization.js';

// The `Intl` pieces the login form needs too; kept apart from format.ts so that the initial
// bundle does not carry the dashboard's formatting rules.

/** Formatting conventions per language: as in the country whose drivers speak it most. */
const intlLocales: Record<PortalLocale, string> = {
  de: 'de-DE',
  en: 'en-GB',
  pl: 'pl-PL',
  ro: 'ro-RO',
  uk: 'uk-UA',
  cs: 'cs-CZ',
  bg: 'bg-BG',
  lt: 'lt-LT',
  hu: 'hu-HU',
  tr: 'tr-TR',
  ru: 'ru-RU',
};

/** The `Intl` locale tag of the portal's language, e.g. `pl-PL`. */
export function intlLocale(): string {
  return intlLocales[activeLocale()];
}

/** A span of time in words, e.g. „5 Minuten" (plural rules from `Intl`). */
export function formatWaitTime(seconds: number): string {
  const [value, unit] =
    seconds < 60 ? [Math.max(1, seconds), 'second'] : [Math.ceil(seconds / 60), 'minute'];
  return new Intl.NumberFormat(intlLocale(), {style: 'unit', unit, unitDisplay: 'long'}).format(
    value,
  );
}
