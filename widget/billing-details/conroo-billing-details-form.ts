import {LitElement, html, nothing, type PropertyValues, type TemplateResult} from 'lit';
import {customElement, property, state} from 'lit/decorators.js';
import {guard} from 'lit/directives/guard.js';
import {live} from 'lit/directives/live.js';
import {localized, msg, str} from '@lit/localize';
import {COUNTRY_CODES} from '../../common/billing-rules.js';
import {portalEvent} from '../events.js';
import {countriesByName} from '../format.js';
import {activeLocale} from '../localization.js';
import {formFieldStyles, portalStyles} from '../styles/portal-styles.js';
import {focusInvalidField} from '../views/focus.js';
import {validate} from './billing-details-checks.js';
import {
  fieldId,
  fieldPaths,
  getField,
  needsRegion,
  setField,
  type BillingFormValues,
  type FieldPath,
  type FieldProblems,
} from './billing-form-values.js';
import {billingDetailsFormStyles} from './conroo-billing-details-form.styles.js';
import {problemText} from './field-error-text.js';
import {exampleCompany, regionLabel, taxIdHint} from './field-hints.js';
import {renderInvoicePreview} from './invoice-preview-block.js';

interface FieldOptions {
  /**
   * Bound as the property, which reflects to the attribute: lit-analyzer's list of attribute
   * values knows single tokens only, not `shipping address-line1`.
   */
  autocomplete: AutoFill;
  optional?: boolean;
  hint?: string | TemplateResult;
  type?: 'text' | 'tel';
  inputmode?: 'text' | 'tel' | 'numeric';
  spellcheck?: boolean;
  wide?: boolean;
}

/**
 * @summary The fields of „Informationen aktualisieren" (name, billing address, phone, shipping
 * address, tax ID, „Ihre Referenz") beside a preview of the block the next invoice will print. Checks each field
 * as the user leaves it and everything on „Speichern"; saving is the section's job.
 *
 * @event conroo-billing-details-submit - The values passed the checks (`detail.values`).
 * @event conroo-billing-details-cancel - „Abbrechen" was pressed.
 *
 * @csspart form - The `<form>`.
 * @csspart preview - „Ihre nächste Rechnung … wird ausgestellt an:" and the block.
 * @csspart submit - „Speichern".
 * @csspart cancel - „Abbrechen".
 */
@localized()
@customElement('conroo-billing-details-form')
export class ConrooBillingDetailsForm extends LitElement {
  static override styles = [portalStyles, formFieldStyles, billingDetailsFormStyles];

  /** Fields the user has left or tried to save: their problems show from then on. */
  @state() private checked = new Set<FieldPath>();
  /** The server's problems, each until its field is edited. */
  @state() private externalProblems: FieldProblems = {};

  /** What the form holds as typed (`values` is only what it opened with). */
  @state() private typed!: BillingFormValues;

  /**
   * The values the form opens with. Setting another object fills the form anew; the same object
   * again (every render of the parent) keeps what was typed. Read `currentValues` for that.
   */
  @property({attribute: false}) values!: BillingFormValues;

  /** Problems the server found (`422`), shown at their fields until those are edited. */
  @property({attribute: false}) serverProblems: FieldProblems = {};

  /**
   * Whether the values go to several Gate Passes at once (the fleet): an empty „Ihre Referenz"
   * then leaves each one's as it is, which its hint says.
   */
  @property({type: Boolean}) several = false;

  /** Whether the values are being saved: the buttons are disabled meanwhile. */
  @property({type: Boolean}) busy = false;

  /** When the next invoice will be issued (Unix seconds); `null` without a renewing Gate Pass. */
  @property({attribute: false}) nextInvoiceDate: number | null = null;

  /** What the form holds now, as typed. */
  get currentValues(): BillingFormValues {
    return this.typed ?? this.values;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('values')) {
      this.typed = this.values;
    }
    if (changed.has('serverProblems')) {
      this.externalProblems = {...this.serverProblems};
      this.checked = new Set([
        ...this.checked,
        ...(Object.keys(this.serverProblems) as FieldPath[]),
      ]);
    }
  }

  /** The problems shown now: the server's, then the browser's for the fields already checked. */
  private shownProblems(): FieldProblems {
    const own = validate(this.typed);
    const shown: FieldProblems = {};
    for (const path of fieldPaths) {
      const problem =
        this.externalProblems[path] ?? (this.checked.has(path) ? own[path] : undefined);
      if (problem) {
        shown[path] = problem;
      }
    }
    return shown;
  }

  private handleInput(event: Event) {
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    const path = control.dataset.path as FieldPath | undefined;
    if (!path) {
      return;
    }
    this.typed = setField(this.typed, path, control.value);
    if (path in this.externalProblems) {
      const {[path]: _edited, ...rest} = this.externalProblems;
      this.externalProblems = rest;
    }
    if (control instanceof HTMLSelectElement) {
      // A new country changes the postal code, region and tax ID checks at once.
      this.checked = new Set([...this.checked, path]);
    }
  }

  /** Leaving a field that holds something checks it (an empty one waits for „Speichern"). */
  private handleFocusOut(event: FocusEvent) {
    const path = (event.target as HTMLElement).dataset?.path as FieldPath | undefined;
    if (path && getField(this.typed, path).trim() && !this.checked.has(path)) {
      this.checked = new Set([...this.checked, path]);
    }
  }

  private handleShippingToggle(event: Event) {
    this.typed = {
      ...this.typed,
      shippingSameAsBilling: (event.target as HTMLInputElement).checked,
    };
  }

  private handleSubmit(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) {
      return;
    }
    this.checked = new Set(fieldPaths);
    const problems = validate(this.typed);
    if (Object.keys(problems).length) {
      void this.focusFirstProblem();
      return;
    }
    this.dispatchEvent(portalEvent('conroo-billing-details-submit', {values: this.typed}));
  }

  private handleCancel() {
    this.dispatchEvent(portalEvent('conroo-billing-details-cancel', {}));
  }

  /** Submits the form as typed, as „Speichern" does (checks first). */
  submit() {
    this.renderRoot.querySelector('form')?.requestSubmit();
  }

  /** Moves focus to the first field with a problem; `false` when there is none. */
  async focusFirstProblem(): Promise<boolean> {
    await this.updateComplete;
    const invalid = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) {
      focusInvalidField(invalid);
    }
    return Boolean(invalid);
  }

  /** Moves focus to the first field („Name"). */
  async focusFirstField() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('input, select')?.focus();
  }

  private renderField(
    path: FieldPath,
    label: string,
    problems: FieldProblems,
    control: (describedBy: string, invalid: boolean) => TemplateResult,
    {optional = false, hint, wide = false}: Pick<FieldOptions, 'optional' | 'hint' | 'wide'> = {},
  ) {
    const id = fieldId(path);
    const problem = problems[path];
    const describedBy = [hint ? `${id}-hint` : '', problem ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ');
    return html`<div class="field ${wide ? 'wide' : ''}">
      <label for=${id}
        >${label}
        ${optional ? html`<span class="optional">${msg('(optional)')}</span>` : nothing}</label
      >
      ${hint ? html`<p class="hint muted" id="${id}-hint">${hint}</p>` : nothing}
      ${control(describedBy, Boolean(problem))}
      ${
        problem
          ? html`<p class="field-error" id="${id}-error">${problemText(problem)}</p>`
          : nothing
      }
    </div>`;
  }

  private renderTextField(
    path: FieldPath,
    label: string,
    problems: FieldProblems,
    options: FieldOptions,
  ) {
    return this.renderField(
      path,
      label,
      problems,
      (describedBy, invalid) =>
        html`<input
          id=${fieldId(path)}
          name=${path}
          data-path=${path}
          type=${options.type ?? 'text'}
          .autocomplete=${options.autocomplete}
          inputmode=${options.inputmode ?? nothing}
          spellcheck=${options.spellcheck === false ? 'false' : nothing}
          ?required=${!options.optional}
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${describedBy || nothing}
          .value=${live(getField(this.typed, path))}
        />`,
      options,
    );
  }

  private renderCountry(path: FieldPath, problems: FieldProblems, autocomplete: AutoFill) {
    const value = getField(this.typed, path);
    return this.renderField(
      path,
      msg('Land'),
      problems,
      (describedBy, invalid) =>
        html`<select
          id=${fieldId(path)}
          name=${path}
          data-path=${path}
          .autocomplete=${autocomplete}
          required
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${describedBy || nothing}
          .value=${live(value)}
        >
          ${guard([activeLocale(), value], () =>
            countriesByName(COUNTRY_CODES).map(
              (country) =>
                html`<option value=${country.code} ?selected=${country.code === value}>
                  ${country.name}
                </option>`,
            ),
          )}
        </select>`,
      {wide: true},
    );
  }

  /** Street, addition, postal code, city, country and, where the country needs it, region. */
  private renderAddress(prefix: 'address' | 'shipping.address', problems: FieldProblems) {
    const section = prefix === 'shipping.address' ? ('shipping ' as const) : ('' as const);
    const country = getField(this.typed, `${prefix}.country`);
    return html`<div class="address-grid">
      ${this.renderTextField(`${prefix}.line1`, msg('Straße und Hausnummer'), problems, {
        autocomplete: `${section}address-line1`,
        wide: true,
      })}
      ${this.renderTextField(`${prefix}.line2`, msg('Adresszusatz'), problems, {
        autocomplete: `${section}address-line2`,
        optional: true,
        wide: true,
      })}
      ${this.renderTextField(`${prefix}.postalCode`, msg('PLZ'), problems, {
        autocomplete: `${section}postal-code`,
        spellcheck: false,
      })}
      ${this.renderTextField(`${prefix}.city`, msg('Ort'), problems, {
        autocomplete: `${section}address-level2`,
      })}
      ${this.renderCountry(`${prefix}.country`, problems, `${section}country`)}
      ${
        needsRegion(country)
          ? this.renderTextField(`${prefix}.state`, regionLabel(country), problems, {
              autocomplete: `${section}address-level1`,
              wide: true,
            })
          : nothing
      }
    </div>`;
  }

  override render() {
    const problems = this.shownProblems();
    const same = this.typed.shippingSameAsBilling;
    return html`<form
      part="form"
      novalidate
      aria-busy=${this.busy ? 'true' : 'false'}
      @submit=${this.handleSubmit}
      @input=${this.handleInput}
      @change=${this.handleInput}
      @focusout=${this.handleFocusOut}
    >
      <div class="layout">
        <div class="fields">
          ${this.renderTextField('name', msg('Name'), problems, {
            autocomplete: 'organization',
            hint: msg(
              str`Der vollständige rechtliche Name Ihres Unternehmens, so wie er auf der Rechnung stehen soll (z. B. „${exampleCompany}“).`,
            ),
          })}
          <fieldset>
            <legend>${msg('Rechnungsadresse')}</legend>
            ${this.renderAddress('address', problems)}
            ${this.renderTextField('phone', msg('Telefon'), problems, {
              autocomplete: 'tel',
              type: 'tel',
              inputmode: 'tel',
              optional: true,
            })}
          </fieldset>
          <fieldset>
            <legend>${msg('Lieferadresse')}</legend>
            <label class="checkbox">
              <input
                type="checkbox"
                id="shipping-same"
                name="shippingSameAsBilling"
                .checked=${live(same)}
                @change=${this.handleShippingToggle}
              />
              ${msg('Lieferadresse wie Rechnungsadresse')}
            </label>
            ${
              same
                ? nothing
                : html`${this.renderTextField('shipping.name', msg('Empfänger'), problems, {
                    autocomplete: 'shipping name',
                  })}
                  ${this.renderAddress('shipping.address', problems)}
                  ${this.renderTextField('shipping.phone', msg('Telefon'), problems, {
                    autocomplete: 'shipping tel',
                    type: 'tel',
                    inputmode: 'tel',
                    optional: true,
                  })}`
            }
          </fieldset>
          ${this.renderTextField('taxId.value', msg('Steuer-ID / USt-IdNr.'), problems, {
            autocomplete: 'off',
            optional: true,
            spellcheck: false,
            hint: taxIdHint(this.typed.address.country),
          })}
          ${this.renderTextField('reference', msg('Ihre Referenz'), problems, {
            autocomplete: 'off',
            optional: true,
            spellcheck: false,
            hint: this.several
              ? msg(
                  'Steht auf jeder Rechnung und in der E-Rechnung, z. B. Ihre Bestellnummer oder die Leitweg-ID öffentlicher Auftraggeber. Leer gelassen bleibt die Referenz jedes Fahrers, wie sie ist.',
                )
              : msg(
                  'Steht auf jeder Rechnung und in der E-Rechnung, z. B. Ihre Bestellnummer oder die Leitweg-ID öffentlicher Auftraggeber.',
                ),
          })}
        </div>
        ${renderInvoicePreview(this.typed, this.nextInvoiceDate)}
      </div>
      <div class="actions">
        <button type="submit" class="button button--primary" part="submit" ?disabled=${this.busy}>
          ${this.busy ? msg('Wird gespeichert …') : msg('Speichern')}
        </button>
        <button
          type="button"
          class="button button--secondary"
          part="cancel"
          ?disabled=${this.busy}
          @click=${this.handleCancel}
        >
          ${msg('Abbrechen')}
        </button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-billing-details-form': ConrooBillingDetailsForm;
  }
}
