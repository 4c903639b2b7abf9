import {html, nothing} from 'lit';
import {msg} from '@lit/localize';

/** The outcome of the last change in „Zahlungsmethoden", with „Erneut versuchen" if it may help. */
export interface PaymentMethodNotice {
  tone: 'success' | 'danger';
  text: string;
  retry?: () => void;
}

export function renderPaymentMethodNotice(notice: PaymentMethodNotice | undefined) {
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
