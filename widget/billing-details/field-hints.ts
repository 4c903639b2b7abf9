import {msg, str} from '@lit/localize';
import {taxIdExample} from '../../common/billing-rules.js';

// The labels and hints of „Informationen aktualisieren" that depend on what was typed.

/** The help article's kind of name; a proper name, the same in every language. */
export const exampleCompany = 'Spedition Muster GmbH & Co. KG';

/** The label of the region field, which only some countries' addresses have. */
export function regionLabel(country: string): string {
  return country === 'CA' ? msg('Provinz') : msg('Bundesstaat');
}

/** The tax ID field's hint, with an example of the billing country's format. */
export function taxIdHint(country: string): string {
  if (country === 'DE') {
    return msg(
      'Die USt-IdNr. Ihres Unternehmens, z. B. DE123456789. Eine deutsche Steuernummer (z. B. 12/345/67890) geht auch.',
    );
  }
  const example = taxIdExample(country);
  return example
    ? msg(str`Die USt-IdNr. Ihres Unternehmens, z. B. ${example}.`)
    : msg('USt-IdNrn. aus der EU, Großbritannien, der Schweiz und Norwegen, z. B. DE123456789.');
}
