import {LitElement, css, html, nothing} from 'lit';
import {customElement, property, query, state} from 'lit/decorators.js';
import {messagesFor, type StandInMessages} from './messages.js';

export type DemoCardField = 'number' | 'expiry' | 'cvc';

/** The tabs of the stand-in Payment Element, named like Stripe's payment method types. */
export type DemoPaymentMethodType = 'card' | 'paypal';

/** What the form collected, as the emulator's `payment_method_data` needs it. */
export type DemoPaymentDetails =
  {type: 'card'; number: string; expMonth: string; expYear: string; cvc: string} | {type: 'paypal'};

/** What the form refuses before anything is sent: Stripe.js' `validation_error` codes. */
export type DemoValidationCode = 'incomplete_number' | 'incomplete_expiry' | 'incomplete_cvc';

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
 * The stand-in's "Payment Element": „Karte" (number, expiry, CVC) or „PayPal", clearly labelled
 * as a demo. Stripe's element lives in an iframe; this one lives in a shadow root of a node in
 * the page's light DOM, with what the page would pass down by inheritance reset, and takes its
 * colours, radius and font from the Appearance API variables it was created with.
 *
 * @event demo-payment-element-change - Another tab was chosen (does not bubble).
 * @event demo-payment-element-enter - Enter was pressed in a field (does not bubble).
 */
@customElement('stripe-demo-payment-element')
export class StripeDemoPaymentElement extends LitElement {
  static override styles = css`
    :host {
      display: block;
      container-type: inline-size;
      --demo-primary: #0570de;
      --demo-primary-text: #ffffff;
      --demo-text: #30313d;
      --demo-background: #ffffff;
      --demo-danger: #c0123c;
      --demo-radius: 6px;
      --demo-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    }

    *,
    *::before,
    *::after {
      box-sizing: border-box;
    }

    [hidden] {
      display: none !important;
    }

    /* What the host page sets on the mount node must not reach inside (Stripe's iframe). */
    .isolated {
      all: initial;
      display: block;
      font-family: var(--demo-font);
      font-size: 1rem;
      line-height: 1.5;
      color: var(--demo-text);
      text-align: start;
      overflow-wrap: break-word;
    }

    .demo-label {
      margin: 0 0 1rem;
      padding: 0.5rem 0.75rem;
      border: 1px dashed #8a6d00;
      border-radius: var(--demo-radius);
      background: #fff6cc;
      color: #5c4300;
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
      border: 1px solid #84878d;
      border-radius: var(--demo-radius);
      background: var(--demo-background);
      color: inherit;
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }

    /* The chosen tab stands out by more than its colour (WCAG 1.4.11). */
    [role='tab'][aria-selected='true'] {
      border-color: var(--demo-text);
      background: var(--demo-primary);
      color: var(--demo-primary-text);
      box-shadow: inset 0 -3px 0 var(--demo-primary-text);
    }

    :focus-visible {
      outline: 2px solid #1d4ed8;
      outline-offset: 2px;
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
      display: grid;
      gap: 0.25rem;
      align-content: start;
    }

    .field--wide {
      grid-column: 1 / -1;
    }

    label {
      font-weight: 600;
    }

    input {
      width: 100%;
      min-height: 2.75rem;
      padding: 0.5rem 0.75rem;
      border: 1px solid #84878d;
      border-radius: var(--demo-radius);
      background: var(--demo-background);
      color: inherit;
      font: inherit;
      font-variant-numeric: tabular-nums;
    }

    input::placeholder {
      color: #6b6e75;
    }

    input[aria-invalid='true'] {
      border-color: var(--demo-danger);
    }

    .field-error {
      margin: 0;
      color: var(--demo-danger);
      font-weight: 600;
      font-size: 0.9375rem;
    }

    .hint {
      margin: 1rem 0 0;
      color: #585b61;
    }

    .hint ul {
      margin: 0.25rem 0 0;
      padding-left: 1.25rem;
    }

    .test-card {
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
  `;

  @query('#card-number') private numberInput?: HTMLInputElement;
  @query('#card-expiry') private expiryInput?: HTMLInputElement;
  @query('#card-cvc') private cvcInput?: HTMLInputElement;
  @query('[role="tab"][aria-selected="true"]') private selectedTab?: HTMLButtonElement;

  @state() private selected: DemoPaymentMethodType = 'card';
  @state() private fieldErrors: Partial<Record<DemoCardField, string>> = {};

  /** The texts, in the locale the element was created with. */
  @property({attribute: false}) messages: StandInMessages = messagesFor('auto');

  /** Whether the fields take no input, e.g. while a confirmation runs. */
  @property({type: Boolean, reflect: true}) disabled = false;

  /** The tab that is chosen. */
  get type(): DemoPaymentMethodType {
    return this.selected;
  }

  private handleSubmit(event: SubmitEvent) {
    event.preventDefault();
  }

  /** Stripe's elements submit the page's form around them on Enter; the stand-in says when. */
  private handleFieldKey(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.target as Element).localName === 'input') {
      event.preventDefault();
      this.dispatchEvent(new CustomEvent('demo-payment-element-enter'));
    }
  }

  private handleTabKey(event: KeyboardEvent) {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      this.selectTab(this.selected === 'card' ? 'paypal' : 'card');
      void this.updateComplete.then(() => this.selectedTab?.focus());
    }
  }

  private handleInput(field: DemoCardField) {
    if (this.fieldErrors[field] !== undefined) {
      const {[field]: _fixed, ...rest} = this.fieldErrors;
      this.fieldErrors = rest;
    }
  }

  private selectTab(type: DemoPaymentMethodType) {
    if (this.selected === type) return;
    this.selected = type;
    this.dispatchEvent(new CustomEvent('demo-payment-element-change'));
  }

  /** Focuses the first field of the chosen tab. */
  override focus(options?: FocusOptions) {
    (this.selected === 'card' ? this.numberInput : this.selectedTab)?.focus(options);
  }

  /**
   * The entered details, or the first problem after marking every field that needs fixing
   * (focus on the first one), as Stripe's element does before it sends anything.
   */
  collect(): DemoPaymentDetails | {invalid: DemoValidationCode} {
    if (this.selected === 'paypal') {
      return {type: 'paypal'};
    }
    const number = (this.numberInput?.value ?? '').replace(/[\s-]/g, '');
    const expiry = parseExpiry(this.expiryInput?.value ?? '');
    const cvc = (this.cvcInput?.value ?? '').trim();
    const errors: Partial<Record<DemoCardField, string>> = {};
    if (!/^\d{12,19}$/.test(number)) errors.number = this.messages.numberMissing;
    if (!expiry) errors.expiry = this.messages.expiryMissing;
    if (!/^\d{3,4}$/.test(cvc)) errors.cvc = this.messages.cvcMissing;
    this.fieldErrors = errors;
    const firstInvalid = (['number', 'expiry', 'cvc'] as const).find((field) => errors[field]);
    if (firstInvalid) {
      void this.updateComplete.then(() => this.refocus(this.inputFor(firstInvalid)));
      return {invalid: `incomplete_${firstInvalid}`};
    }
    return {type: 'card', number, expMonth: expiry!.month, expYear: expiry!.year, cvc};
  }

  /** Marks a field the emulator refused; the page says why. */
  markInvalid(field: DemoCardField) {
    this.fieldErrors = {...this.fieldErrors, [field]: ''};
    void this.updateComplete.then(() => this.inputFor(field)?.focus());
  }

  /**
   * Focus on a field that has it already (Enter was pressed there) leaves and comes back, so
   * that a screen reader says the field again, with its error.
   */
  private refocus(control: HTMLElement | undefined) {
    if (!control) return;
    if (this.shadowRoot?.activeElement === control) control.blur();
    control.focus();
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
    const t = this.messages;
    return html`<div class="isolated">
      <p class="demo-label" role="note">${t.demoLabel}</p>
      <div role="tablist" aria-label=${t.methodType} @keydown=${this.handleTabKey}>
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
          ${t.card}
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
              t.number,
              {autocomplete: 'cc-number', placeholder: '1234 1234 1234 1234', maxlength: 23},
              true,
            )}
            ${this.renderField('expiry', t.expiry, {
              autocomplete: 'cc-exp',
              placeholder: t.expiryPlaceholder,
              maxlength: 7,
            })}
            ${this.renderField('cvc', t.cvc, {autocomplete: 'cc-csc', maxlength: 4})}
          </div>
          <div class="hint">
            ${t.testCards}
            <ul>
              <li><span class="test-card">4242 4242 4242 4242</span> – ${t.saves}</li>
              <li><span class="test-card">4000 0000 0000 0002</span> – ${t.declines}</li>
              <li><span class="test-card">4000 0025 0000 3155</span> – ${t.asks3ds}</li>
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
          <p>${t.paypalNote}</p>
        </div>
      </form>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'stripe-demo-payment-element': StripeDemoPaymentElement;
  }
}
