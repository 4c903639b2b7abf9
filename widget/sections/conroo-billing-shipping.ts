import {LitElement, css, html, nothing} from 'lit';
import {customElement} from 'lit/decorators.js';
import {consume} from '@lit/context';
import {localized, msg} from '@lit/localize';
import {Task, TaskStatus} from '@lit/task';
import type {Customer, SessionInfo} from '../../server/contract.js';
import type {PortalApiClient} from '../api/portal-api-client.js';
import {apiClientContext} from '../context/api-client-context.js';
import {sessionContext} from '../context/session-context.js';
import {sameAddress} from '../format.js';
import {billingFragmentStyles, portalStyles} from '../styles/portal-styles.js';
import {renderAddress, renderTaxIds} from '../views/billing-fragments.js';
import {renderError, renderLoading} from '../views/section-states.js';

/**
 * @summary „Rechnung und Versand": who invoices are issued to (name, address, phone, tax IDs
 * with their verification) and where shipments go.
 *
 * @csspart card - The billing card and the shipping card.
 */
@localized()
@customElement('conroo-billing-shipping')
export class ConrooBillingShipping extends LitElement {
  static override styles = [
    portalStyles,
    billingFragmentStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  @consume({context: apiClientContext, subscribe: true})
  private api?: PortalApiClient;

  @consume({context: sessionContext, subscribe: true})
  private session?: SessionInfo;

  private readonly accountTask = new Task(this, {
    task: ([api], {signal}) => api!.getAccount(signal),
    args: () => [this.api, this.session] as const,
  });

  private renderShipping(customer: Customer) {
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

  private renderCustomer(customer: Customer) {
    return html`<p class="muted">
        ${msg(
          'Rechnungen werden auf den Namen und die Adresse unten ausgestellt. Für Firmenrechnungen gehört hier der vollständige rechtliche Name Ihres Unternehmens hin.',
        )}
      </p>
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
            <dd>${renderTaxIds(customer.taxIds)}</dd>
          </dl>
        </section>
        <section class="card" part="card" aria-labelledby="shipping-card-heading">
          <h3 id="shipping-card-heading">${msg('Versandinformationen')}</h3>
          ${this.renderShipping(customer)}
        </section>
      </div>`;
  }

  override render() {
    return html`<div aria-busy=${this.accountTask.status === TaskStatus.PENDING ? 'true' : 'false'}>
      ${this.accountTask.render({
        initial: () => renderLoading(),
        pending: () => renderLoading(),
        complete: ({customer}) => this.renderCustomer(customer),
        error: (error) => renderError(error, () => this.accountTask.run()),
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-billing-shipping': ConrooBillingShipping;
  }
}
