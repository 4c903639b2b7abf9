import {msg, str} from '@lit/localize';
import type {FieldProblem} from '../../common/contract.js';
import {countryName} from '../format.js';

/**
 * A field's problem in the user's language, from its code and params alone: the server's
 * `message` is for developers and never read. A code this element does not know (a newer
 * server's) reads as „nicht angenommen".
 */
export function problemText(problem: FieldProblem): string {
  switch (problem.code) {
    case 'required':
      return msg('Bitte füllen Sie dieses Feld aus.');
    case 'too_long':
      return msg(str`Bitte höchstens ${problem.params.max} Zeichen.`);
    case 'postal_code':
      return msg(str`Das ist keine Postleitzahl aus ${countryName(problem.params.country)}.`);
    case 'phone':
      return msg('Bitte nur Ziffern, Leerzeichen und + ( ) / - verwenden.');
    case 'region':
      return msg(
        str`Für Adressen in ${countryName(problem.params.country)} wird dieses Feld benötigt.`,
      );
    case 'country':
      return msg('Bitte wählen Sie ein Land aus der Liste.');
    case 'tax_id':
      return problem.params.example
        ? msg(str`Das ist keine gültige Steuer-ID. So sieht sie aus: ${problem.params.example}`)
        : msg(
            'Das ist keine gültige Steuer-ID. Möglich sind USt-IdNrn. aus der EU, Großbritannien, der Schweiz und Norwegen sowie die deutsche Steuernummer.',
          );
    case 'tax_id_wrong_type':
      return msg('Diese Nummer passt nicht zur gewählten Art der Steuer-ID.');
    case 'tax_id_refused':
      return msg('Stripe hat diese Steuer-ID nicht angenommen. Bitte prüfen Sie die Nummer.');
    default:
      // `rejected`, `control_characters`, `invalid`, `unknown_field` and codes yet to come.
      return msg('Diese Angabe wurde nicht angenommen. Bitte prüfen Sie sie.');
  }
}
