import {html, nothing} from 'lit';
import {msg, str} from '@lit/localize';
import type {PaymentMethod} from '../../common/contract.js';
import {renderPaymentMethod} from '../views/billing-fragments.js';
import {renderEmpty} from '../views/section-states.js';
import {paymentMethodLabel} from './payment-method-messages.js';

/** How one listed payment method stands, and what its buttons do. */
export interface PaymentMethodItemState {
  /** Whether a change of any listed method runs (every button waits for it). */
  busy: boolean;
  /** Whether the change that runs is this method's. */
  changing: boolean;
  /** Whether „Möchten Sie … wirklich entfernen?" waits for an answer. */
  confirmingRemoval: boolean;
  /** Why the last change of this method failed, or `''`. */
  error: string;
  onSetDefault: () => void;
  onRemove: () => void;
  onConfirmRemoval: () => void;
  onKeep: () => void;
}

function renderActions(method: PaymentMethod, nameId: string, item: PaymentMethodItemState) {
  return html`<div class="actions">
    ${
      method.isDefault
        ? nothing
        : html`<button
            type="button"
            class="button button--secondary"
            data-action="default"
            aria-describedby=${nameId}
            ?disabled=${item.busy}
            @click=${item.onSetDefault}
          >
            ${msg('Als Standard festlegen')}
          </button>`
    }
    <button
      type="button"
      class="button button--secondary"
      data-action="remove"
      aria-describedby=${nameId}
      ?disabled=${item.busy}
      @click=${item.onRemove}
    >
      ${msg('Entfernen')}
    </button>
  </div>`;
}

/** „Möchten Sie … wirklich entfernen?" with „Entfernen" and „Abbrechen". */
function renderRemovalConfirmation(
  method: PaymentMethod,
  nameId: string,
  item: PaymentMethodItemState,
) {
  return html`<div class="confirm" role="group" aria-labelledby="${nameId}-confirm">
    <p id="${nameId}-confirm">
      <strong> ${msg(str`Möchten Sie ${paymentMethodLabel(method)} wirklich entfernen?`)} </strong>
    </p>
    <div class="actions">
      <button
        type="button"
        class="button button--danger"
        data-action="confirm-remove"
        ?disabled=${item.busy}
        @click=${item.onConfirmRemoval}
      >
        ${msg('Entfernen')}
      </button>
      <button
        type="button"
        class="button button--secondary"
        data-action="keep"
        ?disabled=${item.busy}
        @click=${item.onKeep}
      >
        ${msg('Abbrechen')}
      </button>
    </div>
  </div>`;
}

/** One payment method of „Zahlungsmethoden": what it is, its buttons, why a change failed. */
export function renderPaymentMethodItem(method: PaymentMethod, item: PaymentMethodItemState) {
  const nameId = `payment-method-${method.id}`;
  return html`<li
    class="card ${method.isDefault ? 'is-default' : ''}"
    part="item"
    data-payment-method=${method.id}
    aria-busy=${item.changing ? 'true' : 'false'}
  >
    <div class="item-row">
      <div id=${nameId}>${renderPaymentMethod(method, {showDefault: true})}</div>
      ${item.confirmingRemoval ? nothing : renderActions(method, nameId, item)}
    </div>
    ${item.confirmingRemoval ? renderRemovalConfirmation(method, nameId, item) : nothing}
    ${
      item.error
        ? html`<div class="banner banner--danger" role="alert"><p>${item.error}</p></div>`
        : nothing
    }
  </li>`;
}

/** The account's payment methods, the default first: it is the one the next renewal charges. */
export function renderPaymentMethodList(
  methods: PaymentMethod[],
  itemState: (method: PaymentMethod) => PaymentMethodItemState,
) {
  if (!methods.length) {
    return renderEmpty(msg('Für dieses Konto ist keine Zahlungsmethode hinterlegt.'));
  }
  const ordered = [...methods].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  return html`<p class="muted">
      ${msg('Die Standard-Zahlungsmethode wird bei der nächsten Verlängerung belastet.')}
    </p>
    <ul part="list">
      ${ordered.map((method) => renderPaymentMethodItem(method, itemState(method)))}
    </ul>`;
}
