import {LitElement, html, nothing} from 'lit';
import {customElement} from 'lit/decorators.js';
import {localized, msg, str} from '@lit/localize';
import type {AccountResponse, Invoice, Subscription} from '../../common/contract.js';
import type {DashboardSection} from '../context/navigation-context.js';
import {SectionDataController} from '../controllers/section-data-controller.js';
import {portalEvent} from '../events.js';
import {
  billingIntervalLabel,
  formatDate,
  formatMoney,
  formatPeriod,
  invoiceDisplayStatus,
  isStripeUrl,
  subscriptionStatusLabel,
} from '../format.js';
import {
  renderAddress,
  renderInvoiceStatus,
  renderPayLink,
  renderPaymentMethod,
  renderTaxIds,
} from '../views/billing-fragments.js';
import {PaymentReturnController} from '../views/payment-return-controller.js';
import {overviewStyles} from './conroo-overview.styles.js';

const statusTones: Partial<Record<Subscription['status'], string>> = {
  active: 'success',
  trialing: 'success',
  past_due: 'danger',
  unpaid: 'danger',
  incomplete: 'warning',
  canceled: 'neutral',
};

/** What the banner says about the open invoices: one in detail, several by their count. */
function openInvoiceText(open: Invoice[]): string {
  if (open.length > 1) {
    return msg(str`${open.length} Rechnungen sind offen.`);
  }
  const [invoice] = open;
  const number = invoice.number ?? msg('Rechnung ohne Nummer');
  const amount = formatMoney(invoice.total, invoice.currency);
  if (!invoice.dueDate) {
    return msg(str`Eine Rechnung ist offen: ${number} über ${amount}.`);
  }
  const due = formatDate(invoice.dueDate);
  return invoiceDisplayStatus(invoice) === 'overdue'
    ? msg(str`Eine Rechnung ist offen: ${number} über ${amount}, fällig seit ${due}.`)
    : msg(str`Eine Rechnung ist offen: ${number} über ${amount}, fällig am ${due}.`);
}

/**
 * @summary Übersicht: the latest Gate Pass with its next renewal, the default payment method,
 * billing and shipping details and the latest invoices, each card leading to its section; a
 * banner while an invoice is open or the Gate Pass's payment has failed.
 *
 * @event conroo-navigate - Asks the portal to show another section (`detail.section`).
 *
 * @csspart card - Each of the overview's cards.
 * @csspart open-invoice-banner - The banner while an invoice is open („Eine Rechnung ist offen
 *   …"), with „Jetzt bezahlen".
 * @csspart past-due-banner - The same banner while the Gate Pass's renewal payment has failed
 *   (also shown when the open invoice is not among the latest).
 * @csspart pay-link - „Jetzt bezahlen" in the banner (Stripe's hosted invoice page).
 */
@localized()
@customElement('conroo-overview')
export class ConrooOverview extends LitElement {
  static override styles = overviewStyles;

  private readonly data = new SectionDataController(this, {
    load: (api, signal) => api.getAccount(signal),
  });
  private readonly paymentReturn = new PaymentReturnController(this, () => this.data.reload());

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
                  <dd data-next-renewal=${upcomingInvoice.date}>
                    ${msg(
                      str`am ${formatDate(upcomingInvoice.date)} über ${formatMoney(upcomingInvoice.total, upcomingInvoice.currency)}`,
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

  /**
   * While an invoice is open (or the renewal payment failed): what is due, „Jetzt bezahlen" on
   * Stripe for a single invoice, and the way to „Rechnungen".
   */
  private renderOpenInvoiceBanner({subscription, recentInvoices}: AccountResponse) {
    const pastDue = subscription?.status === 'past_due' || subscription?.status === 'unpaid';
    const open = recentInvoices.filter((invoice) => invoice.status === 'open');
    if (!pastDue && !open.length) {
      return nothing;
    }
    const overdue = open.some((invoice) => invoiceDisplayStatus(invoice) === 'overdue');
    const urgent = pastDue || overdue;
    const single = open.length === 1 ? open[0] : undefined;
    const payUrl = single && isStripeUrl(single.payUrl) ? single.payUrl : undefined;
    const number = single?.number ?? msg('Rechnung ohne Nummer');
    const parts = [open.length ? 'open-invoice-banner' : '', pastDue ? 'past-due-banner' : '']
      .filter(Boolean)
      .join(' ');
    return html`<div
      class="banner ${urgent ? 'banner--danger' : 'banner--warning'}"
      part=${parts}
      role=${urgent ? 'alert' : 'status'}
      data-invoice=${single?.id ?? nothing}
    >
      <div class="banner-text">
        ${
          pastDue
            ? html`<p>
                ${
                  open.length
                    ? msg('Die letzte Zahlung für Ihren Gate Pass ist fehlgeschlagen.')
                    : msg(
                        'Die letzte Zahlung für Ihren Gate Pass ist fehlgeschlagen. Bitte begleichen Sie die offene Rechnung, damit Ihr Gate Pass aktiv bleibt.',
                      )
                }
              </p>`
            : nothing
        }
        ${open.length ? html`<p>${openInvoiceText(open)}</p>` : nothing}
      </div>
      <div class="banner-actions">
        ${payUrl ? renderPayLink(payUrl, number, this.paymentReturn.paymentStarted) : nothing}
        <button
          type="button"
          class="button button--secondary"
          @click=${() => this.navigate('invoices')}
        >
          ${msg('Zu den Rechnungen')}
        </button>
      </div>
    </div>`;
  }

  private renderAccount(account: AccountResponse) {
    return html`
      ${this.renderOpenInvoiceBanner(account)}
      <div class="cards">
        ${this.renderSubscription(account)} ${this.renderPaymentMethodCard(account)}
        ${this.renderBillingCard(account)} ${this.renderInvoicesCard(account)}
      </div>
    `;
  }

  override render() {
    return this.data.render((account) => this.renderAccount(account));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-overview': ConrooOverview;
  }
}
