import {runtimeMsg} from '@lit/localize/internal/runtime-msg.js';
import {sourceLocale} from '../../widget/generated/locale-codes.js';
import {supportedLocale, type PortalLocale} from '../../widget/locale-tags.js';
import {templates as bg} from '../../widget/generated/locales/bg.js';
import {templates as cs} from '../../widget/generated/locales/cs.js';
import {templates as en} from '../../widget/generated/locales/en.js';
import {templates as hu} from '../../widget/generated/locales/hu.js';
import {templates as lt} from '../../widget/generated/locales/lt.js';
import {templates as pl} from '../../widget/generated/locales/pl.js';
import {templates as ro} from '../../widget/generated/locales/ro.js';
import {templates as ru} from '../../widget/generated/locales/ru.js';
import {templates as tr} from '../../widget/generated/locales/tr.js';
import {templates as uk} from '../../widget/generated/locales/uk.js';
import type {Msg} from './login-link-texts.js';

/** A language the portal (and so its mail) speaks. */
export type MailLocale = PortalLocale;

type Templates = Parameters<typeof runtimeMsg>[0];

// The element's generated translations (`lit-localize build`), one table per language.
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
 * `msg` for one language, without the page-wide state of `@lit/localize`'s own (which the
 * element uses): every mail is rendered with the language it was asked for, even when mails in
 * several languages are rendered at once.
 */
export function msgIn(locale: MailLocale): Msg {
  const templates = locale === sourceLocale ? undefined : translations[locale];
  const localized = (template: Parameters<typeof runtimeMsg>[1], options?: {id?: string}) =>
    runtimeMsg(templates, template, options);
  return localized as unknown as Msg;
}
