import {isStrTagged, joinStringsAndValues, type StrResult} from '@lit/localize';
import {sourceLocale} from '../../common/generated/locale-codes.js';
import {templates as bg} from '../../common/generated/locales/bg.js';
import {templates as cs} from '../../common/generated/locales/cs.js';
import {templates as en} from '../../common/generated/locales/en.js';
import {templates as hu} from '../../common/generated/locales/hu.js';
import {templates as lt} from '../../common/generated/locales/lt.js';
import {templates as pl} from '../../common/generated/locales/pl.js';
import {templates as ro} from '../../common/generated/locales/ro.js';
import {templates as ru} from '../../common/generated/locales/ru.js';
import {templates as tr} from '../../common/generated/locales/tr.js';
import {templates as uk} from '../../common/generated/locales/uk.js';
import {supportedLocale, type PortalLocale} from '../../common/locale-tags.js';
import type {MailMsg} from './login-link-texts.js';

/** A language the portal (and so its mail) speaks. */
export type MailLocale = PortalLocale;

/** One language's table as `lit-localize build` writes it: a text or a `str` template per id. */
type Templates = Readonly<Record<string, string | StrResult | object>>;

// The portal's generated translations (common/generated), one table per language.
const translations: Record<Exclude<MailLocale, typeof sourceLocale>, Templates> = {
  bg,
  cs,
  en,
  hu,
  lt,
  pl,
  ro,
  ru,
  tr,
  uk,
};

/** The mail's language for what the element sent (`pl`, `pl-PL`, …); German when unknown. */
export function mailLocale(languageTag: string | undefined): MailLocale {
  return supportedLocale(languageTag) ?? sourceLocale;
}

/**
 * `msg` for one language. The element's `msg` reads page-wide state (the active locale); a mail
 * names its language, so several mails in several languages can be rendered at once. The mail's
 * messages carry explicit ids (login-link-texts.ts), and a `str` translation is joined with the
 * source's values by `@lit/localize`'s public `joinStringsAndValues`, as its own `msg` does.
 */
export function msgIn(locale: MailLocale): MailMsg {
  const templates = locale === sourceLocale ? undefined : translations[locale];
  const localize = (template: string | StrResult, options?: {id?: string}): string => {
    const localized = options?.id === undefined ? undefined : templates?.[options.id];
    const source =
      typeof template === 'string'
        ? template
        : joinStringsAndValues(template.strings, template.values);
    if (typeof localized === 'string') return localized;
    if (localized && typeof template !== 'string' && isStrTagged(localized as StrResult)) {
      const {strings, values} = localized as StrResult;
      return joinStringsAndValues(strings, template.values, values as number[]);
    }
    return source;
  };
  // Only the string forms of `msg` are used in mails (no `html` templates).
  return localize as MailMsg;
}
