import {LitElement, html, nothing} from 'lit';
import {customElement, query, state} from 'lit/decorators.js';
import {localized, msg} from '@lit/localize';
import {MAX_CARRIERS, type CarrierGrant} from '../../common/contract.js';
import {
  endCarrierAccess,
  getCarrierAccess,
  grantCarrierAccess,
  returnCarrierAccess,
} from '../api/carrier-access-api.js';
import {ActionController} from '../controllers/action-controller.js';
import {activeLocale} from '../localization.js';
import {SectionDataController} from '../controllers/section-data-controller.js';
import {portalEvent} from '../events.js';
import {activeAccount} from '../views/dashboard-nav.js';
import {emailFieldError, renderEmailField} from '../views/email-field.js';
import {renderEmpty} from '../views/section-states.js';
import {
  renderCarrier,
  renderCarrierView,
  renderFailure,
  type CarrierItemState,
} from './carrier-access-views.js';
import {
  endedText,
  endErrorText,
  grantedText,
  grantErrorText,
  returnErrorText,
  tooManyCarriersText,
} from './carrier-access-texts.js';
import {carrierAccessStyles} from './conroo-carrier-access.styles.js';

/**
 * @summary „Spedition": the owner of a Gate Pass gives a carrier access with the carrier's
 * e-mail address (the carrier then manages payment method, billing details and invoices with
 * its own login; the owner is mailed about every change), sees who has access since when and
 * ends an access. A carrier holding the Gate Pass sees whose it is and gives the access back.
 *
 * @event conroo-carrier-access-granted - A carrier was given access (`detail.email`,
 *   `detail.grantedAt`).
 * @event conroo-carrier-access-ended - A carrier's access was ended (`detail.email`).
 * @event conroo-carrier-access-returned - The session's carrier gave its access back
 *   (`detail.customerId`); the portal moves to another Gate Pass it holds, or logs out.
 *
 * @csspart card - The list of carriers and the form.
 * @csspart list - The carriers with access.
 * @csspart item - One carrier.
 * @csspart form - „Zugriff geben".
 * @csspart input - The carrier's e-mail field.
 * @csspart submit - „Zugriff geben".
 * @csspart notice - The outcome of the last change.
 * @csspart error - Why a change failed.
 */
@localized()
@customElement('conroo-carrier-access')
export class ConrooCarrierAccess extends LitElement {
  static override styles = carrierAccessStyles;

  private readonly data = new SectionDataController(this, {
    load: async (api, signal) => {
      // A carrier sees whose Gate Pass it is (from the session), not the owner's other carriers.
      const account = this.data.session && activeAccount(this.data.session);
      this.carriers =
        account?.access === 'carrier' ? [] : (await getCarrierAccess(api, signal)).carriers;
      return this.carriers;
    },
  });
  /** „Zugriff geben". */
  private readonly grant = new ActionController(this);
  /** „Zugriff beenden", keyed by the carrier's address. */
  private readonly end = new ActionController<string>(this);
  /** „Zugriff zurückgeben". */
  private readonly giveBack = new ActionController(this);

  @query('#carrier-email') private emailInput?: HTMLInputElement;
  @query('[part~="notice"]') private noticeElement?: HTMLElement;

  @state() private carriers: CarrierGrant[] = [];
  /** The address as typed. */
  @state() private email = '';
  /** What is wrong with the typed address (said at the field). */
  @state() private fieldError = '';
  /** Why giving access failed otherwise (said above the button). */
  @state() private formError = '';
  @state() private notice = '';
  /** The carrier whose „Zugriff beenden" waits for the answer to „Wirklich beenden?". */
  @state() private endingEmail?: string;
  /** Whether „Zugriff zurückgeben" waits for the answer to „Wirklich zurückgeben?". */
  @state() private confirmingReturn = false;

  private handleInput(event: Event) {
    this.email = (event.target as HTMLInputElement).value;
    this.fieldError = '';
  }

  private async handleGrant(event: SubmitEvent) {
    event.preventDefault();
    const input = this.emailInput!;
    const email = this.email.trim();
    this.email = email;
    this.notice = '';
    this.formError = '';
    this.fieldError = emailFieldError(
      input,
      msg('Bitte geben Sie die E-Mail-Adresse Ihrer Spedition ein.'),
    );
    if (this.fieldError) {
      input.focus();
      return;
    }
    const outcome = await this.grant.run(true, (signal) =>
      grantCarrierAccess(this.data.api!, email, activeLocale(), signal),
    );
    if (outcome.status === 'done') {
      const grant = outcome.value;
      this.carriers = [...this.carriers.filter((c) => c.email !== grant.email), grant];
      this.email = '';
      this.showNotice(grantedText(grant.email));
      this.dispatchEvent(portalEvent('conroo-carrier-access-granted', grant));
    } else if (outcome.status === 'failed') {
      const {text, field} = grantErrorText(outcome.code);
      this.fieldError = field ? text : '';
      this.formError = field ? '' : text;
      if (outcome.code === 'too_many_carriers') {
        // Others were given access meanwhile (another tab, another device): the list as it is.
        this.data.reload();
        return;
      }
      // Given meanwhile (another tab, or an answer lost on the way): the list shows it now,
      // read without the loading state, so that the field keeps the address and the focus.
      if (outcome.code === 'already_granted') void this.refreshCarriers();
      await this.updateComplete;
      this.emailInput?.focus();
    }
  }

  private async refreshCarriers() {
    try {
      this.carriers = (await getCarrierAccess(this.data.api!)).carriers;
    } catch {
      // The list stays as it was; the next load of the section reads it.
    }
  }

  private handleEnd(email: string) {
    this.end.clearFailure();
    this.notice = '';
    this.endingEmail = email;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>('[data-action="keep"]')?.focus(),
    );
  }

  private handleKeep(email: string) {
    this.endingEmail = undefined;
    void this.updateComplete.then(() =>
      this.renderRoot
        .querySelector<HTMLButtonElement>(
          `[data-carrier="${CSS.escape(email)}"] [data-action="end"]`,
        )
        ?.focus(),
    );
  }

  private async handleConfirmEnd(email: string) {
    const outcome = await this.end.run(email, (signal) =>
      endCarrierAccess(this.data.api!, email, signal),
    );
    // `not_found`: the access had ended already; the list says so now.
    if (
      outcome.status === 'done' ||
      (outcome.status === 'failed' && outcome.code === 'not_found')
    ) {
      this.end.clearFailure();
      this.endingEmail = undefined;
      this.carriers = this.carriers.filter((carrier) => carrier.email !== email);
      this.showNotice(endedText(email));
      this.dispatchEvent(portalEvent('conroo-carrier-access-ended', {email}));
    } else if (outcome.status === 'failed') {
      this.endingEmail = undefined;
    }
  }

  private handleReturn() {
    this.giveBack.clearFailure();
    this.confirmingReturn = true;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>('[data-action="keep"]')?.focus(),
    );
  }

  private handleKeepReturn() {
    this.confirmingReturn = false;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>('[data-action="return"]')?.focus(),
    );
  }

  /** Gives the access back, then moves to another Gate Pass of the session, or logs out. */
  private async handleConfirmReturn() {
    const session = this.data.session!;
    const customerId = session.activeCustomerId;
    const outcome = await this.giveBack.run(true, (signal) =>
      returnCarrierAccess(this.data.api!, customerId, signal),
    );
    if (outcome.status === 'failed' && outcome.code !== 'not_found') {
      this.confirmingReturn = false;
      return;
    }
    if (outcome.status === 'dropped') {
      return;
    }
    this.dispatchEvent(portalEvent('conroo-carrier-access-returned', {customerId}));
    const next = session.accounts.find((account) => account.customerId !== customerId);
    this.dispatchEvent(
      next
        ? portalEvent('conroo-account-switch', {customerId: next.customerId, then: {}})
        : portalEvent('conroo-logout-request', {}),
    );
  }

  private showNotice(text: string) {
    this.notice = text;
    void this.updateComplete.then(() => this.noticeElement?.focus());
  }

  private renderNotice() {
    return this.notice
      ? html`<div class="banner banner--success" part="notice" role="status" tabindex="-1">
          <p>${this.notice}</p>
        </div>`
      : nothing;
  }

  private carrierState(carrier: CarrierGrant): CarrierItemState {
    const failure = this.end.failure;
    return {
      busy: this.end.busy,
      ending: this.end.running === carrier.email,
      confirming: this.endingEmail === carrier.email,
      error: failure?.key === carrier.email ? endErrorText(failure.code) : '',
      onEnd: () => this.handleEnd(carrier.email),
      onConfirmEnd: () => void this.handleConfirmEnd(carrier.email),
      onKeep: () => this.handleKeep(carrier.email),
    };
  }

  private renderForm() {
    if (this.carriers.length >= MAX_CARRIERS) {
      return html`<p class="muted" data-limit>${tooManyCarriersText()}</p>`;
    }
    const busy = this.grant.busy;
    return html`<form part="form" novalidate aria-busy=${busy} @submit=${this.handleGrant}>
      ${renderEmailField({
        id: 'carrier-email',
        label: msg('E-Mail-Adresse der Spedition'),
        hint: msg('Die Spedition erhält eine E-Mail mit einem Link zum Anmelden.'),
        autocomplete: 'off',
        value: this.email,
        error: this.fieldError,
        onInput: (event) => this.handleInput(event),
      })}
      ${renderFailure(this.formError)}
      <button type="submit" class="button button--primary" part="submit" ?disabled=${busy}>
        ${busy ? msg('Wird gesendet …') : msg('Zugriff geben')}
      </button>
    </form>`;
  }

  /** The owner's view: who has access, and „Zugriff geben". */
  private renderOwner() {
    return html`<p>
        ${msg(
          'Geben Sie Ihrer Spedition Zugriff: Sie kann diesen Gate Pass dann mit ihrer eigenen E-Mail-Adresse verwalten – Zahlungsmethode, Rechnungsdaten und Rechnungen. Sie erhalten bei jeder Änderung eine E-Mail.',
        )}
      </p>
      ${this.renderNotice()}
      ${this.data.render(
        () =>
          html`<section class="card" part="card" aria-labelledby="carriers-heading">
            <h3 id="carriers-heading">${msg('Speditionen mit Zugriff')}</h3>
            ${
              this.carriers.length
                ? html`<ul part="list">
                    ${this.carriers.map((carrier, index) =>
                      renderCarrier(carrier, index, this.carrierState(carrier)),
                    )}
                  </ul>`
                : renderEmpty(msg('Noch keine Spedition hat Zugriff auf diesen Gate Pass.'))
            }
            <h3>${msg('Spedition hinzufügen')}</h3>
            ${this.renderForm()}
          </section>`,
      )}`;
  }

  override render() {
    const session = this.data.session;
    const account = session && activeAccount(session);
    if (account?.access !== 'carrier') {
      return this.renderOwner();
    }
    const failure = this.giveBack.failure;
    return renderCarrierView(account, {
      busy: this.giveBack.busy,
      confirming: this.confirmingReturn,
      error: failure ? returnErrorText(failure.code) : '',
      onReturn: () => this.handleReturn(),
      onConfirmReturn: () => void this.handleConfirmReturn(),
      onKeep: () => this.handleKeepReturn(),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-carrier-access': ConrooCarrierAccess;
  }
}
