import {LitElement, css, html, nothing} from 'lit';
import {customElement, property, query, state} from 'lit/decorators.js';
import {localized, msg} from '@lit/localize';
import {formFieldStyles, portalStyles} from '../styles/portal-styles.js';
import {focusInvalidField} from '../views/focus.js';
import type {PaymentMethodKind} from './payment-form.js';

export type DemoCardField = 'number' | 'expiry' | 'cvc';

/** What the demo form collected, as Stripe's `payment_method_data` needs it. */
export type DemoPaymentDetails =
  {type: 'card'; number: string; expMonth: string; expYear: string; cvc: string} | {type: 'paypal'};

/** „08/28", „0828" or „08 / 2028" → month and four-digit year; `null` when it is none of them. */
export function parseExpiry(value: string): {month: string; year: string} | null {
  const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(value);
  if (!match) {
    return null;
  }
  const month = Number(match[1]);
  if (month < 1 || month > 12) {
    return null;
  }
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  return {month: String(month), year: String(year)};
}

/**
 * @summary The demo payment form, used instead of Stripe's Payment Element when the portal
 * server talks to the Stripe emulator: „Karte" (number, expiry, CVC) or „PayPal", clearly
 * labelled as a demo. It only collects; `DemoPaymentForm` confirms what it collected.
 *
 * @event conroo-demo-submit - Enter was pressed in a field (does not bubble).
 *
 * @csspart demo-label - The notice that no real money moves.
 */
@localized()
@customElement('conroo-demo-payment-form')
export class ConrooDemoPaymentForm extends LitElement {
  static override styles = [
    portalStyles,
    formFieldStyles,
    css`
      :host {
        display: block;
        container-type: inline-size;
      }

      .demo-label {
        margin: 0 0 1rem;
        padding: 0.5rem 0.75rem;
        border: 1px dashed var(--conroo-warning-border);
        border-radius: calc(var(--conroo-radius) * 0.75);
        background: var(--conroo-warning-surface);
        color: var(--conroo-warning-text);
        font-weight: 600;
      }

      [role='tablist'] {
        display: flex;
        gap: 0.5rem;
        margin-bottom: 1rem;
      }

      [role='tab'] {
        flex: 1 1 0;
        min-height: 2.75rem;
        padding: 0.5rem 1rem;
        border: 1px solid var(--conroo-border-strong);
        border-radius: calc(var(--conroo-radius) * 0.75);
        background: var(--conroo-surface);
        color: inherit;
        font: inherit;
        font-weight: 600;
        cursor: pointer;
      }

      /* The chosen tab stands out by more than its yellow (3:1 against white, WCAG 1.4.11). */
      [role='tab'][aria-selected='true'] {
        border-color: var(--conroo-text);
        background: var(--conroo-accent);
        color: var(--conroo-accent-text);
        box-shadow: inset 0 -3px 0 var(--conroo-accent-text);
      }

      .fields {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0.75rem 1rem;
      }

      /* Expiry below the number, CVC below the expiry on a phone (320 px, 200 % zoom). */
      @container (max-width: 22rem) {
        .fields {
          grid-template-columns: minmax(0, 1fr);
        }
      }

      .field {
        align-content: start;
      }

      .field--wide {
        grid-column: 1 / -1;
      }

      input {
        font-variant-numeric: tabular-nums;
      }

      input[aria-invalid='true'] {
        border-color: var(--conroo-danger-text);
      }

      .hint {
        margin: 1rem 0 0;
      }

      .hint ul {
        margin: 0.25rem 0 0;
        padding-left: 1.25rem;
      }

      .test-card {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
    `,
  ];

  @query('#card-number') private numberInput?: HTMLInputElement;
  @query('#card-expiry') private expiryInput?: HTMLInputElement;
  @query('#card-cvc') private cvcInput?: HTMLInputElement;
  @query('[role="tab"][aria-selected="true"]') private selectedTab?: HTMLButtonElement;

  @state() private selected: PaymentMethodKind = 'card';
  @state() private fieldErrors: Partial<Record<DemoCardField, string>> = {};

  /** Whether the fields take no input, e.g. while the portal confirms. */
  @property({type: Boolean, reflect: true}) disabled = false;

  /** The tab that is chosen. */
  get kind(): PaymentMethodKind {
    return this.selected;
  }

  private handleSubmit(event: SubmitEvent) {
    event.preventDefault();
  }

  /** A form with several fields and no submit button ignores Enter; the portal's button submits. */
  private handleFieldKey(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.target as Element).localName === 'input') {
      event.preventDefault();
      this.dispatchEvent(new CustomEvent('conroo-demo-submit'));
    }
  }

  private handleTabKey(event: KeyboardEvent) {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      this.selectTab(this.selected === 'card' ? 'paypal' : 'card');
      this.updateComplete.then(() => this.selectedTab?.focus());
    }
  }

  private handleInput(field: DemoCardField) {
    if (this.fieldErrors[field] !== undefined) {
      const {[field]: _fixed, ...rest} = this.fieldErrors;
      this.fieldErrors = rest;
    }
  }

  private selectTab(kind: PaymentMethodKind) {
    this.selected = kind;
  }

  /** Focuses the first field of the chosen tab. */
  override focus(options?: FocusOptions) {
    (this.selected === 'card' ? this.numberInput : this.selectedTab)?.focus(options);
  }

  /**
   * The entered details, or `null` after marking what is missing (focus on the first such
   * field). Only the format is checked here; the card itself is checked by the emulator.
   */
  validate(): DemoPaymentDetails | null {
    if (this.selected === 'paypal') {
      return {type: 'paypal'};
    }
    const number = (this.numberInput?.value ?? '').replace(/[\s-]/g, '');
    const expiry = parseExpiry(this.expiryInput?.value ?? '');
    const cvc = (this.cvcInput?.value ?? '').trim();
    const errors: Partial<Record<DemoCardField, string>> = {};
    if (!/^\d{12,19}$/.test(number)) {
      errors.number = msg('Bitte geben Sie die Kartennummer ein.');
    }
    if (!expiry) {
      errors.expiry = msg('Bitte geben Sie das Ablaufdatum als MM/JJ ein.');
    }
    if (!/^\d{3,4}$/.test(cvc)) {
      errors.cvc = msg('Bitte geben Sie die Prüfnummer (3 oder 4 Ziffern) ein.');
    }
    this.fieldErrors = errors;
    const firstInvalid = (['number', 'expiry', 'cvc'] as const).find((field) => errors[field]);
    if (firstInvalid) {
      this.updateComplete.then(() => {
        const input = this.inputFor(firstInvalid);
        if (input) {
          focusInvalidField(input);
        }
      });
      return null;
    }
    return {type: 'card', number, expMonth: expiry!.month, expYear: expiry!.year, cvc};
  }

  /** Marks a field the emulator refused; the portal says why above the buttons. */
  markInvalid(field: DemoCardField) {
    this.fieldErrors = {...this.fieldErrors, [field]: ''};
    this.updateComplete.then(() => this.inputFor(field)?.focus());
  }

  private inputFor(field: DemoCardField) {
    return field === 'number'
      ? this.numberInput
      : field === 'expiry'
        ? this.expiryInput
        : this.cvcInput;
  }

  private renderField(
    field: DemoCardField,
    label: string,
    attributes: {autocomplete: string; placeholder?: string; maxlength: number},
    wide = false,
  ) {
    const error = this.fieldErrors[field];
    const invalid = error !== undefined;
    return html`<div class="field ${wide ? 'field--wide' : ''}">
      <label for="card-${field}">${label}</label>
      <input
        id="card-${field}"
        name=${attributes.autocomplete}
        type="text"
        inputmode="numeric"
        autocomplete=${attributes.autocomplete}
        spellcheck="false"
        maxlength=${attributes.maxlength}
        placeholder=${attributes.placeholder ?? nothing}
        ?disabled=${this.disabled}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${error ? `card-${field}-error` : nothing}
        @input=${() => this.handleInput(field)}
      />
      ${error ? html`<p class="field-error" id="card-${field}-error">${error}</p>` : nothing}
    </div>`;
  }

  override render() {
    const card = this.selected === 'card';
    // In the page's light DOM (Stripe's rule for its element, kept by the demo): `isolated`
    // keeps the page's inherited styles out.
    return html`<div class="isolated">
      <p class="demo-label" part="demo-label" role="note">
        ${msg('Demo-Zahlungsformular – es wird kein echtes Geld bewegt')}
      </p>
      <div
        role="tablist"
        aria-label=${msg('Art der Zahlungsmethode')}
        @keydown=${this.handleTabKey}
      >
        <button
          type="button"
          role="tab"
          id="tab-card"
          aria-controls="panel-card"
          aria-selected=${card ? 'true' : 'false'}
          tabindex=${card ? 0 : -1}
          ?disabled=${this.disabled}
          @click=${() => this.selectTab('card')}
        >
          ${msg('Karte')}
        </button>
        <button
          type="button"
          role="tab"
          id="tab-paypal"
          aria-controls="panel-paypal"
          aria-selected=${card ? 'false' : 'true'}
          tabindex=${card ? -1 : 0}
          ?disabled=${this.disabled}
          @click=${() => this.selectTab('paypal')}
        >
          PayPal
        </button>
      </div>
      <form novalidate @submit=${this.handleSubmit} @keydown=${this.handleFieldKey}>
        <div role="tabpanel" id="panel-card" aria-labelledby="tab-card" ?hidden=${!card}>
          <div class="fields">
            ${this.renderField(
              'number',
              msg('Kartennummer'),
              {autocomplete: 'cc-number', placeholder: '1234 1234 1234 1234', maxlength: 23},
              true,
            )}
            ${this.renderField('expiry', msg('Ablaufdatum (MM/JJ)'), {
              autocomplete: 'cc-exp',
              placeholder: msg('MM/JJ'),
              maxlength: 7,
            })}
            ${this.renderField('cvc', msg('Prüfnummer (CVC)'), {
              autocomplete: 'cc-csc',
              maxlength: 4,
            })}
          </div>
          <div class="hint muted">
            ${msg('Testkarten für die Demo (Ablaufdatum in der Zukunft, beliebige Prüfnummer):')}
            <ul>
              <li>
                <span class="test-card">4242 4242 4242 4242</span> – ${msg('wird gespeichert')}
              </li>
              <li><span class="test-card">4000 0000 0000 0002</span> – ${msg('wird abgelehnt')}</li>
              <li>
                <span class="test-card">4000 0025 0000 3155</span> – ${msg('fragt nach 3-D Secure')}
              </li>
            </ul>
          </div>
        </div>
        <!-- Nothing to fill in: the panel itself takes focus, so that its text is not skipped. -->
        <div
          role="tabpanel"
          id="panel-paypal"
          aria-labelledby="tab-paypal"
          tabindex="0"
          ?hidden=${card}
        >
          <p>
            ${msg(
              'Sie werden zu PayPal weitergeleitet, um die Zahlungsmethode freizugeben, und kommen danach hierher zurück.',
            )}
          </p>
        </div>
      </form>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-demo-payment-form': ConrooDemoPaymentForm;
  }
}
