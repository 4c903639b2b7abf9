import {allLocales} from './generated/locale-codes.js';

// Language tags to the portal's languages; no browser APIs, so the server's mail uses it too.

/** A language the portal speaks: German (the source, the help article's labels) and the rest. */
export type PortalLocale = (typeof allLocales)[number];

/**
 * The portal's language for a BCP 47 tag (`pl-PL` → `pl`), or `undefined` when the portal does
 * not speak it. Swiss German, Austrian German etc. match by their first subtag.
 */
export function supportedLocale(languageTag: string | null | undefined): PortalLocale | undefined {
  const language = languageTag?.trim().toLowerCase().split(/[-_]/)[0];
  return allLocales.find((locale) => locale === language);
}
