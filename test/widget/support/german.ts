import {localeNames} from '../../../widget/localization.js';
import {textOf} from './dom.js';

/** Letters and small words that give German away in a text meant to be in another language. */
export const germanWords = /[äöüßÄÖÜ]|\b(und|der|die|das|Sie|Ihre?|nicht|keine?)\b/;

/**
 * The visible text below `root` without the language switcher's options, which name every
 * language in itself („Türkçe", „Deutsch"): those are not German words in an English view.
 */
export function textBesidesLanguageNames(root: Node): string {
  return Object.values(localeNames).reduce((rest, name) => rest.replaceAll(name, ''), textOf(root));
}
