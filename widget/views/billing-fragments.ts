import {html, nothing} from 'lit';
import {msg, str} from '@lit/localize';
import type {Address, Invoice, PaymentMethod, TaxId} from '../../common/contract.js';
import {
  addressLines,
  cardBrandName,
  cardExpiry,
  invoiceDisplayStatus,
  invoiceStatusLabel,
  isCardExpired,
  taxIdTypeLabel,
  taxIdVerificationLabel,
  type InvoiceDisplayStatus,
} from '../format.js';

// Pieces of Stripe data that several sections show the same way. All values are rendered as
// text bindings, so nothing from Stripe or the user is ever parsed as HTML.

export function renderAddress(address: Address | null | undefined) {
  const lines = addressLines(address);
  return lines.length
    ? html`<address class="address">${lines.join('\n')}</address>`
    : html`<span class="muted">${msg('Keine Adresse hinterlegt')}</span>`;
}

export function renderPaymentMethod(method: PaymentMethod, {showDefault = false} = {}) {
  const expired = method.card ? isCardExpired(method.card) : false;
  const badges = html`${
    showDefault && method.isDefault
      ? html`<span class="badge badge--success">${msg('Standard')}</span>`
      : nothing
  }${expired ? html`<span class="badge badge--danger">${msg('Abgelaufen')}</span>` : nothing}`;

  if (method.card) {
    const card = method.card;
    return html`<div class="payment-method">
      <span class="payment-method__name">
        <strong>${cardBrandName(card.brand)}</strong>
        <span class="amount"
          ><span aria-hidden="true">•••• ${card.last4}</span
          ><span class="visually-hidden">${msg(str`endet auf ${card.last4}`)}</span></span
        >
      </span>
      <span class="muted"
        >${
          expired
            ? msg(str`abgelaufen ${cardExpiry(card)}`)
            : msg(str`gültig bis ${cardExpiry(card)}`)
        }</span
      >
      ${badges}
    </div>`;
  }
  if (method.type === 'paypal') {
    return html`<div class="payment-method">
      <span class="payment-method__name"><strong>PayPal</strong></span>
      <span class="muted">${method.paypal?.email ?? ''}</span>
      ${badges}
    </div>`;
  }
  return html`<div class="payment-method">
    <span class="payment-method__name"><strong>${method.type}</strong></span>
    ${badges}
  </div>`;
}

/** With `explain`, each status is said in a sentence too (in „Rechnung und Versand"). */
export function renderTaxIds(taxIds: TaxId[], {explain = false} = {}) {
  if (!taxIds.length) {
    return html`<span class="muted">${msg('Keine Steuer-ID hinterlegt')}</span>`;
  }
  return html`<ul class="tax-ids">
    ${taxIds.map(
      (taxId) =>
        html`<li data-tax-id=${taxId.id}>
          <span>${taxIdTypeLabel(taxId)}</span>
          <strong class="tax-id-value">${taxId.value}</strong>
          ${taxId.verification ? renderTaxIdStatus(taxId.verification.status) : nothing}
          ${
            explain && taxId.verification
              ? html`<span class="tax-id-verification muted"
                  >${taxIdVerificationText(taxId.verification)}</span
                >`
              : nothing
          }
        </li>`,
    )}
  </ul>`;
}

/** What a verification status means for the user, in a sentence. */
export function taxIdVerificationText(verification: NonNullable<TaxId['verification']>): string {
  switch (verification.status) {
    case 'pending':
      return msg('Wird geprüft – das dauert meist nur einen Moment.');
    case 'verified':
      return verification.verifiedName
        ? msg(str`Vom Steueramt bestätigt, eingetragen auf: ${verification.verifiedName}`)
        : msg('Vom Steueramt bestätigt.');
    case 'unverified':
      return msg('Konnte nicht bestätigt werden – bitte prüfen Sie die Nummer.');
    default:
      return msg('Für diese Art von Steuer-ID gibt es keine automatische Prüfung.');
  }
}

function renderTaxIdStatus(status: NonNullable<TaxId['verification']>['status']) {
  const tone = status === 'verified' ? 'success' : status === 'unverified' ? 'danger' : 'warning';
  return html`<span class="badge badge--${tone}">${taxIdVerificationLabel(status)}</span>`;
}

const invoiceTones: Record<InvoiceDisplayStatus, string> = {
  paid: 'success',
  open: 'warning',
  overdue: 'danger',
  uncollectible: 'danger',
  void: 'neutral',
  draft: 'neutral',
};

export function renderInvoiceStatus(invoice: Invoice) {
  const status = invoiceDisplayStatus(invoice);
  return html`<span class="badge badge--${invoiceTones[status] ?? 'neutral'}" data-status=${status}
    >${invoiceStatusLabel(status)}</span
  >`;
}

/**
 * The accessible name of a control that shows `visible` and is about `detail` (e.g. an invoice
 * number): `full` where it contains the visible label, else the label and the detail. Speech
 * input users say what they see (WCAG 2.5.3), and a translation may word `full` otherwise.
 */
export function nameWithVisibleLabel(visible: string, full: string, detail: string): string {
  const words = (text: string) => text.toLocaleLowerCase().replace(/\s+/g, ' ').trim();
  return words(full).includes(words(visible)) ? full : `${visible} ${detail}`;
}

/** „Jetzt bezahlen" for one invoice, on Stripe's hosted invoice page in a new tab. */
export function renderPayLink(
  url: string,
  invoiceNumber: string,
  onClick: () => void,
  {small = false} = {},
) {
  return html`<a
    class=${small ? 'button button--primary small-button' : 'button button--primary'}
    part="pay-link"
    href=${url}
    target="_blank"
    rel="noopener noreferrer"
    aria-label=${nameWithVisibleLabel(
      msg('Jetzt bezahlen'),
      msg(str`Rechnung ${invoiceNumber} jetzt bezahlen`),
      invoiceNumber,
    )}
    @click=${onClick}
    >${msg('Jetzt bezahlen')}</a
  >`;
}
