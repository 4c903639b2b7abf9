import {LitElement, css, html, nothing} from 'lit';
import {customElement, state} from 'lit/decorators.js';
import {consume} from '@lit/context';
import {localized, msg, str} from '@lit/localize';
import {Task, TaskStatus} from '@lit/task';
import type {Invoice, SessionInfo} from '../../server/contract.js';
import type {PortalApiClient} from '../api/portal-api-client.js';
import {apiClientContext} from '../context/api-client-context.js';
import {sessionContext} from '../context/session-context.js';
import {formatDate, formatMoney, invoiceDisplayStatus, isStripeUrl} from '../format.js';
import {billingFragmentStyles, portalStyles} from '../styles/portal-styles.js';
import {renderInvoiceStatus} from '../views/billing-fragments.js';
import {errorMessage, renderEmpty, renderError, renderLoading} from '../views/section-states.js';

const pageSize = 10;

/**
 * @summary „Rechnungen": the invoice history, newest first, ten at a time.
 *
 * @csspart table - The invoice table.
 * @csspart pay-link - „Jetzt bezahlen" on an open invoice (Stripe's hosted invoice page).
 * @csspart load-more - The „Mehr laden" button.
 */
@localized()
@customElement('conroo-invoices')
export class ConrooInvoices extends LitElement {
  static override styles = [
    portalStyles,
    billingFragmentStyles,
    css`
      :host {
        display: block;
        container-type: inline-size;
      }

      table {
        width: 100%;
        border-collapse: collapse;
        background: var(--conroo-surface);
        border: 1px solid var(--conroo-border);
        border-radius: var(--conroo-radius);
        overflow: hidden;
      }

      th,
      td {
        padding: 0.625rem 0.75rem;
        text-align: left;
        vertical-align: top;
        border-top: 1px solid var(--conroo-border);
      }

      thead th {
        border-top: 0;
        background: var(--conroo-surface-muted);
        font-size: 0.875rem;
        font-weight: 600;
      }

      .nowrap {
        white-space: nowrap;
      }

      .status {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 0.5rem;
      }

      .note {
        margin-top: 0.5rem;
        font-size: 0.875rem;
      }

      td.amount-cell {
        text-align: right;
      }

      th.amount-cell {
        text-align: right;
      }

      .more {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem;
        margin-top: 1rem;
      }

      .pay-link {
        min-height: 2rem;
        padding: 0.25rem 0.75rem;
        font-size: 0.875rem;
      }

      /* Narrow containers (phones, small dialogs): every invoice becomes a small card. */
      @container (max-width: 40rem) {
        table,
        tbody,
        tr,
        th,
        td {
          display: block;
        }

        table {
          border: 0;
          background: none;
        }

        thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip-path: inset(50%);
        }

        tr {
          margin-bottom: 0.75rem;
          padding: 0.5rem 0.75rem;
          background: var(--conroo-surface);
          border: 1px solid var(--conroo-border);
          border-radius: var(--conroo-radius);
        }

        th[scope='row'],
        td,
        td.amount-cell {
          /* Label in a fixed column, the value flowing beside it whatever nodes it holds. */
          display: block;
          position: relative;
          padding: 0.25rem 0 0.25rem 8.5rem;
          border: 0;
          text-align: left;
          overflow-wrap: anywhere;
        }

        th[scope='row']::before,
        td::before {
          content: attr(data-label);
          position: absolute;
          left: 0;
          width: 8rem;
          color: var(--conroo-text-muted);
          font-weight: normal;
        }

        th.nowrap {
          white-space: normal;
        }
      }
    `,
  ];

  @consume({context: apiClientContext, subscribe: true})
  private api?: PortalApiClient;

  @consume({context: sessionContext, subscribe: true})
  private session?: SessionInfo;

  private readonly invoicesTask = new Task(this, {
    task: async ([api], {signal}) => {
      this.moreTask.abort();
      const page = await api!.getInvoices({limit: pageSize}, signal);
      this.invoices = page.invoices;
      this.hasMore = page.hasMore;
      return page;
    },
    args: () => [this.api, this.session] as const,
  });

  private readonly moreTask = new Task(this, {
    task: async ([startingAfter]: [string], {signal}) => {
      const page = await this.api!.getInvoices({limit: pageSize, startingAfter}, signal);
      this.invoices = [...this.invoices, ...page.invoices];
      this.hasMore = page.hasMore;
    },
    autoRun: false,
  });

  @state() private invoices: Invoice[] = [];
  @state() private hasMore = false;

  private handleLoadMore() {
    const last = this.invoices.at(-1);
    if (last) {
      this.moreTask.run([last.id]);
    }
  }

  private renderRow(invoice: Invoice) {
    const payable =
      invoice.status === 'open' && isStripeUrl(invoice.payUrl) ? invoice.payUrl : undefined;
    const number = invoice.number ?? msg('Rechnung ohne Nummer');
    return html`<tr data-invoice=${invoice.id}>
      <th scope="row" class="nowrap" data-label=${msg('Rechnung')}>
        <span>${number}</span>
      </th>
      <td class="nowrap" data-label=${msg('Datum')}>${formatDate(invoice.created)}</td>
      <td data-label=${msg('Zeitraum')}>
        <span class="nowrap">${formatDate(invoice.periodStart)} –</span>
        <span class="nowrap">${formatDate(invoice.periodEnd)}</span>
      </td>
      <td class="amount-cell" data-label=${msg('Betrag')}>
        <span class="amount">${formatMoney(invoice.total, invoice.currency)}</span>
      </td>
      <td data-label=${msg('Status')}>
        <div class="status">
          ${renderInvoiceStatus(invoice)}
          ${
            invoiceDisplayStatus(invoice) === 'overdue' && invoice.dueDate
              ? html`<span class="muted"
                  >${msg(str`fällig seit ${formatDate(invoice.dueDate)}`)}</span
                >`
              : nothing
          }
          ${
            payable
              ? html`<a
                  class="button button--primary pay-link"
                  part="pay-link"
                  href=${payable}
                  target="_blank"
                  rel="noopener noreferrer"
                  aria-label=${msg(str`Rechnung ${number} jetzt bezahlen`)}
                  >${msg('Jetzt bezahlen')}</a
                >`
              : nothing
          }
        </div>
      </td>
      <td data-label=${msg('Ausgestellt an')}>${invoice.customerName ?? '—'}</td>
    </tr>`;
  }

  private renderTable() {
    if (!this.invoices.length) {
      return renderEmpty(msg('Für dieses Konto gibt es noch keine Rechnungen.'));
    }
    const loadingMore = this.moreTask.status === TaskStatus.PENDING;
    return html`<table part="table">
        <thead>
          <tr>
            <th scope="col">${msg('Rechnung')}</th>
            <th scope="col">${msg('Datum')}</th>
            <th scope="col">${msg('Zeitraum')}</th>
            <th scope="col" class="amount-cell">${msg('Betrag')}</th>
            <th scope="col">${msg('Status')}</th>
            <th scope="col">${msg('Ausgestellt an')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.invoices.map((invoice) => this.renderRow(invoice))}
        </tbody>
      </table>
      ${
        this.hasMore || this.moreTask.status === TaskStatus.ERROR
          ? html`<div class="more" aria-busy=${loadingMore ? 'true' : 'false'}>
              <button
                type="button"
                class="button button--secondary"
                part="load-more"
                ?disabled=${loadingMore}
                @click=${this.handleLoadMore}
              >
                ${loadingMore ? msg('Wird geladen …') : msg('Mehr laden')}
              </button>
              ${
                this.moreTask.status === TaskStatus.ERROR
                  ? html`<span role="alert">${errorMessage(this.moreTask.error)}</span>`
                  : nothing
              }
            </div>`
          : nothing
      }`;
  }

  override render() {
    return html`<div
      aria-busy=${this.invoicesTask.status === TaskStatus.PENDING ? 'true' : 'false'}
    >
      ${this.invoicesTask.render({
        initial: () => renderLoading(),
        pending: () => renderLoading(),
        complete: () => this.renderTable(),
        error: (error) => renderError(error, () => this.invoicesTask.run()),
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-invoices': ConrooInvoices;
  }
}
