import {LitElement, css, html, nothing, type PropertyValues} from 'lit';
import {customElement, property, query, state} from 'lit/decorators.js';
import {consume} from '@lit/context';
import {localized, msg, str} from '@lit/localize';
import {Task} from '@lit/task';
import type {PaymentMethod, SessionInfo} from '../../common/contract.js';
import {ApiError, sessionEnded, type PortalApiClient} from '../api/portal-api-client.js';
import {apiClientContext} from '../context/api-client-context.js';
import {navigationContext, type PortalNavigation} from '../context/navigation-context.js';
import {sessionContext} from '../context/session-context.js';
import {portalEvent} from '../events.js';
import {activeLocale} from '../localization.js';
import {createPaymentForm, importStripePaymentForm} from '../payment-form/load-payment-form.js';
import type {PaymentFormAdapter, StripeLoader} from '../payment-form/payment-form.js';
import {paymentElementSlot} from '../payment-form/payment-element-slot.js';
import {
  claimSetupReturn,
  currentReturnUrl,
  type SetupReturn,
  type StripeJsChoice,
} from '../payment-form/setup-return.js';
import {billingFragmentStyles, noticeStyles, portalStyles} from '../styles/portal-styles.js';
import {renderPaymentMethod} from '../views/billing-fragments.js';
import {renderEmpty, renderLoading, renderTaskStates} from '../views/section-states.js';
import {
  addedText,
  defaultChangedText,
  isRetryable,
  paymentActionErrorText,
  paymentFailureText,
  paymentMethodLabel,
  redirectFailureText,
  removedText,
} from './payment-method-messages.js';

export {paymentElementSlot};

/** Where „Zahlungsmethode hinzufügen" is. `completing`: confirmed, now made the default. */
type AddStep = 'closed' | 'preparing' | 'ready' | 'confirming' | 'completing';

interface Notice {
  tone: 'success' | 'danger';
  text: string;
  retry?: () => void;
}

/**
 * @summary „Zahlungsmethoden": every payment method of the account, the default one marked;
 * add a card or PayPal („Zahlungsmethode hinzufügen"), choose the default, remove one.
 *
 * @slot stripe-payment-element - The light-DOM node the payment form mounts in (Stripe's
 *   Payment Element cannot mount in a shadow root); forwarded from `<conroo-billing-portal>`.
 *
 * @event conroo-payment-method-added - A new method was saved and is the default
 *   (`detail.paymentMethod`).
 * @event conroo-default-payment-method-changed - Another method became the default
 *   (`detail.paymentMethod`).
 * @event conroo-payment-method-removed - A method was removed (`detail.paymentMethod`).
 * @event conroo-setup-confirming - A new method is about to be confirmed, which may leave the
 *   page for PayPal (`detail.kind`, `detail.stripe`: the Stripe.js to read it with on return).
 *
 * @csspart list - The list of payment methods.
 * @csspart item - One payment method.
 * @csspart notice - The outcome of the last change.
 * @csspart add-button - „Zahlungsmethode hinzufügen".
 * @csspart add-form - The form that adds a payment method.
 */
@localized()
@customElement('conroo-payment-methods')
export class ConrooPaymentMethods extends LitElement {
  static override styles = [
    portalStyles,
    billingFragmentStyles,
    noticeStyles,
    css`
      :host {
        display: block;
      }

      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.75rem;
      }

      li.card {
        display: grid;
        gap: 0.75rem;
        padding-block: 0.875rem;
      }

      li.is-default {
        border-color: var(--conroo-accent-border);
        box-shadow: inset 4px 0 0 var(--conroo-accent);
      }

      .item-row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem 1rem;
      }

      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }

      .confirm {
        display: grid;
        gap: 0.5rem;
        padding: 0.75rem 1rem;
        border-radius: calc(var(--conroo-radius) * 0.75);
        background: var(--conroo-surface-muted);
      }

      .confirm p,
      li .banner,
      li .banner p {
        margin: 0;
      }

      .button--danger {
        background: var(--conroo-danger-text);
        color: #fff;
      }

      .add {
        margin-top: 1rem;
      }

      /* One column that never grows past the card, whatever the slotted payment form holds. */
      .add-form {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 1rem;
      }

      .add-form h3 {
        margin: 0;
      }

      .add-form h3:focus {
        outline: none;
      }

      .add-form p,
      .add-form .banner {
        margin: 0;
      }
    `,
  ];

  @consume({context: apiClientContext, subscribe: true})
  private api?: PortalApiClient;

  @consume({context: sessionContext, subscribe: true})
  private session?: SessionInfo;

  @consume({context: navigationContext, subscribe: true})
  private navigation?: PortalNavigation;

  private readonly paymentMethodsTask = new Task(this, {
    task: ([api], {signal}) => api!.getPaymentMethods(signal),
    args: () => [this.api, this.session] as const,
  });

  @query(`slot[name="${paymentElementSlot}"]`) private paymentElementSlot?: HTMLSlotElement;
  @query('[part~="notice"]') private noticeElement?: HTMLElement;
  @query('[part~="add-button"]') private addButton?: HTMLButtonElement;

  @state() private addStep: AddStep = 'closed';
  @state() private formError = '';
  @state() private notice?: Notice;
  /** Completing the method of a redirect's return (the form is not open then). */
  @state() private completingReturn = false;
  /** The method whose removal waits for „Entfernen" / „Abbrechen". */
  @state() private removalToConfirm?: string;
  /** The method being made the default or removed. */
  @state() private busyMethod?: string;
  @state() private itemError?: {id: string; text: string};

  private paymentForm?: PaymentFormAdapter;
  /** The light-DOM form the payment form is mounted in; Enter in Stripe's element submits it. */
  private mountForm?: HTMLFormElement;
  /** The Stripe.js the open form runs on, as the server named it with the SetupIntent. */
  private stripeJs?: StripeJsChoice;
  /** Confirmed at Stripe but not yet the default (completing failed); „Speichern" tries again. */
  private confirmedSetupIntent?: string;
  private actions = new AbortController();

  /**
   * Loads Stripe.js for the Payment Element; unless set, `loadStripe` of
   * `@stripe/stripe-js/pure` (after the stand-in the server names, if any). Unit tests pass a
   * stub.
   */
  @property({attribute: false}) loadStripe?: StripeLoader;

  override connectedCallback() {
    super.connectedCallback();
    this.actions = new AbortController();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.actions.abort();
    this.closeForm();
  }

  override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    const setupReturn = this.navigation?.setupReturn;
    if (setupReturn && claimSetupReturn(setupReturn)) {
      void this.finishRedirect(setupReturn);
    }
  }

  private async handleAdd() {
    this.notice = undefined;
    this.formError = '';
    this.itemError = undefined;
    this.removalToConfirm = undefined;
    this.addStep = 'preparing';
    const signal = this.actions.signal;
    let form: PaymentFormAdapter | undefined;
    try {
      const {clientSecret, publishableKey, stripeJsUrl} = await this.api!.createSetupIntent(signal);
      await this.updateComplete;
      const target = this.paymentElementSlot?.assignedElements({flatten: true})[0];
      if (!(target instanceof HTMLElement) || this.addStep !== 'preparing') {
        throw new Error('The payment form has no place to mount.');
      }
      this.stripeJs = {publishableKey, stripeJsUrl};
      form = await createPaymentForm({
        clientSecret,
        publishableKey,
        stripeJsUrl,
        apiBase: this.api!.baseUrl,
        locale: activeLocale(),
        loadStripe: this.loadStripe,
      });
      if (signal.aborted || this.addStep !== 'preparing') {
        return;
      }
      this.paymentForm = form;
      if (target instanceof HTMLFormElement) {
        this.mountForm = target;
        target.addEventListener('submit', this.handleMountSubmit);
      }
      await form.mount(target);
      if (this.paymentForm !== form || this.addStep !== 'preparing') {
        return;
      }
      this.addStep = 'ready';
      await this.updateComplete;
      form.focus();
    } catch (error) {
      if (signal.aborted || sessionEnded(error) || this.addStep !== 'preparing') {
        return;
      }
      this.closeForm();
      this.showNotice({
        tone: 'danger',
        text:
          error instanceof ApiError
            ? paymentActionErrorText(error)
            : msg(
                'Das Zahlungsformular konnte nicht geladen werden. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
              ),
        retry: isRetryable(error) ? () => void this.handleAdd() : undefined,
      });
    } finally {
      if (form && this.paymentForm !== form) {
        form.destroy();
      }
    }
  }

  private async handleSubmit() {
    const form = this.paymentForm;
    if (this.addStep !== 'ready' || !form) {
      return;
    }
    if (this.confirmedSetupIntent) {
      await this.completeSetup(this.confirmedSetupIntent);
      return;
    }
    this.formError = '';
    this.addStep = 'confirming';
    // Before anything can leave the page (PayPal): the root remembers which portal to come back
    // to, and through which Stripe.js to read the SetupIntent then.
    this.dispatchEvent(
      portalEvent('conroo-setup-confirming', {kind: form.kind, stripe: this.stripeJs!}),
    );
    const result = await form.confirm(currentReturnUrl());
    if (this.paymentForm !== form || this.actions.signal.aborted) {
      return;
    }
    if (result.status === 'failed' && result.code === 'processing') {
      // Not failed: the bank is still checking it. The form has done its part, as after a return.
      this.closeForm();
      this.showNotice({tone: 'success', text: paymentFailureText('processing')});
      return;
    }
    if (result.status === 'failed') {
      this.addStep = 'ready';
      this.formError =
        result.code === 'validation_error' ? '' : paymentFailureText(result.code, result.message);
      return;
    }
    await this.completeSetup(result.setupIntentId);
  }

  /** Enter in the payment form: the same as „Speichern". */
  private handleMountSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    void this.handleSubmit();
  };

  private handleCancel() {
    this.closeForm();
    this.updateComplete.then(() => this.addButton?.focus());
  }

  private async handleSetDefault(method: PaymentMethod) {
    await this.changeMethod(method, async (signal) => {
      const {paymentMethod} = await this.api!.setDefaultPaymentMethod(method.id, signal);
      this.showNotice({tone: 'success', text: defaultChangedText(paymentMethod)});
      this.dispatchEvent(portalEvent('conroo-default-payment-method-changed', {paymentMethod}));
    });
  }

  private handleRemove(method: PaymentMethod) {
    this.itemError = undefined;
    this.removalToConfirm = method.id;
    this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>('.confirm [data-action="keep"]')?.focus(),
    );
  }

  private handleKeep(method: PaymentMethod) {
    this.removalToConfirm = undefined;
    this.updateComplete.then(() =>
      this.renderRoot
        .querySelector<HTMLButtonElement>(
          `[data-payment-method="${CSS.escape(method.id)}"] [data-action="remove"]`,
        )
        ?.focus(),
    );
  }

  private async handleConfirmRemoval(method: PaymentMethod) {
    await this.changeMethod(method, async (signal) => {
      await this.api!.removePaymentMethod(method.id, signal);
      this.removalToConfirm = undefined;
      this.showNotice({tone: 'success', text: removedText(method)});
      this.dispatchEvent(portalEvent('conroo-payment-method-removed', {paymentMethod: method}));
    });
  }

  /** Runs a change of one listed method; its failure is told at the method. */
  private async changeMethod(
    method: PaymentMethod,
    change: (signal: AbortSignal) => Promise<void>,
  ) {
    if (this.busyMethod) {
      return;
    }
    this.busyMethod = method.id;
    this.notice = undefined;
    this.itemError = undefined;
    const signal = this.actions.signal;
    try {
      await change(signal);
    } catch (error) {
      if (signal.aborted || sessionEnded(error)) {
        return;
      }
      this.removalToConfirm = undefined;
      this.itemError = {id: method.id, text: paymentActionErrorText(error)};
      if (error instanceof ApiError && error.code === 'not_found') {
        this.paymentMethodsTask.run();
      }
    } finally {
      this.busyMethod = undefined;
    }
  }

  /**
   * Back from PayPal (or a 3-D Secure redirect): the SetupIntent's own state decides, read with
   * Stripe.js; Stripe's `redirect_status` only when Stripe.js cannot tell (another browser, no
   * storage). Finishes what the redirect started, or says why not.
   */
  private async finishRedirect(setupReturn: SetupReturn) {
    let status: 'succeeded' | 'processing' | 'failed' = setupReturn.redirectStatus;
    const {stripe, clientSecret} = setupReturn;
    if (stripe && clientSecret) {
      this.completingReturn = true;
      try {
        const {retrieveSetupOutcome} = await importStripePaymentForm();
        ({status} = await retrieveSetupOutcome(
          {...stripe, apiBase: this.api!.baseUrl, loadStripe: this.loadStripe},
          clientSecret,
        ));
      } catch {
        // Stripe.js cannot tell just now: the server checks the SetupIntent itself anyway.
      } finally {
        this.completingReturn = false;
      }
    }
    if (status === 'processing') {
      this.showNotice({tone: 'success', text: paymentFailureText('processing')});
    } else if (status === 'failed') {
      this.showNotice({tone: 'danger', text: redirectFailureText(setupReturn.kind)});
    } else {
      await this.completeSetup(setupReturn.setupIntentId);
    }
  }

  /** Makes the confirmed method the default; the form stays open when that fails. */
  private async completeSetup(setupIntentId: string) {
    const inForm = this.addStep !== 'closed';
    const signal = this.actions.signal;
    if (inForm) {
      this.addStep = 'completing';
      this.formError = '';
    } else {
      this.completingReturn = true;
      this.notice = undefined;
    }
    try {
      const {paymentMethod} = await this.api!.completeSetup(setupIntentId, signal);
      this.confirmedSetupIntent = undefined;
      this.closeForm();
      this.showNotice({tone: 'success', text: addedText()});
      this.dispatchEvent(portalEvent('conroo-payment-method-added', {paymentMethod}));
    } catch (error) {
      if (signal.aborted || sessionEnded(error)) {
        return;
      }
      const retryable = isRetryable(error);
      if (inForm) {
        this.confirmedSetupIntent = retryable ? setupIntentId : undefined;
        this.addStep = 'ready';
        this.formError = paymentActionErrorText(error);
      } else {
        this.showNotice({
          tone: 'danger',
          text: paymentActionErrorText(error),
          retry: retryable ? () => void this.completeSetup(setupIntentId) : undefined,
        });
      }
    } finally {
      this.completingReturn = false;
    }
  }

  private closeForm() {
    this.paymentForm?.destroy();
    this.paymentForm = undefined;
    this.mountForm?.removeEventListener('submit', this.handleMountSubmit);
    this.mountForm = undefined;
    this.stripeJs = undefined;
    this.confirmedSetupIntent = undefined;
    this.formError = '';
    this.addStep = 'closed';
  }

  /** Shows the outcome of a change and moves focus there, so it is read out. */
  private showNotice(notice: Notice) {
    this.notice = notice;
    this.updateComplete.then(() => this.noticeElement?.focus());
  }

  private renderNotice() {
    if (this.completingReturn) {
      return renderLoading(msg('Die neue Zahlungsmethode wird gespeichert …'));
    }
    const notice = this.notice;
    if (!notice) {
      return nothing;
    }
    return html`<div
      class="banner banner--${notice.tone}"
      part="notice"
      role=${notice.tone === 'danger' ? 'alert' : 'status'}
      tabindex="-1"
    >
      <p>${notice.text}</p>
      ${
        notice.retry
          ? html`<button type="button" class="button button--secondary" @click=${notice.retry}>
              ${msg('Erneut versuchen')}
            </button>`
          : nothing
      }
    </div>`;
  }

  private renderItem(method: PaymentMethod) {
    const busy = this.busyMethod !== undefined;
    const confirming = this.removalToConfirm === method.id;
    const nameId = `payment-method-${method.id}`;
    const error = this.itemError?.id === method.id ? this.itemError.text : '';
    return html`<li
      class="card ${method.isDefault ? 'is-default' : ''}"
      part="item"
      data-payment-method=${method.id}
      aria-busy=${this.busyMethod === method.id ? 'true' : 'false'}
    >
      <div class="item-row">
        <div id=${nameId}>${renderPaymentMethod(method, {showDefault: true})}</div>
        ${
          confirming
            ? nothing
            : html`<div class="actions">
                ${
                  method.isDefault
                    ? nothing
                    : html`<button
                        type="button"
                        class="button button--secondary"
                        data-action="default"
                        aria-describedby=${nameId}
                        ?disabled=${busy}
                        @click=${() => this.handleSetDefault(method)}
                      >
                        ${msg('Als Standard festlegen')}
                      </button>`
                }
                <button
                  type="button"
                  class="button button--secondary"
                  data-action="remove"
                  aria-describedby=${nameId}
                  ?disabled=${busy}
                  @click=${() => this.handleRemove(method)}
                >
                  ${msg('Entfernen')}
                </button>
              </div>`
        }
      </div>
      ${
        confirming
          ? html`<div class="confirm" role="group" aria-labelledby="${nameId}-confirm">
              <p id="${nameId}-confirm">
                <strong>
                  ${msg(str`Möchten Sie ${paymentMethodLabel(method)} wirklich entfernen?`)}
                </strong>
              </p>
              <div class="actions">
                <button
                  type="button"
                  class="button button--danger"
                  data-action="confirm-remove"
                  ?disabled=${busy}
                  @click=${() => this.handleConfirmRemoval(method)}
                >
                  ${msg('Entfernen')}
                </button>
                <button
                  type="button"
                  class="button button--secondary"
                  data-action="keep"
                  ?disabled=${busy}
                  @click=${() => this.handleKeep(method)}
                >
                  ${msg('Abbrechen')}
                </button>
              </div>
            </div>`
          : nothing
      }
      ${error ? html`<div class="banner banner--danger" role="alert"><p>${error}</p></div>` : nothing}
    </li>`;
  }

  private renderList(methods: PaymentMethod[]) {
    if (!methods.length) {
      return renderEmpty(msg('Für dieses Konto ist keine Zahlungsmethode hinterlegt.'));
    }
    // The default first: it is the one the next renewal charges.
    const ordered = [...methods].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
    return html`<p class="muted">
        ${msg('Die Standard-Zahlungsmethode wird bei der nächsten Verlängerung belastet.')}
      </p>
      <ul part="list">
        ${ordered.map((method) => this.renderItem(method))}
      </ul>`;
  }

  private renderAddForm() {
    const step = this.addStep;
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
        this.formError
          ? html`<div class="banner banner--danger" part="form-error" role="alert">
              <p>${this.formError}</p>
            </div>`
          : nothing
      }
      <div class="actions">
        <button
          type="button"
          class="button button--primary"
          part="submit"
          ?disabled=${step !== 'ready'}
          @click=${this.handleSubmit}
        >
          ${working ? msg('Wird gespeichert …') : msg('Speichern')}
        </button>
        <button
          type="button"
          class="button button--secondary"
          ?disabled=${working}
          @click=${this.handleCancel}
        >
          ${msg('Abbrechen')}
        </button>
      </div>
    </section>`;
  }

  override render() {
    return html`${this.renderNotice()}
      ${renderTaskStates(this.paymentMethodsTask, ({paymentMethods}) =>
        this.renderList(paymentMethods),
      )}
      <div class="add">
        ${
          this.addStep === 'closed'
            ? html`<button
                type="button"
                class="button button--primary"
                part="add-button"
                ?disabled=${this.completingReturn}
                @click=${this.handleAdd}
              >
                ${msg('Zahlungsmethode hinzufügen')}
              </button>`
            : this.renderAddForm()
        }
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-payment-methods': ConrooPaymentMethods;
  }
}
