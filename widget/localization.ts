import {configureLocalization} from '@lit/localize';
import {sourceLocale, targetLocales} from '../common/generated/locale-codes.js';
import {supportedLocale, type PortalLocale} from '../common/locale-tags.js';

export {supportedLocale, type PortalLocale} from '../common/locale-tags.js';

/**
 * Each language's name in itself, as the language switcher lists it (the same in every
 * language: a driver looks for „Polski", not for „Polnisch").
 */
export const localeNames: Record<PortalLocale, string> = {
  de: 'Deutsch',
  en: 'English',
  pl: 'Polski',
  ro: 'Română',
  uk: 'Українська',
  cs: 'Čeština',
  bg: 'Български',
  lt: 'Lietuvių',
  hu: 'Magyar',
  tr: 'Türkçe',
  ru: 'Русский',
};

/** Every language the portal speaks, in the switcher's order: German, English, then the rest. */
export const portalLocales = Object.keys(localeNames) as PortalLocale[];

// Each language loads on first use, as a chunk of its own next to the element's (lazy-parts.ts).
const localeModules = {
  en: () => import('../common/generated/locales/en.js'),
  pl: () => import('../common/generated/locales/pl.js'),
  ro: () => import('../common/generated/locales/ro.js'),
  uk: () => import('../common/generated/locales/uk.js'),
  cs: () => import('../common/generated/locales/cs.js'),
  bg: () => import('../common/generated/locales/bg.js'),
  lt: () => import('../common/generated/locales/lt.js'),
  hu: () => import('../common/generated/locales/hu.js'),
  tr: () => import('../common/generated/locales/tr.js'),
  ru: () => import('../common/generated/locales/ru.js'),
} satisfies Record<(typeof targetLocales)[number], () => Promise<unknown>>;

const {getLocale, setLocale} = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: (locale) => localeModules[locale as keyof typeof localeModules](),
});

/** The locale the portal renders in right now. */
export function activeLocale(): PortalLocale {
  return supportedLocale(getLocale()) ?? sourceLocale;
}

/**
 * The language to render in: the first of `candidates` (the element's `lang` attribute, the
 * page's language, the browser's languages, in that order) that the portal speaks; German when
 * none is.
 */
export function resolveLocale(candidates: ReadonlyArray<string | null | undefined>): PortalLocale {
  for (const candidate of candidates) {
    const locale = supportedLocale(candidate);
    if (locale) {
      return locale;
    }
  }
  return sourceLocale;
}

/** Switches every portal element on the page to `locale`; resolves once its strings are loaded. */
export function switchLocale(locale: PortalLocale): Promise<void> {
  return setLocale(locale);
}

const chosenLocaleKey = 'conroo-portal-language';

/** The language the user chose in the portal's switcher in this browser, if any. */
export function rememberedLocale(): PortalLocale | undefined {
  try {
    return supportedLocale(localStorage.getItem(chosenLocaleKey));
  } catch {
    return undefined; // Storage blocked (e.g. third-party storage off): the choice lasts the page.
  }
}

/** Remembers the user's choice in this browser, for the next visit and other CONROO pages. */
export function rememberLocale(locale: PortalLocale): void {
  try {
    localStorage.setItem(chosenLocaleKey, locale);
  } catch {
    // See rememberedLocale().
  }
}
