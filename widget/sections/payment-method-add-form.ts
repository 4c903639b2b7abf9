import {html, nothing} from 'lit';
import {msg} from '@lit/localize';
import {paymentElementSlot} from '../payment-form/payment-element-slot.js';
import {renderLoading} from '../views/section-states.js';

/** Where „Zahlungsmethode hinzufügen" is. `completing`: confirmed, now made the default. */
export type AddStep = 'closed' | 'preparing' | 'ready' | 'confirming' | 'completing';

export interface AddFormState {
  step: AddStep;
  /** Why the last try failed, or `''`. */
  error: string;
  onSubmit: () => void;
  onCancel: () => void;
}

/** „Zahlungsmethode hinzufügen", which opens the form; disabled while a redirect finishes. */
export function renderAddButton(disabled: boolean, onClick: () => void) {
  return html`<button
    type="button"
    class="button button--primary"
    part="add-button"
    ?disabled=${disabled}
    @click=${onClick}
  >
    ${msg('Zahlungsmethode hinzufügen')}
  </button>`;
}

/**
 * The card of „Zahlungsmethode hinzufügen": the slot the payment form mounts in, why saving
 * failed, „Speichern" and „Abbrechen".
 */
export function renderAddForm({step, error, onSubmit, onCancel}: AddFormState) {
  const working = step === 'confirming' || step === 'completing';
  return html`<section
    class="card add-form"
    part="add-form"
    aria-labelledby="add-heading"
    aria-busy=${step === 'ready' ? 'false' : 'true'}
  >
    <h3 id="add-heading">${msg('Zahlungsmethode hinzufügen')}</h3>
    <p class="muted">
      ${msg(
        'Die neue Zahlungsmethode wird Ihre Standard-Zahlungsmethode und für die nächste Verlängerung Ihres Gate Pass verwendet.',
      )}
    </p>
    ${step === 'preparing' ? renderLoading(msg('Das Zahlungsformular wird geladen …')) : nothing}
    <slot name=${paymentElementSlot}></slot>
    ${
      error
        ? html`<div class="banner banner--danger" part="form-error" role="alert">
            <p>${error}</p>
          </div>`
        : nothing
    }
    <div class="actions">
      <button
        type="button"
        class="button button--primary"
        part="submit"
        ?disabled=${step !== 'ready'}
        @click=${onSubmit}
      >
        ${working ? msg('Wird gespeichert …') : msg('Speichern')}
      </button>
      <button
        type="button"
        class="button button--secondary"
        ?disabled=${working}
        @click=${onCancel}
      >
        ${msg('Abbrechen')}
      </button>
    </div>
  </section>`;
}
