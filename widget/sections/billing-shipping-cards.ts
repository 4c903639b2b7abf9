import {html, nothing} from 'lit';
import {msg} from '@lit/localize';
import type {AccountResponse, Customer} from '../../common/contract.js';
import {sameAddress} from '../format.js';
import {renderAddress, renderTaxIds} from '../views/billing-fragments.js';

function renderShipping(customer: Customer) {
  const shipping = customer.shipping;
  if (!shipping?.address) {
    return html`<p class="muted">${msg('Keine Lieferadresse hinterlegt')}</p>`;
  }
  const asBilling =
    sameAddress(shipping.address, customer.address) &&
    (!shipping.name || shipping.name === customer.name);
  if (asBilling) {
    return html`<p>${msg('Wie Rechnungsadresse')}</p>`;
  }
  return html`<dl class="facts">
    <dt>${msg('Name')}</dt>
    <dd>${shipping.name ?? '—'}</dd>
    <dt>${msg('Adresse')}</dt>
    <dd>${renderAddress(shipping.address)}</dd>
    ${
      shipping.phone
        ? html`<dt>${msg('Telefon')}</dt>
            <dd>${shipping.phone}</dd>`
        : nothing
    }
  </dl>`;
}

/**
 * The details as Stripe holds them: who invoices are issued to and where shipments go, with
 * „Informationen aktualisieren" (`onEdit`).
 */
export function renderBillingShippingCards(account: AccountResponse, onEdit: () => void) {
  const customer = account.customer;
  return html`<p class="muted">
      ${msg(
        'Rechnungen werden auf den Namen und die Adresse unten ausgestellt. Für Firmenrechnungen gehört hier der vollständige rechtliche Name Ihres Unternehmens hin.',
      )}
    </p>
    <div class="edit">
      <button type="button" class="button button--primary" part="edit-button" @click=${onEdit}>
        ${msg('Informationen aktualisieren')}
      </button>
    </div>
    <div class="cards">
      <section class="card" part="card" aria-labelledby="billing-card-heading">
        <h3 id="billing-card-heading">${msg('Rechnungsinformationen')}</h3>
        <dl class="facts">
          <dt>${msg('Name')}</dt>
          <dd>${customer.name ?? '—'}</dd>
          <dt>${msg('Rechnungsadresse')}</dt>
          <dd>${renderAddress(customer.address)}</dd>
          <dt>${msg('Telefon')}</dt>
          <dd>${customer.phone ?? '—'}</dd>
          <dt>${msg('E-Mail')}</dt>
          <dd>${customer.email ?? '—'}</dd>
          <dt>${msg('Steuer-IDs')}</dt>
          <dd>${renderTaxIds(customer.taxIds, {explain: true})}</dd>
          <dt>${msg('Ihre Referenz')}</dt>
          <dd>${customer.reference ?? '—'}</dd>
        </dl>
      </section>
      <section class="card" part="card" aria-labelledby="shipping-card-heading">
        <h3 id="shipping-card-heading">${msg('Versandinformationen')}</h3>
        ${renderShipping(customer)}
      </section>
    </div>`;
}
