import {html, nothing} from 'lit';
import {msg} from '@lit/localize';
import {renderLoading} from '../views/section-states.js';

/** The outcome of the last change in „Zahlungsmethoden", with „Erneut versuchen" if it may help. */
export interface PaymentMethodNotice {
  tone: 'success' | 'danger';
  text: string;
  retry?: () => void;
}

/** The notice, or while a redirect's method is being completed, that it is. */
export function renderPaymentMethodNotice(
  notice: PaymentMethodNotice | undefined,
  completingReturn = false,
) {
  if (completingReturn) {
    return renderLoading(msg('Die neue Zahlungsmethode wird gespeichert …'));
  }
  if (!notice) {
    return nothing;
  }
  return html`<div
    class="banner banner--${notice.tone}"
    part="notice"
    role=${notice.tone === 'danger' ? 'alert' : 'status'}
    tabindex="-1"
  >
    <p>${notice.text}</p>
    ${
      notice.retry
        ? html`<button type="button" class="button button--secondary" @click=${notice.retry}>
            ${msg('Erneut versuchen')}
          </button>`
        : nothing
    }
  </div>`;
}
