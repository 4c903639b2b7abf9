import {html, nothing} from 'lit';
import {msg, str} from '@lit/localize';
import type {BillingFormValues, FieldProblems} from '../billing-details/billing-details-model.js';
import '../billing-details/conroo-billing-details-form.js';
import type {PortalEventMap} from '../events.js';
import {billingFormParts} from '../parts.js';
import type {BulkBillingController} from './bulk-billing-controller.js';
import {selectedCountText} from './fleet-texts.js';

// The bulk change of billing details: choosing the drivers, the billing form of „Rechnung und
// Versand" once for all of them, and how the save went.

/** The open bulk form: what it opened with, the server's field problems, why saving stopped. */
export interface BulkForm {
  values: BillingFormValues;
  problems: FieldProblems;
  failure: string;
}

export interface SelectionBarOptions {
  /** How many of the listed drivers there are, and how many of them are chosen. */
  listed: number;
  listedSelected: number;
  selected: number;
  busy: boolean;
  onSelectAll: (selected: boolean) => void;
  onOpenForm: () => void;
}

/** „Alle auswählen" (the listed drivers), how many are chosen, and the button to the form. */
export function renderSelectionBar(options: SelectionBarOptions) {
  const all = options.listed > 0 && options.listedSelected === options.listed;
  return html`<div class="selection-bar">
    <label class="checkbox">
      <input
        type="checkbox"
        class="select-all"
        .checked=${all}
        .indeterminate=${options.listedSelected > 0 && !all}
        ?disabled=${options.listed === 0}
        @change=${(event: Event) => options.onSelectAll((event.target as HTMLInputElement).checked)}
      />
      ${msg('Alle auswählen')}
    </label>
    <span class="muted" data-selected-count>${selectedCountText(options.selected)}</span>
    <button
      type="button"
      class="button button--secondary"
      data-action="bulk-billing"
      ?disabled=${options.selected === 0 || options.busy}
      @click=${options.onOpenForm}
    >
      ${msg('Rechnungsdaten für Auswahl ändern')}
    </button>
  </div>`;
}

export interface BulkFormOptions {
  selected: number;
  busy: boolean;
  onSubmit: (event: CustomEvent<PortalEventMap['conroo-billing-details-submit']>) => void;
  onCancel: (event: Event) => void;
}

/** The billing form once for every chosen driver. */
export function renderBulkForm(form: BulkForm, options: BulkFormOptions) {
  return html`<section class="card bulk-form" part="edit-form" aria-labelledby="bulk-heading">
    <h3 id="bulk-heading">${msg('Gleiche Rechnungsdaten für alle ausgewählten Fahrer')}</h3>
    <p>
      ${msg(
        'Name, Adresse und USt-IdNr. Ihres Unternehmens gelten danach für jeden ausgewählten Fahrer: Seine nächsten Rechnungen werden an Ihr Unternehmen ausgestellt. Bei jedem Fahrer in der Liste steht, ob es geklappt hat.',
      )}
    </p>
    <p class="muted">${selectedCountText(options.selected)}</p>
    ${
      form.failure
        ? html`<div class="banner banner--danger" part="form-error" role="alert" tabindex="-1">
            <p>${form.failure}</p>
          </div>`
        : nothing
    }
    <conroo-billing-details-form
      exportparts=${billingFormParts}
      .values=${form.values}
      .serverProblems=${form.problems}
      .nextInvoiceDate=${null}
      several
      ?busy=${options.busy}
      @conroo-billing-details-submit=${options.onSubmit}
      @conroo-billing-details-cancel=${options.onCancel}
    ></conroo-billing-details-form>
  </section>`;
}

/** How the latest bulk save goes or went, with „Fehlgeschlagene erneut versuchen". */
export function renderBulkSummary(bulk: BulkBillingController, onRetry: () => void) {
  if (!bulk.runIds.length) {
    return nothing;
  }
  const total = bulk.runIds.length;
  const saved = bulk.count('saved');
  const failed = bulk.count('failed');
  const pending = bulk.count('pending');
  const done = saved + failed + pending;
  const tone = bulk.running ? 'info' : failed ? 'warning' : 'success';
  return html`<div
    class="banner banner--${tone}"
    part="bulk-results"
    role="status"
    tabindex="-1"
    aria-busy=${bulk.running ? 'true' : 'false'}
  >
    <p>
      ${
        bulk.running
          ? msg(str`Rechnungsdaten werden gespeichert … erledigt: ${done} von ${total}`)
          : msg(str`Rechnungsdaten: gespeichert ${saved}, fehlgeschlagen ${failed}`)
      }
      ${
        pending
          ? html`<br />${msg(str`Wird übernommen, sobald Stripe antwortet: ${pending}`)}`
          : nothing
      }
    </p>
    ${
      failed && !bulk.running
        ? html`<button
            type="button"
            class="button button--secondary"
            part="retry-button"
            @click=${onRetry}
          >
            ${msg('Fehlgeschlagene erneut versuchen')}
          </button>`
        : nothing
    }
  </div>`;
}
