import {LitElement, html, type PropertyValues} from 'lit';
import {customElement, property, query, state} from 'lit/decorators.js';
import {consume} from '@lit/context';
import {localized} from '@lit/localize';
import type {PaymentMethod} from '../../common/contract.js';
import {ActionController} from '../controllers/action-controller.js';
import {SectionDataController} from '../controllers/section-data-controller.js';
import {navigationContext, type PortalNavigation} from '../context/navigation-context.js';
import {portalEvent} from '../events.js';
import {activeLocale} from '../localization.js';
import {createPaymentForm, redirectOutcome} from '../payment-form/load-payment-form.js';
import type {PaymentFormAdapter, StripeLoader} from '../payment-form/payment-form.js';
import {paymentElementSlot} from '../payment-form/payment-element-slot.js';
import {
  claimSetupReturn,
  currentReturnUrl,
  type SetupReturn,
  type StripeJsChoice,
} from '../payment-form/setup-return.js';
import {
  addedText,
  defaultChangedText,
  formLoadFailureText,
  isRetryable,
  paymentActionErrorText,
  paymentFailureText,
  redirectFailureText,
  removedText,
} from './payment-method-messages.js';
import {renderAddButton, renderAddForm, type AddStep} from './payment-method-add-form.js';
import {renderPaymentMethodList, type PaymentMethodItemState} from './payment-method-list.js';
import {renderPaymentMethodNotice, type PaymentMethodNotice} from './payment-method-notice.js';
import {paymentMethodsStyles} from './conroo-payment-methods.styles.js';

/**
 * @summary „Zahlungsmethoden": every payment method of the account, the default one marked;
 * add a card or PayPal („Zahlungsmethode hinzufügen"), choose the default, remove one.
 *
 * @slot stripe-payment-element - The light-DOM node the payment form mounts in (Stripe's
 *   Payment Element cannot mount in a shadow root); forwarded from `<conroo-billing-portal>`.
 * @slot fleet-next - Below the outcome of a change: the dashboard's offer of the next driver
 *   without a payment method, on a trip from „Fahrer".
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
  static override styles = paymentMethodsStyles;

  private readonly data = new SectionDataController(this, {
    load: (api, signal) => api.getPaymentMethods(signal),
  });
  /** Making a listed method the default, or removing it; keyed by the method's id. */
  private readonly methodChange = new ActionController<string>(this);
  /** Preparing the payment form, and making a confirmed method the default. */
  private readonly setup = new ActionController(this);

  @consume({context: navigationContext, subscribe: true})
  private navigation?: PortalNavigation;

  @query(`slot[name="${paymentElementSlot}"]`) private paymentElementSlot?: HTMLSlotElement;
  @query('[part~="notice"]') private noticeElement?: HTMLElement;
  @query('[part~="add-button"]') private addButton?: HTMLButtonElement;

  @state() private addStep: AddStep = 'closed';
  @state() private formError = '';
  @state() private notice?: PaymentMethodNotice;
  /** Completing the method of a redirect's return (the form is not open then). */
  @state() private completingReturn = false;
  /** The method whose removal waits for „Entfernen" / „Abbrechen". */
  @state() private removalToConfirm?: string;

  private paymentForm?: PaymentFormAdapter;
  /** The light-DOM form the payment form is mounted in; Enter in Stripe's element submits it. */
  private mountForm?: HTMLFormElement;
  /** The Stripe.js the open form runs on, as the server named it with the SetupIntent. */
  private stripeJs?: StripeJsChoice;
  /** Confirmed at Stripe but not yet the default (completing failed); „Speichern" tries again. */
  private confirmedSetupIntent?: string;
  /** The navigation whose `addPaymentMethod` opened the form (once per navigation). */
  private addOpenedFor?: PortalNavigation;

  /**
   * Loads Stripe.js for the Payment Element; unless set, `loadStripe` of
   * `@stripe/stripe-js/pure` (after the stand-in the server names, if any). Unit tests pass a
   * stub.
   */
  @property({attribute: false}) loadStripe?: StripeLoader;

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.closeForm();
  }

  override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    const navigation = this.navigation;
    const setupReturn = navigation?.setupReturn;
    if (setupReturn && claimSetupReturn(setupReturn)) {
      void this.finishRedirect(setupReturn);
    } else if (navigation?.addPaymentMethod && navigation !== this.addOpenedFor) {
      // Opened from „Fahrer" to add this driver's method: the form opens at once.
      this.addOpenedFor = navigation;
      this.closeForm();
      void this.handleAdd();
    }
  }

  private async handleAdd() {
    this.notice = undefined;
    this.formError = '';
    this.methodChange.clearFailure();
    this.removalToConfirm = undefined;
    this.addStep = 'preparing';
    const outcome = await this.setup.run(true, (signal) => this.preparePaymentForm(signal));
    if (outcome.status !== 'failed' || this.addStep !== 'preparing') {
      return;
    }
    this.closeForm();
    this.showNotice({
      tone: 'danger',
      text: formLoadFailureText(outcome.code, outcome.error),
      retry: isRetryable(outcome.error) ? () => void this.handleAdd() : undefined,
    });
  }

  /** A SetupIntent, and the payment form for it mounted in the slotted node. */
  private async preparePaymentForm(signal: AbortSignal) {
    let form: PaymentFormAdapter | undefined;
    try {
      const {clientSecret, publishableKey, stripeJsUrl} =
        await this.data.api!.createSetupIntent(signal);
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
        apiBase: this.data.api!.baseUrl,
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
    // Leaving the page closes the form, so this also stops when the section is gone.
    if (this.paymentForm !== form) {
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
    void this.updateComplete.then(() => this.addButton?.focus());
  }

  private async handleSetDefault(method: PaymentMethod) {
    const outcome = await this.changeMethod(method, (signal) =>
      this.data.api!.setDefaultPaymentMethod(method.id, signal),
    );
    if (outcome?.status === 'done') {
      const {paymentMethod} = outcome.value;
      this.showNotice({tone: 'success', text: defaultChangedText(paymentMethod)});
      this.dispatchEvent(portalEvent('conroo-default-payment-method-changed', {paymentMethod}));
    }
  }

  private handleRemove(method: PaymentMethod) {
    this.methodChange.clearFailure();
    this.removalToConfirm = method.id;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>('.confirm [data-action="keep"]')?.focus(),
    );
  }

  private handleKeep(method: PaymentMethod) {
    this.removalToConfirm = undefined;
    void this.updateComplete.then(() =>
      this.renderRoot
        .querySelector<HTMLButtonElement>(
          `[data-payment-method="${CSS.escape(method.id)}"] [data-action="remove"]`,
        )
        ?.focus(),
    );
  }

  private async handleConfirmRemoval(method: PaymentMethod) {
    const outcome = await this.changeMethod(method, (signal) =>
      this.data.api!.removePaymentMethod(method.id, signal),
    );
    if (outcome?.status === 'done') {
      this.removalToConfirm = undefined;
      this.showNotice({tone: 'success', text: removedText(method)});
      this.dispatchEvent(portalEvent('conroo-payment-method-removed', {paymentMethod: method}));
    }
  }

  /** Runs a change of one listed method, one at a time; its failure is told at the method. */
  private async changeMethod<T>(
    method: PaymentMethod,
    change: (signal: AbortSignal) => Promise<T>,
  ) {
    if (this.methodChange.busy) {
      return undefined;
    }
    this.notice = undefined;
    const outcome = await this.methodChange.run(method.id, change);
    if (outcome.status === 'failed') {
      this.removalToConfirm = undefined;
      if (outcome.code === 'not_found') {
        this.data.reload();
      }
    }
    return outcome;
  }

  /** Back from PayPal (or a 3-D Secure redirect): finishes what it started, or says why not. */
  private async finishRedirect(setupReturn: SetupReturn) {
    const api = this.data.api;
    if (!api) {
      return;
    }
    this.completingReturn = true;
    const status = await redirectOutcome(setupReturn, api.baseUrl, this.loadStripe);
    this.completingReturn = false;
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
    if (inForm) {
      this.addStep = 'completing';
      this.formError = '';
    } else {
      this.completingReturn = true;
      this.notice = undefined;
    }
    const outcome = await this.setup.run(true, (signal) =>
      this.data.api!.completeSetup(setupIntentId, signal),
    );
    this.completingReturn = false;
    if (outcome.status === 'done') {
      this.confirmedSetupIntent = undefined;
      this.closeForm();
      this.showNotice({tone: 'success', text: addedText()});
      this.dispatchEvent(
        portalEvent('conroo-payment-method-added', {paymentMethod: outcome.value.paymentMethod}),
      );
    } else if (outcome.status === 'failed') {
      const retryable = isRetryable(outcome.error);
      if (inForm) {
        this.confirmedSetupIntent = retryable ? setupIntentId : undefined;
        this.addStep = 'ready';
        this.formError = paymentActionErrorText(outcome.error);
      } else {
        this.showNotice({
          tone: 'danger',
          text: paymentActionErrorText(outcome.error),
          retry: retryable ? () => void this.completeSetup(setupIntentId) : undefined,
        });
      }
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
  private showNotice(notice: PaymentMethodNotice) {
    this.notice = notice;
    void this.updateComplete.then(() => this.noticeElement?.focus());
  }

  private itemState(method: PaymentMethod): PaymentMethodItemState {
    const failure = this.methodChange.failure;
    return {
      busy: this.methodChange.busy,
      changing: this.methodChange.running === method.id,
      confirmingRemoval: this.removalToConfirm === method.id,
      error: failure?.key === method.id ? paymentActionErrorText(failure.error) : '',
      onSetDefault: () => void this.handleSetDefault(method),
      onRemove: () => this.handleRemove(method),
      onConfirmRemoval: () => void this.handleConfirmRemoval(method),
      onKeep: () => this.handleKeep(method),
    };
  }

  override render() {
    return html`${renderPaymentMethodNotice(this.notice, this.completingReturn)}
      <slot name="fleet-next"></slot>
      ${this.data.render(({paymentMethods}) =>
        renderPaymentMethodList(paymentMethods, (method) => this.itemState(method)),
      )}
      <div class="add">
        ${
          this.addStep === 'closed'
            ? renderAddButton(this.completingReturn, () => void this.handleAdd())
            : renderAddForm({
                step: this.addStep,
                error: this.formError,
                onSubmit: () => void this.handleSubmit(),
                onCancel: () => this.handleCancel(),
              })
        }
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-payment-methods': ConrooPaymentMethods;
  }
}
