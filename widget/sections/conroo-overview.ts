import {LitElement, css, html, nothing} from 'lit';
import {customElement} from 'lit/decorators.js';
import {consume} from '@lit/context';
import {localized, msg, str} from '@lit/localize';
import {Task, TaskStatus} from '@lit/task';
import type {AccountResponse, Invoice, SessionInfo, Subscription} from '../../server/contract.js';
import type {PortalApiClient} from '../api/portal-api-client.js';
import {apiClientContext} from '../context/api-client-context.js';
import type {DashboardSection} from '../context/navigation-context.js';
import {sessionContext} from '../context/session-context.js';
import {portalEvent} from '../events.js';
import {
  billingIntervalLabel,
  formatDate,
  formatMoney,
  formatPeriod,
  subscriptionStatusLabel,
} from '../format.js';
import {billingFragmentStyles, portalStyles} from '../styles/portal-styles.js';
import {
  renderAddress,
  renderInvoiceStatus,
  renderPaymentMethod,
  renderTaxIds,
} from '../views/billing-fragments.js';
import {renderError, renderLoading} from '../views/section-states.js';

const statusTones: Partial<Record<Subscription['status'], string>> = {
  active: 'success',
  trialing: 'success',
  past_due: 'danger',
  unpaid: 'danger',
  incomplete: 'warning',
  canceled: 'neutral',
};

/**
 * @summary Übersicht: the latest Gate Pass, the default payment method, billing and shipping
 * details and the latest invoices, each card leading to its section.
 *
 * @event conroo-navigate - Asks the portal to show another section (`detail.section`).
 *
 * @csspart card - Each of the overview's cards.
 * @csspart past-due-banner - The warning shown while a renewal payment is overdue.
 */
@localized()
@customElement('conroo-overview')
export class ConrooOverview extends LitElement {
  static override styles = [
    portalStyles,
    billingFragmentStyles,
    css`
      :host {
        display: block;
      }

      .plan {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.5rem;
        margin-bottom: 0.75rem;
        font-size: 1.125rem;
      }

      ul.invoices {
        list-style: none;
        margin: 0;
        padding: 0;
      }

      ul.invoices li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.125rem 1rem;
        padding: 0.5rem 0;
        border-top: 1px solid var(--conroo-border);
      }

      ul.invoices li:first-child {
        border-top: 0;
        padding-top: 0;
      }

      .invoice-meta {
        grid-column: 1 / -1;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        font-size: 0.875rem;
      }

      .wide {
        grid-column: 1 / -1;
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

  private navigate(section: DashboardSection) {
    this.dispatchEvent(portalEvent('conroo-navigate', {section}));
  }

  private renderSubscription({subscription, upcomingInvoice}: AccountResponse) {
    if (!subscription) {
      return html`<section class="card" part="card" aria-labelledby="subscription-heading">
        <h3 id="subscription-heading">${msg('Abonnement')}</h3>
        <p class="muted">${msg('Kein aktiver Gate Pass')}</p>
      </section>`;
    }
    const tone = statusTones[subscription.status] ?? 'neutral';
    return html`<section class="card" part="card" aria-labelledby="subscription-heading">
      <h3 id="subscription-heading">${msg('Abonnement')}</h3>
      <div class="plan">
        <strong>${subscription.planName}</strong>
        <span class="badge badge--${tone}" data-status=${subscription.status}
          >${subscriptionStatusLabel(subscription.status)}</span
        >
      </div>
      <dl class="facts">
        <dt>${msg('Preis')}</dt>
        <dd>
          <span class="amount">${formatMoney(subscription.amount, subscription.currency)}</span>,
          ${billingIntervalLabel(subscription)}
        </dd>
        <dt>${msg('Aktueller Zeitraum')}</dt>
        <dd>${formatPeriod(subscription.currentPeriodStart, subscription.currentPeriodEnd)}</dd>
        ${
          subscription.cancelAtPeriodEnd || subscription.status === 'canceled'
            ? html`<dt>${msg('Endet am')}</dt>
                <dd>${formatDate(subscription.currentPeriodEnd)}</dd>`
            : upcomingInvoice
              ? html`<dt>${msg('Nächste Verlängerung')}</dt>
                  <dd>
                    ${msg(
                      str`${formatDate(upcomingInvoice.date)} über ${formatMoney(upcomingInvoice.total, upcomingInvoice.currency)}`,
                    )}
                  </dd>`
              : nothing
        }
      </dl>
    </section>`;
  }

  private renderPaymentMethodCard({defaultPaymentMethod}: AccountResponse) {
    return html`<section class="card" part="card" aria-labelledby="payment-heading">
      <h3 id="payment-heading">${msg('Zahlungsmethode')}</h3>
      ${
        defaultPaymentMethod
          ? renderPaymentMethod(defaultPaymentMethod)
          : html`<p class="muted">${msg('Keine Zahlungsmethode hinterlegt')}</p>`
      }
      <div class="card-footer">
        <button type="button" class="link-button" @click=${() => this.navigate('payment-methods')}>
          ${msg('Alle Zahlungsmethoden')}
        </button>
      </div>
    </section>`;
  }

  private renderBillingCard({customer}: AccountResponse) {
    return html`<section class="card" part="card" aria-labelledby="billing-heading">
      <h3 id="billing-heading">${msg('Rechnung und Versand')}</h3>
      <dl class="facts">
        <dt>${msg('Name')}</dt>
        <dd>${customer.name ?? '—'}</dd>
        <dt>${msg('Rechnungsadresse')}</dt>
        <dd>${renderAddress(customer.address)}</dd>
        ${
          customer.phone
            ? html`<dt>${msg('Telefon')}</dt>
                <dd>${customer.phone}</dd>`
            : nothing
        }
        <dt>${msg('Steuer-IDs')}</dt>
        <dd>${renderTaxIds(customer.taxIds)}</dd>
        <dt>${msg('Lieferadresse')}</dt>
        <dd>
          ${
            customer.shipping?.address
              ? renderAddress(customer.shipping.address)
              : html`<span class="muted">${msg('Keine Lieferadresse hinterlegt')}</span>`
          }
        </dd>
      </dl>
      <div class="card-footer">
        <button type="button" class="link-button" @click=${() => this.navigate('billing-shipping')}>
          ${msg('Details anzeigen')}
        </button>
      </div>
    </section>`;
  }

  private renderInvoicesCard({recentInvoices}: AccountResponse) {
    return html`<section class="card wide" part="card" aria-labelledby="invoices-heading">
      <h3 id="invoices-heading">${msg('Letzte Rechnungen')}</h3>
      ${
        recentInvoices.length
          ? html`<ul class="invoices">
              ${recentInvoices.map((invoice) => this.renderInvoice(invoice))}
            </ul>`
          : html`<p class="muted">${msg('Noch keine Rechnungen')}</p>`
      }
      <div class="card-footer">
        <button type="button" class="link-button" @click=${() => this.navigate('invoices')}>
          ${msg('Alle Rechnungen')}
        </button>
      </div>
    </section>`;
  }

  private renderInvoice(invoice: Invoice) {
    return html`<li>
      <strong>${invoice.number ?? msg('Rechnung ohne Nummer')}</strong>
      <span class="amount">${formatMoney(invoice.total, invoice.currency)}</span>
      <span class="invoice-meta">
        <span class="muted">${formatDate(invoice.created)}</span>
        ${renderInvoiceStatus(invoice)}
      </span>
    </li>`;
  }

  private renderAccount(account: AccountResponse) {
    const overdue =
      account.subscription?.status === 'past_due' || account.subscription?.status === 'unpaid';
    return html`
      ${
        overdue
          ? html`<div class="banner banner--danger" part="past-due-banner" role="alert">
              <p>
                ${msg(
                  'Die letzte Zahlung für Ihren Gate Pass ist fehlgeschlagen. Bitte begleichen Sie die offene Rechnung, damit Ihr Gate Pass aktiv bleibt.',
                )}
              </p>
              <button
                type="button"
                class="button button--secondary"
                @click=${() => this.navigate('invoices')}
              >
                ${msg('Zu den Rechnungen')}
              </button>
            </div>`
          : nothing
      }
      <div class="cards">
        ${this.renderSubscription(account)} ${this.renderPaymentMethodCard(account)}
        ${this.renderBillingCard(account)} ${this.renderInvoicesCard(account)}
      </div>
    `;
  }

  override render() {
    return html`<div aria-busy=${this.accountTask.status === TaskStatus.PENDING ? 'true' : 'false'}>
      ${this.accountTask.render({
        initial: () => renderLoading(),
        pending: () => renderLoading(),
        complete: (account) => this.renderAccount(account),
        error: (error) => renderError(error, () => this.accountTask.run()),
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-overview': ConrooOverview;
  }
}
