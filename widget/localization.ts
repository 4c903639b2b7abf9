import {configureLocalization} from '@lit/localize';
import {sourceLocale, targetLocales} from './generated/locale-codes.js';

export type PortalLocale = 'de' | 'en';

// Loaded on first use, as a chunk of its own next to the entry (see lazy-parts.ts).
const localeModules = {
  en: () => import('./generated/locales/en.js'),
} satisfies Record<(typeof targetLocales)[number], () => Promise<unknown>>;

const {getLocale, setLocale} = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: (locale) => localeModules[locale as keyof typeof localeModules](),
});

/** The locale the portal renders in right now. */
export function activeLocale(): PortalLocale {
  return getLocale() === 'en' ? 'en' : 'de';
}

/** Maps any BCP 47 tag to a portal locale: English for `en*`, German for everything else. */
export function portalLocaleFor(languageTag: string | null | undefined): PortalLocale {
  return languageTag?.trim().toLowerCase().startsWith('en') ? 'en' : 'de';
}

/** Switches every portal element on the page to `locale`; resolves once its strings are loaded. */
export function switchLocale(locale: PortalLocale): Promise<void> {
  return setLocale(locale);
}
