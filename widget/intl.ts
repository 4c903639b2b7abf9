import {activeLocale} from './localization.js';

// The `Intl` pieces the login form needs too; kept apart from format.ts so that the initial
// bundle does not carry the dashboard's formatting rules.

/** Locale tags for `Intl`: German formatting as used in Germany, English as in Britain/EU. */
export function intlLocale(): string {
  return activeLocale() === 'en' ? 'en-GB' : 'de-DE';
}

/** A span of time in words, e.g. „5 Minuten" (plural rules from `Intl`). */
export function formatWaitTime(seconds: number): string {
  const [value, unit] =
    seconds < 60 ? [Math.max(1, seconds), 'second'] : [Math.ceil(seconds / 60), 'minute'];
  return new Intl.NumberFormat(intlLocale(), {style: 'unit', unit, unitDisplay: 'long'}).format(
    value,
  );
}
