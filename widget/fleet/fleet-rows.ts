import {html, nothing} from 'lit';
import {repeat} from 'lit/directives/repeat.js';
import {msg, str} from '@lit/localize';
import type {FleetDriver, Subscription} from '../../common/contract.js';
import type {FleetView} from '../context/navigation-context.js';
import {formatDate, formatMoney, subscriptionStatusLabel} from '../format.js';
import {renderPaymentMethod} from '../views/billing-fragments.js';
import type {BulkRowState} from './bulk-billing-controller.js';
import {
  billsPrivatePerson,
  driverName,
  lacksPaymentMethod,
  type FleetSortKey,
} from './fleet-model.js';
import {bulkFailureText, bulkStateLabel} from './fleet-texts.js';

// One driver of the fleet overview, as a row of the table (wide) or a card of the list
// (narrow): the same cells, the same buttons. Everything from Stripe is a text binding.

/** How one driver stands in the overview, and what its controls do. */
export interface DriverRowState {
  selected: boolean;
  /** Its result of the latest bulk save that included it. */
  bulk?: BulkRowState;
  onSelect: (selected: boolean) => void;
  onOpen: () => void;
  onAddPaymentMethod: () => void;
}

export interface FleetRowsOptions {
  sort: FleetView['sort'];
  onSort: (key: FleetSortKey) => void;
  row: (driver: FleetDriver) => DriverRowState;
}

const statusTones: Partial<Record<Subscription['status'], string>> = {
  active: 'success',
  trialing: 'success',
  past_due: 'danger',
  unpaid: 'danger',
  incomplete: 'warning',
};

const nameId = (driver: FleetDriver) => `driver-${driver.customerId}`;

/** The Gate Pass's status and, beside it, whether an invoice is open. */
function renderStatus(driver: FleetDriver) {
  const status = driver.subscription?.status;
  return html`<div class="status">
    ${
      status
        ? html`<span class="badge badge--${statusTones[status] ?? 'neutral'}" data-status=${status}
            >${subscriptionStatusLabel(status)}</span
          >`
        : html`<span class="muted">${msg('Kein Gate Pass')}</span>`
    }
    ${
      driver.openInvoice
        ? html`<span class="badge badge--danger" data-open-invoice>${msg('Offene Rechnung')}</span>`
        : nothing
    }
  </div>`;
}

function renderRenewal(driver: FleetDriver) {
  const subscription = driver.subscription;
  return subscription
    ? html`<span class="nowrap">${formatDate(subscription.currentPeriodEnd)}</span>
        <span class="amount">${formatMoney(subscription.amount, subscription.currency)}</span>`
    : html`<span class="muted">—</span>`;
}

function renderPaymentMethodCell(driver: FleetDriver) {
  return driver.defaultPaymentMethod
    ? renderPaymentMethod(driver.defaultPaymentMethod)
    : html`<span class="badge badge--warning">${msg('Keine Zahlungsmethode hinterlegt')}</span>`;
}

function renderBilling(driver: FleetDriver, bulk: BulkRowState | undefined) {
  const taxIds = driver.taxIds.map((taxId) => taxId.value).join(', ');
  return html`<div class="billing">
    <span class="billing-name">${driver.billingName || '—'}</span>
    ${
      taxIds
        ? html`<span class="tax-id-value">${taxIds}</span>`
        : html`<span class="muted">${msg('Keine Steuer-ID hinterlegt')}</span>`
    }
    ${
      billsPrivatePerson(driver)
        ? html`<span class="badge badge--warning">${msg('Privatperson')}</span>`
        : nothing
    }
    ${renderBulkState(bulk)}
  </div>`;
}

/** The driver's result of the bulk save, where its billing details are. */
function renderBulkState(bulk: BulkRowState | undefined) {
  if (!bulk) {
    return nothing;
  }
  const tone =
    bulk.status === 'saved'
      ? 'success'
      : bulk.status === 'failed'
        ? 'danger'
        : bulk.status === 'pending'
          ? 'warning'
          : 'neutral';
  return html`<span class="bulk-state" data-bulk=${bulk.status}>
    <span class="badge badge--${tone}">${bulkStateLabel(bulk)}</span>
    ${bulk.status === 'failed' ? html`<span class="bulk-reason">${bulkFailureText(bulk)}</span>` : nothing}
  </span>`;
}

function renderCheckbox(driver: FleetDriver, row: DriverRowState) {
  return html`<input
    type="checkbox"
    class="select"
    aria-label=${msg(str`${driverName(driver)} auswählen`)}
    .checked=${row.selected}
    @change=${(event: Event) => row.onSelect((event.target as HTMLInputElement).checked)}
  />`;
}

function renderActions(driver: FleetDriver, row: DriverRowState) {
  return html`<div class="actions">
    <button
      type="button"
      class="button button--secondary small-button"
      data-action="open"
      aria-describedby=${nameId(driver)}
      @click=${row.onOpen}
    >
      ${msg('Öffnen')}
    </button>
    ${
      lacksPaymentMethod(driver)
        ? html`<button
            type="button"
            class="button button--primary small-button"
            data-action="add-payment-method"
            aria-describedby=${nameId(driver)}
            @click=${row.onAddPaymentMethod}
          >
            ${msg('Zahlungsmethode hinzufügen')}
          </button>`
        : nothing
    }
  </div>`;
}

function renderWho(driver: FleetDriver) {
  return html`<span class="who">
    <strong id=${nameId(driver)} class="driver-name">${driverName(driver)}</strong>
    ${driver.email && driver.name ? html`<span class="muted email">${renderEmail(driver.email)}</span>` : nothing}
  </span>`;
}

/** An address that wraps before its „@" when it must, not in the middle of a word. */
function renderEmail(email: string) {
  const at = email.lastIndexOf('@');
  return at > 0 ? html`${email.slice(0, at)}<wbr />${email.slice(at)}` : email;
}

/** A column header that sorts by its column: a button, its state in `aria-sort`. */
function renderSortHeader(label: string, key: FleetSortKey, options: FleetRowsOptions) {
  const sorted = options.sort.key === key;
  const direction = options.sort.descending ? 'descending' : 'ascending';
  return html`<th scope="col" aria-sort=${sorted ? direction : 'none'}>
    <button type="button" class="sort-button" data-sort=${key} @click=${() => options.onSort(key)}>
      ${label}
      <span class="sort-mark" aria-hidden="true"
        >${sorted ? (options.sort.descending ? '▼' : '▲') : '↕'}</span
      >
    </button>
  </th>`;
}

/** The fleet as a table, where its columns fit. */
export function renderFleetTable(
  drivers: FleetDriver[],
  caption: string,
  options: FleetRowsOptions,
) {
  return html`<table part="table" class="fleet-table">
    <caption class="visually-hidden">
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col"><span class="visually-hidden">${msg('Auswahl')}</span></th>
        ${renderSortHeader(msg('Fahrer'), 'name', options)}
        ${renderSortHeader(msg('Gate Pass'), 'status', options)}
        ${renderSortHeader(msg('Verlängerung'), 'renewal', options)}
        <th scope="col">${msg('Zahlungsmethode')}</th>
        <th scope="col">${msg('Rechnung an')}</th>
        <th scope="col"><span class="visually-hidden">${msg('Aktionen')}</span></th>
      </tr>
    </thead>
    <tbody>
      ${repeat(
        drivers,
        (driver) => driver.customerId,
        (driver) => {
          const row = options.row(driver);
          return html`<tr
            data-driver=${driver.customerId}
            class=${row.selected ? 'is-selected' : ''}
          >
            <td>${renderCheckbox(driver, row)}</td>
            <th scope="row">${renderWho(driver)}</th>
            <td>${renderStatus(driver)}</td>
            <td><div class="renewal">${renderRenewal(driver)}</div></td>
            <td>${renderPaymentMethodCell(driver)}</td>
            <td>${renderBilling(driver, row.bulk)}</td>
            <td>${renderActions(driver, row)}</td>
          </tr>`;
        },
      )}
    </tbody>
  </table>`;
}

/** The fleet as a list of cards, where a table's columns would not fit (phones, 360 px). */
export function renderFleetList(drivers: FleetDriver[], options: FleetRowsOptions) {
  return html`<ul part="list" class="fleet-list">
    ${repeat(
      drivers,
      (driver) => driver.customerId,
      (driver) => {
        const row = options.row(driver);
        return html`<li
          part="item"
          class="card driver-card ${row.selected ? 'is-selected' : ''}"
          data-driver=${driver.customerId}
        >
          <div class="card-head">${renderCheckbox(driver, row)} ${renderWho(driver)}</div>
          <dl class="facts">
            <dt>${msg('Gate Pass')}</dt>
            <dd>${renderStatus(driver)}</dd>
            <dt>${msg('Verlängerung')}</dt>
            <dd class="renewal">${renderRenewal(driver)}</dd>
            <dt>${msg('Zahlungsmethode')}</dt>
            <dd>${renderPaymentMethodCell(driver)}</dd>
            <dt>${msg('Rechnung an')}</dt>
            <dd>${renderBilling(driver, row.bulk)}</dd>
          </dl>
          ${renderActions(driver, row)}
        </li>`;
      },
    )}
  </ul>`;
}
