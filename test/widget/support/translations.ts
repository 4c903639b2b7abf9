import {expect} from '@open-wc/testing';
import {exampleCompany} from '../../../widget/billing-details/field-hints.js';

// What the translators wrote in xliff/*.xlf, for the tests that walk the portal in a language.

export interface Translation {
  source: string;
  target: string;
}

const translationCache = new Map<string, Promise<Translation[]>>();

/** The plain-text messages of xliff/<locale>.xlf (those without placeholders). */
export function translationsOf(locale: string): Promise<Translation[]> {
  let loading = translationCache.get(locale);
  if (!loading) {
    loading = fetch(`/xliff/${locale}.xlf`)
      .then((answer) => answer.text())
      .then((xml) => {
        const doc = new DOMParser().parseFromString(xml, 'application/xml');
        return [...doc.querySelectorAll('trans-unit')]
          .filter((unit) => !unit.querySelector('x'))
          .map((unit) => ({
            source: unit.querySelector('source')?.textContent ?? '',
            target: unit.querySelector('target')?.textContent ?? '',
          }));
      });
    translationCache.set(locale, loading);
  }
  return loading;
}

/** The translation of a German message, failing the test when the language has none. */
export async function translate(locale: string, german: string): Promise<string> {
  const found = (await translationsOf(locale)).find((unit) => unit.source === german);
  expect(found?.target, `${locale}.xlf translates „${german}"`).to.be.a('string').and.not.empty;
  return found!.target;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The German messages that show in `text` where a translation exists: messages of six letters
 * or more, as whole words, unless the translators kept the German term on purpose (e.g. the
 * German „Steuernummer" in brackets after its translation). The billing form's example company
 * is a proper name, the same in every language (it holds „Spedition", a message of its own), as
 * are the `names` of the data shown (drivers and companies such as „Zwei Fahrer – LKW 1").
 */
export function germanLeftovers(
  translations: Translation[],
  text: string,
  names: readonly string[] = [],
): string[] {
  const targets = translations.map((unit) => unit.target).join('\n');
  const shown = [exampleCompany, ...names].reduce((rest, name) => rest.replaceAll(name, ''), text);
  return translations
    .filter((unit) => unit.source.length >= 6 && unit.target !== unit.source)
    .filter((unit) => !targets.includes(unit.source))
    .filter((unit) => new RegExp(`(^|\\P{L})${escape(unit.source)}($|\\P{L})`, 'u').test(shown))
    .map((unit) => unit.source);
}
