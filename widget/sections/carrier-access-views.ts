import {html, nothing} from 'lit';
import {msg, str} from '@lit/localize';
import type {AccountSummary, CarrierGrant} from '../../common/contract.js';
import {grantedSinceText} from './carrier-access-texts.js';

// The pieces of „Spedition" that are only drawn: a carrier in the owner's list, the question
// before an access ends, and what a carrier sees of a Gate Pass it holds.

/** „Wirklich …?" under a button that ends something, with the button again and „Abbrechen". */
export interface Confirmation {
  id: string;
  question: string;
  consequence: string;
  confirmLabel: string;
  /** `data-action` of the confirming button. */
  action: string;
  busy: boolean;
  onConfirm: () => void;
  onKeep: () => void;
}

export function renderConfirmation(confirmation: Confirmation) {
  return html`<div class="confirm" role="group" aria-labelledby=${confirmation.id}>
    <p id=${confirmation.id}>
      <strong>${confirmation.question}</strong>
      ${confirmation.consequence}
    </p>
    <div class="actions">
      <button
        type="button"
        class="button button--danger"
        data-action=${confirmation.action}
        ?disabled=${confirmation.busy}
        @click=${confirmation.onConfirm}
      >
        ${confirmation.confirmLabel}
      </button>
      <button
        type="button"
        class="button button--secondary"
        data-action="keep"
        ?disabled=${confirmation.busy}
        @click=${confirmation.onKeep}
      >
        ${msg('Abbrechen')}
      </button>
    </div>
  </div>`;
}

/** A failure said where it happened. */
export function renderFailure(text: string) {
  return text
    ? html`<div class="banner banner--danger" part="error" role="alert"><p>${text}</p></div>`
    : nothing;
}

/** How one carrier of the owner's list stands, and what its buttons do. */
export interface CarrierItemState {
  /** Whether an access is being ended (every button waits for it). */
  busy: boolean;
  /** Whether it is this carrier's. */
  ending: boolean;
  confirming: boolean;
  error: string;
  onEnd: () => void;
  onConfirmEnd: () => void;
  onKeep: () => void;
}

/** One carrier with access: its address, since when, and „Zugriff beenden". */
export function renderCarrier(carrier: CarrierGrant, index: number, item: CarrierItemState) {
  const emailId = `carrier-${index}`;
  return html`<li
    class="carrier"
    part="item"
    data-carrier=${carrier.email}
    aria-busy=${item.ending ? 'true' : 'false'}
  >
    <div class="carrier-row">
      <div>
        <strong id=${emailId} class="carrier-email">${carrier.email}</strong>
        <span class="muted">${grantedSinceText(carrier.grantedAt)}</span>
      </div>
      ${
        item.confirming
          ? nothing
          : html`<button
              type="button"
              class="button button--secondary"
              data-action="end"
              aria-describedby=${emailId}
              ?disabled=${item.busy}
              @click=${item.onEnd}
            >
              ${msg('Zugriff beenden')}
            </button>`
      }
    </div>
    ${
      item.confirming
        ? renderConfirmation({
            id: `${emailId}-confirm`,
            question: msg(str`Möchten Sie den Zugriff von ${carrier.email} wirklich beenden?`),
            consequence: msg('Die Spedition kann diesen Gate Pass dann nicht mehr verwalten.'),
            confirmLabel: msg('Zugriff beenden'),
            action: 'confirm-end',
            busy: item.busy,
            onConfirm: item.onConfirmEnd,
            onKeep: item.onKeep,
          })
        : nothing
    }
    ${renderFailure(item.error)}
  </li>`;
}

/** What a carrier sees of a Gate Pass it holds, and „Zugriff zurückgeben". */
export interface CarrierViewState {
  busy: boolean;
  confirming: boolean;
  error: string;
  onReturn: () => void;
  onConfirmReturn: () => void;
  onKeep: () => void;
}

export function renderCarrierView(account: AccountSummary, view: CarrierViewState) {
  const owner =
    account.name && account.email
      ? `${account.name} (${account.email})`
      : account.name || account.email || account.customerId;
  return html`<section class="card" part="card">
    <p>${msg(str`Dieser Gate Pass gehört ${owner}.`)}</p>
    <p>
      ${msg(
        'Sie verwalten ihn als Spedition mit Ihrer eigenen E-Mail-Adresse: Zahlungsmethode, Rechnungsdaten und Rechnungen. Der Inhaber erhält bei jeder Änderung eine E-Mail.',
      )}
    </p>
    ${
      view.confirming
        ? renderConfirmation({
            id: 'return-confirm',
            question: msg('Möchten Sie den Zugriff auf diesen Gate Pass wirklich zurückgeben?'),
            consequence: msg(
              'Sie können ihn danach erst wieder verwalten, wenn der Inhaber Ihnen erneut Zugriff gibt.',
            ),
            confirmLabel: msg('Zugriff zurückgeben'),
            action: 'confirm-return',
            busy: view.busy,
            onConfirm: view.onConfirmReturn,
            onKeep: view.onKeep,
          })
        : html`<button
            type="button"
            class="button button--secondary"
            data-action="return"
            @click=${view.onReturn}
          >
            ${msg('Zugriff zurückgeben')}
          </button>`
    }
    ${renderFailure(view.error)}
  </section>`;
}
