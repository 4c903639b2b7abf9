import {LitElement, html, nothing, type PropertyValues} from 'lit';
import {customElement, query, state} from 'lit/decorators.js';
import {localized, msg} from '@lit/localize';
import type {AccountResponse, BillingDetailsResponse, Customer} from '../../common/contract.js';
import {ApiError, type PortalApiClient} from '../api/portal-api-client.js';
import {
  nextInvoiceDate,
  serverProblems,
  toRequest,
  valuesFromCustomer,
  type BillingFormValues,
  type FieldProblems,
} from '../billing-details/billing-details-model.js';
import {loadDraft, removeDraft, saveDraft} from '../billing-details/billing-draft.js';
import type {ConrooBillingDetailsForm} from '../billing-details/conroo-billing-details-form.js';
import '../billing-details/conroo-billing-details-form.js';
import {ActionController} from '../controllers/action-controller.js';
import {SectionDataController} from '../controllers/section-data-controller.js';
import {portalEvent, type PortalEventMap} from '../events.js';
import {billingFormParts} from '../parts.js';
import {holds, saveFailureText, type SaveFailure} from './billing-save-outcome.js';
import {renderBillingShippingCards} from './billing-shipping-cards.js';
import {billingShippingStyles} from './conroo-billing-shipping.styles.js';

/** The open form: for which account, what it opened with, and whether that was a draft. */
interface Editing {
  account: AccountResponse;
  values: BillingFormValues;
  restored: boolean;
}

/**
 * @summary „Rechnung und Versand": who invoices are issued to (name, address, phone, tax IDs
 * with their verification explained) and where shipments go; „Informationen aktualisieren"
 * changes all of it at once, with a preview of the next invoice's address block.
 *
 * What is typed survives every failure: a refused save keeps the form as it is, and when the
 * session ends while the form is open, the values wait in this browser (localStorage, one day,
 * per customer) and come back into the form after the next login.
 *
 * @event conroo-billing-details-saved - The details were saved (`detail.customer`).
 *
 * @csspart card - The billing card and the shipping card.
 * @csspart edit-button - „Informationen aktualisieren".
 * @csspart edit-form - The card with the form.
 * @csspart draft-notice - „Ihr Entwurf wurde wiederhergestellt …" with „Entwurf verwerfen".
 * @csspart form-error - Why saving failed, with „Erneut versuchen" unless fields are to fix.
 * @csspart retry-button - „Erneut versuchen" in the form error.
 * @csspart notice - The outcome of the last save.
 */
@localized()
@customElement('conroo-billing-shipping')
export class ConrooBillingShipping extends LitElement {
  static override styles = billingShippingStyles;

  private readonly data = new SectionDataController(this, {
    load: (api, signal) => api.getAccount(signal),
    onComplete: (account) => this.restoreDraft(account),
  });
  /** „Speichern". */
  private readonly save = new ActionController(this);
  /** A look whether a save the server accepted is in Stripe now (`save_pending`). */
  private readonly pendingLook = new ActionController(this);

  @query('conroo-billing-details-form') private form?: ConrooBillingDetailsForm;
  @query('[part~="notice"]') private noticeElement?: HTMLElement;
  @query('[part~="form-error"]') private failureElement?: HTMLElement;
  @query('[part~="draft-notice"]') private draftNoticeElement?: HTMLElement;
  @query('[part~="edit-button"]') private editButton?: HTMLButtonElement;

  @state() private editing?: Editing;
  @state() private problems: FieldProblems = {};
  @state() private failure?: SaveFailure;
  /** „Ihre Rechnungsdaten wurden gespeichert." shows until the next change of view. */
  @state() private savedNotice = false;

  /** The next look whether a save the server accepted is in Stripe now (`save_pending`). */
  private pendingCheck?: ReturnType<typeof setTimeout>;
  private listeningTo?: PortalApiClient;
  private stopListening?: () => void;
  private shownCustomerId?: string;

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.pendingCheck);
    this.stopListening?.();
    this.stopListening = undefined;
    this.listeningTo = undefined;
  }

  override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    const api = this.data.api;
    if (api !== this.listeningTo) {
      this.stopListening?.();
      this.listeningTo = api;
      this.stopListening = api?.addSessionEndListener(this.handleSessionEnd);
    }
    // Another account: its own details, not the form of the previous one.
    const customerId = this.data.session?.activeCustomerId;
    if (this.shownCustomerId !== undefined && customerId !== this.shownCustomerId) {
      this.closeForm();
      this.savedNotice = false;
    }
    this.shownCustomerId = customerId;
  }

  /** The session ended (a `401`): keep what is typed for the next login. */
  private handleSessionEnd = () => {
    const editing = this.editing;
    if (!editing || !this.isConnected) {
      return;
    }
    const values = this.form?.currentValues ?? editing.values;
    // A form opened but left as it was holds nothing to restore.
    const unchanged =
      !editing.restored &&
      JSON.stringify(values) === JSON.stringify(valuesFromCustomer(editing.account.customer));
    if (!unchanged) {
      saveDraft(editing.account.customer.id, values);
    }
  };

  private handleEdit(account: AccountResponse) {
    this.openForm(account, valuesFromCustomer(account.customer), false);
  }

  private handleCancel(event: Event) {
    event.stopPropagation();
    // Leaving a restored draft means not wanting it any more.
    this.discard();
  }

  /** „Erneut versuchen" after a failed save: the form as it is now, through its checks. */
  private handleRetry() {
    this.form?.submit();
  }

  private handleDiscardDraft() {
    this.discard();
  }

  private async handleSubmit(event: CustomEvent<PortalEventMap['conroo-billing-details-submit']>) {
    event.stopPropagation();
    const editing = this.editing;
    if (!editing || this.save.busy) {
      return;
    }
    const customer = editing.account.customer;
    const {values} = event.detail;
    this.problems = {};
    this.failure = undefined;
    const outcome = await this.save.run(true, (signal) =>
      this.data.api!.updateBillingDetails(toRequest(values), signal),
    );
    // `dropped`: the portal shows the login form; the draft was kept when the session ended.
    if (outcome.status === 'done') {
      this.saved(customer, outcome.value);
    } else if (outcome.status === 'failed') {
      await this.showFailure(outcome.error);
      if (outcome.error instanceof ApiError && outcome.code === 'save_pending') {
        this.watchPendingSave(customer, values, outcome.error.retryAfter);
      }
    }
  }

  private saved(before: Customer, {customer}: BillingDetailsResponse) {
    removeDraft(before.id);
    this.closeForm();
    this.savedNotice = true;
    void this.updateComplete.then(() => this.noticeElement?.focus());
    this.dispatchEvent(portalEvent('conroo-billing-details-saved', {customer}));
  }

  /** Tells why saving failed; the form keeps every value. */
  private async showFailure(error: unknown) {
    if (error instanceof ApiError && error.code === 'validation_failed') {
      const {problems, unknown} = serverProblems(error.fields);
      this.problems = problems;
      this.failure = {kind: 'fields', unknown};
      await this.updateComplete;
      if (unknown.length || !(await this.form?.focusFirstProblem())) {
        this.failureElement?.focus();
      }
      return;
    }
    const code = error instanceof ApiError ? error.code : undefined;
    this.failure = {
      kind:
        code === 'stripe_unavailable' ||
        code === 'service_unavailable' ||
        code === 'network_error' ||
        code === 'rate_limited' ||
        code === 'save_pending'
          ? code
          : 'other',
    };
    await this.updateComplete;
    this.failureElement?.focus();
  }

  /**
   * The server accepted the save and completes it once Stripe answers: the account is read
   * again now and then (after Stripe's `Retry-After`, spread a little so that many drivers do
   * not ask at the same moment) until it no longer waits. Then it tells what Stripe holds: the
   * save, or — when it was refused on the way — that nothing was saved, with the form as typed.
   */
  private watchPendingSave(
    before: Customer,
    submitted: BillingFormValues,
    retryAfterSeconds: number | null,
  ) {
    const delayMs = () => (retryAfterSeconds ?? 5) * 1000 * (0.8 + Math.random() * 0.4);
    const waiting = () =>
      this.isConnected &&
      this.failure?.kind === 'save_pending' &&
      this.editing?.account.customer.id === before.id;
    const check = async () => {
      if (!waiting()) return;
      const outcome = await this.pendingLook.run(true, (signal) =>
        this.data.api!.getAccount(signal),
      );
      if (outcome.status === 'done' && !outcome.value.billingDetailsPending && waiting()) {
        this.pendingSettled(before, submitted, outcome.value.customer);
        return;
      }
      // Otherwise still out of reach or still waiting: look again later.
      if (waiting()) this.pendingCheck = setTimeout(() => void check(), delayMs());
    };
    clearTimeout(this.pendingCheck);
    this.pendingCheck = setTimeout(() => void check(), delayMs());
  }

  /** The accepted save is through: in Stripe as sent, or refused on the way. */
  private pendingSettled(before: Customer, submitted: BillingFormValues, after: Customer) {
    if (!holds(after, toRequest(submitted))) {
      this.failure = {kind: 'other'};
      void this.updateComplete.then(() => this.failureElement?.focus());
      return;
    }
    if (JSON.stringify(this.form?.currentValues ?? submitted) === JSON.stringify(submitted)) {
      this.saved(before, {customer: after});
      return;
    }
    // Changed meanwhile: the form stays with the new input; the rest of the portal reloads.
    this.failure = undefined;
    this.dispatchEvent(portalEvent('conroo-billing-details-saved', {customer: after}));
  }

  /** A draft of this customer from an ended session: back into the form, with a notice. */
  private restoreDraft(account: AccountResponse) {
    if (this.editing) {
      return;
    }
    const draft = loadDraft(account.customer.id);
    if (draft) {
      const {reference = account.customer.reference ?? ''} = draft.values;
      this.openForm(account, {...draft.values, reference}, true);
    }
  }

  private openForm(account: AccountResponse, values: BillingFormValues, restored: boolean) {
    this.savedNotice = false;
    this.problems = {};
    this.failure = undefined;
    this.editing = {account, values, restored};
    void this.updateComplete.then(() =>
      restored ? this.draftNoticeElement?.focus() : this.form?.focusFirstField(),
    );
  }

  private discard() {
    if (this.editing) {
      removeDraft(this.editing.account.customer.id);
    }
    this.closeForm();
    void this.updateComplete.then(() => this.editButton?.focus());
  }

  private closeForm() {
    this.editing = undefined;
    this.problems = {};
    this.failure = undefined;
  }

  private renderNotice() {
    if (!this.savedNotice) {
      return nothing;
    }
    return html`<div class="banner banner--success" part="notice" role="status" tabindex="-1">
      <p>${msg('Ihre Rechnungsdaten wurden gespeichert.')}</p>
    </div>`;
  }

  private renderForm({account, values, restored}: Editing) {
    return html`<section class="card edit-form" part="edit-form" aria-labelledby="edit-heading">
      <h3 id="edit-heading">${msg('Informationen aktualisieren')}</h3>
      ${
        restored
          ? html`<div class="banner banner--info" part="draft-notice" role="status" tabindex="-1">
              <p>${msg('Ihr Entwurf wurde wiederhergestellt – bitte prüfen und speichern.')}</p>
              <button
                type="button"
                class="button button--secondary"
                ?disabled=${this.save.busy}
                @click=${this.handleDiscardDraft}
              >
                ${msg('Entwurf verwerfen')}
              </button>
            </div>`
          : nothing
      }
      ${
        this.failure?.kind === 'save_pending'
          ? html`<div class="banner banner--info" part="form-error" role="status" tabindex="-1">
              <p>${saveFailureText(this.failure)}</p>
            </div>`
          : this.failure
            ? html`<div class="banner banner--danger" part="form-error" role="alert" tabindex="-1">
                <p>${saveFailureText(this.failure)}</p>
                ${
                  this.failure.kind === 'fields'
                    ? nothing
                    : html`<button
                        type="button"
                        class="button button--secondary"
                        part="retry-button"
                        ?disabled=${this.save.busy}
                        @click=${this.handleRetry}
                      >
                        ${msg('Erneut versuchen')}
                      </button>`
                }
              </div>`
            : nothing
      }
      <conroo-billing-details-form
        exportparts=${billingFormParts}
        .values=${values}
        .serverProblems=${this.problems}
        .nextInvoiceDate=${nextInvoiceDate(account)}
        ?busy=${this.save.busy}
        @conroo-billing-details-submit=${this.handleSubmit}
        @conroo-billing-details-cancel=${this.handleCancel}
      ></conroo-billing-details-form>
    </section>`;
  }

  override render() {
    // The open form does not depend on the task: a reload meanwhile must not lose what is typed.
    if (this.editing) {
      return this.renderForm(this.editing);
    }
    return html`${this.renderNotice()}
    ${this.data.render((account) =>
      renderBillingShippingCards(account, () => this.handleEdit(account)),
    )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-billing-shipping': ConrooBillingShipping;
  }
}
