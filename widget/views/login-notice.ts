import {msg} from '@lit/localize';

/** Why the login form is showing, when it is not the first visit. */
export type LoginNotice =
  | 'link_invalid'
  | 'link_expired'
  | 'link_used'
  | 'link_failed'
  | 'session_expired'
  /** The session ended while „Informationen aktualisieren" was open; the draft is kept. */
  | 'session_expired_draft_kept'
  | 'logged_out';

export function loginNoticeText(notice: LoginNotice): string {
  switch (notice) {
    case 'link_expired':
      return msg(
        'Dieser Link ist abgelaufen. Links sind 24 Stunden gültig – fordern Sie einen neuen an.',
      );
    case 'link_used':
      return msg(
        'Dieser Link wurde bereits verwendet. Jeder Link gilt nur einmal – fordern Sie einen neuen an.',
      );
    case 'link_invalid':
      return msg('Dieser Link ist ungültig. Bitte fordern Sie einen neuen an.');
    case 'link_failed':
      return msg(
        'Die Anmeldung über den Link ist fehlgeschlagen. Bitte öffnen Sie den Link erneut.',
      );
    case 'session_expired':
      return msg('Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.');
    case 'session_expired_draft_kept':
      return msg(
        'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an. Ihre Eingaben unter „Rechnung und Versand“ sind in diesem Browser gespeichert und werden nach der Anmeldung wiederhergestellt.',
      );
    case 'logged_out':
      return msg('Sie wurden abgemeldet.');
  }
}
