import {LitElement, html, type PropertyValues} from 'lit';
import {customElement, property, state} from 'lit/decorators.js';
import {ContextProvider} from '@lit/context';
import {localized} from '@lit/localize';
import type {SessionInfo} from '../common/contract.js';
import {PortalApiClient} from './api/portal-api-client.js';
import {hasDraft} from './billing-details/billing-draft-key.js';
import {conrooBillingPortalStyles} from './conroo-billing-portal.styles.js';
import {apiClientContext} from './context/api-client-context.js';
import {navigationContext, type PortalNavigation} from './context/navigation-context.js';
import {sessionContext} from './context/session-context.js';
import {AddressBarController} from './controllers/address-bar-controller.js';
import {DialogController} from './controllers/dialog-controller.js';
import {LazyPartsController} from './controllers/lazy-parts-controller.js';
import {LocaleController} from './controllers/locale-controller.js';
import {ViewFocusController} from './controllers/view-focus-controller.js';
import {portalEvent, type PortalEventMap} from './events.js';
import {checkMailPart, missingPart, partForView} from './lazy-parts.js';
import {supportedLocale} from './localization.js';
import {rememberPendingRedirect, type SetupReturn} from './payment-form/setup-return.js';
import {ensurePaymentElementNode} from './payment-form/payment-element-slot.js';
import {SessionFlow} from './session/session-flow.js';
import {portalStyles} from './styles/portal-styles.js';
import {renderPortalFrame} from './views/portal-frame.js';
import {portalViewListeners, renderPortalView} from './views/portal-view.js';
import {renderLoading} from './views/section-states.js';

/**
 * @summary The CONROO customer portal for Gate Pass holders: log in with an e-mail link, then
 * see the Gate Pass, payment methods, billing and shipping details and invoices, and give a
 * carrier („Spedition") access. A carrier or company holding more than a few Gate Passes lands
 * on „Fahrer", the fleet overview.
 *
 * The whole embed is one script tag and the element:
 *
 * ```html
 * <script type="module" src="https://static.conroo.com/billing/conroo-billing-portal.js"></script>
 * <conroo-billing-portal api-base="https://billing.conroo.com"></conroo-billing-portal>
 * ```
 *
 * In `mode="dialog"` it shows nothing until `show()` (or the `open` attribute); the yellow
 * support button opens it with one line of the page's script:
 * `button.addEventListener('click', () => portal.show())`. A mail link (the token in the
 * address's fragment) opens the dialog by itself.
 *
 * @event conroo-login - A magic link was exchanged for a session (`detail.email`).
 * @event conroo-logout - The user logged out with „Abmelden".
 * @event conroo-language-change - The user picked another language in the portal's switcher
 *   (`detail.locale`, e.g. `pl`); the choice is remembered in this browser.
 * @event conroo-session-expired - The session ended while the dashboard was open; the login
 *   form is showing again.
 * @event conroo-payment-method-added - „Zahlungsmethode hinzufügen" saved a card or PayPal,
 *   which is now the default of the account and its Gate Pass (`detail.paymentMethod`).
 * @event conroo-default-payment-method-changed - „Als Standard festlegen" made another method
 *   the default (`detail.paymentMethod`).
 * @event conroo-payment-method-removed - A payment method was removed (`detail.paymentMethod`).
 * @event conroo-billing-details-saved - „Informationen aktualisieren" saved name, addresses and
 *   tax ID; the next invoice is issued to them (`detail.customer`, as the server has it now).
 * @event conroo-carrier-access-granted - „Zugriff geben": the owner gave a carrier access to the
 *   active Gate Pass; the server mailed the carrier a login link (`detail.email`,
 *   `detail.grantedAt`).
 * @event conroo-carrier-access-ended - „Zugriff beenden": the owner ended a carrier's access
 *   (`detail.email`).
 * @event conroo-carrier-access-returned - „Zugriff zurückgeben": the signed-in carrier gave its
 *   access to a Gate Pass back (`detail.customerId`); the portal moves to another Gate Pass the
 *   session holds, or logs out when there is none.
 * @event conroo-fleet-billing-details-saved - „Fahrer" saved the same billing details for several
 *   drivers (`detail.customerIds`: those saved, `detail.details`: what was sent).
 *
 * When the session ends while „Informationen aktualisieren" is open, what was typed is kept in
 * this browser's localStorage (`conroo-billing-draft:<customer ID>`, form fields only, one day);
 * the next login to that customer, in any tab, opens „Rechnung und Versand" with it.
 *
 * The portal appends one `<form slot="stripe-payment-element">` to itself: Stripe's Payment
 * Element cannot mount inside a shadow root, so it mounts there, in the light DOM, and each
 * shadow root slots it down to „Zahlungsmethoden" (a form, because Stripe's elements submit
 * the form around them on Enter, which saves). Back from a PayPal or 3-D Secure redirect
 * (Stripe's `setup_intent…` parameters in the address bar), the portal removes the parameters,
 * opens „Zahlungsmethoden" (a dialog opens itself) and finishes there.
 *
 * @csspart base - The portal's content area.
 * @csspart language - The language switcher (label and select).
 * @csspart language-select - The language switcher's `<select>`.
 * @csspart dialog - The native `<dialog>` in `mode="dialog"`.
 * @csspart dialog-header - The dialog's title bar.
 * @csspart close-button - The dialog's close button.
 * @csspart sidebar - The dashboard's sidebar (a top bar in narrow containers).
 * @csspart nav - The section navigation.
 * @csspart account-select - The account switcher.
 * @csspart logout-button - „Abmelden".
 * @csspart content - The area of the active dashboard section.
 * @csspart card - Every card (the overview's, a payment method's, the billing details, …).
 * @csspart notice - Information and success messages.
 * @csspart error - Error messages (a failed load, a failed login request).
 * @csspart loading - A loading state.
 * @csspart empty - A section's „nothing here yet".
 * @csspart retry-button - „Erneut versuchen".
 * @csspart form - The login form, „Zahlungsmethode hinzufügen" and the billing form.
 * @csspart input - The login form's e-mail field, and „Spedition"'s field for the carrier's.
 * @csspart submit - A form's main button („Link anfordern", „Speichern", …).
 * @csspart cancel - The billing form's „Abbrechen".
 * @csspart form-error - A form's summary of what went wrong.
 * @csspart preview - The billing form's preview of the next invoice's address block.
 * @csspart actions - The buttons below „Prüfen Sie Ihr Postfach".
 * @csspart open-invoice-banner - The overview's notice of an open invoice.
 * @csspart past-due-banner - The overview's notice of a failed payment.
 * @csspart pay-link - „Jetzt bezahlen" (Stripe's payment page of an open invoice).
 * @csspart list - The list of payment methods, of carriers with access, of drivers (narrow).
 * @csspart item - One payment method, carrier or driver card.
 * @csspart add-button - „Zahlungsmethode hinzufügen".
 * @csspart add-form - The form that adds a payment method.
 * @csspart edit-button - „Informationen aktualisieren".
 * @csspart edit-form - The card holding the billing form.
 * @csspart draft-notice - The notice that a kept draft was restored.
 * @csspart table - The invoice table (cards on narrow screens); the table of „Fahrer".
 * @csspart pdf-link - An invoice's PDF download.
 * @csspart download-error - A failed download's message.
 * @csspart load-more - „Mehr laden" below the invoices.
 * @csspart export - The card of the yearly ZIP export.
 * @csspart export-year - Its year select.
 * @csspart export-link - Its download link.
 * @csspart back-to-fleet - „Zurück zur Fahrerliste" above a driver's section opened from „Fahrer".
 * @csspart search - The search field of „Fahrer".
 * @csspart filter-chip - A filter chip of „Fahrer" (`aria-pressed="true"` while on).
 * @csspart bulk-results - How the latest bulk save of billing details in „Fahrer" went.
 * @csspart next-driver - „Weiter zum nächsten Fahrer ohne Zahlungsmethode" in „Zahlungsmethoden".
 *
 * @cssproperty --conroo-accent - Accent colour (CONROO yellow).
 * @cssproperty --conroo-accent-text - Text on the accent colour.
 * @cssproperty --conroo-text - Text colour.
 * @cssproperty --conroo-text-muted - Secondary text colour.
 * @cssproperty --conroo-surface - Card and input background.
 * @cssproperty --conroo-background - Background of the portal (its own surface, so that it reads on
 *   light and dark pages alike).
 * @cssproperty --conroo-space - The spacing unit of cards, banners, states and the dashboard
 *   layout (their paddings and gaps are multiples of it).
 * @cssproperty --conroo-border - Border colour of cards.
 * @cssproperty --conroo-radius - Corner radius of cards and buttons.
 * @cssproperty --conroo-font - Font family.
 * @cssproperty --conroo-focus-ring - Colour of the keyboard focus outline.
 * @cssproperty --conroo-accent-hover - Accent colour under the pointer.
 * @cssproperty --conroo-accent-border - Border of accent-coloured pieces.
 * @cssproperty --conroo-link - Colour of links and link-like buttons.
 * @cssproperty --conroo-surface-muted - Background of quiet areas (badges, hovered buttons).
 * @cssproperty --conroo-border-strong - Border of inputs and secondary buttons.
 * @cssproperty --conroo-success-surface - Background of success notices and badges.
 * @cssproperty --conroo-success-text - Text of success notices and badges.
 * @cssproperty --conroo-warning-surface - Background of warnings (e.g. an open invoice).
 * @cssproperty --conroo-warning-border - Border of warnings.
 * @cssproperty --conroo-warning-text - Text of warnings.
 * @cssproperty --conroo-danger-surface - Background of error messages.
 * @cssproperty --conroo-danger-border - Border of error messages.
 * @cssproperty --conroo-danger-text - Text of error messages and field errors.
 * @cssproperty --conroo-info-surface - Background of information notices.
 * @cssproperty --conroo-info-border - Border of information notices.
 * @cssproperty --conroo-dialog-width - Maximum width of the dialog.
 * @cssproperty --conroo-sidebar-width - Width of the dashboard sidebar on wide screens.
 * @cssproperty --conroo-sidebar-background - Background of the dashboard sidebar (default:
 *   `--conroo-surface-muted`).
 */
@localized()
@customElement('conroo-billing-portal')
export class ConrooBillingPortal extends LitElement {
  static override styles = [portalStyles, conrooBillingPortalStyles];

  private readonly flow = new SessionFlow({
    api: () => this.api,
    changed: () => {
      this.sessionProvider.setValue(this.flow.session);
      this.requestUpdate();
    },
    entered: (session) => this.enterDashboard(session),
    moved: () => this.viewFocus.request(),
    loggedIn: (email) => {
      // After a mail link (not on a plain page load) the dashboard scrolls its section into view.
      this.viewFocus.request(true);
      this.dispatchEvent(portalEvent('conroo-login', {email}));
    },
    loggedOut: () => this.dispatchEvent(portalEvent('conroo-logout', {})),
    expired: () => this.dispatchEvent(portalEvent('conroo-session-expired', {})),
    draftWaits: (session) => this.draftWaits(session),
  });
  private readonly locale = new LocaleController(this);
  private readonly dialog = new DialogController(this, () => this.viewFocus.request());
  private readonly parts = new LazyPartsController(this, () => ({
    view: this.flow.view,
    now: partForView(this.flow.view),
    // „Prüfen Sie Ihr Postfach" comes next: it loads while the user types.
    next: this.flow.view === 'login' ? checkMailPart : undefined,
  }));
  private readonly viewFocus = new ViewFocusController(this, () => this.viewShown());
  private readonly addressBar = new AddressBarController(this, {
    token: (token, later) => {
      this.flow.receiveToken(token);
      if (this.mode === 'dialog') {
        this.open = true;
      }
      if (later) {
        void this.start();
      }
    },
    setupReturn: (setupReturn) => this.receiveSetupReturn(setupReturn),
  });
  private readonly listeners = portalViewListeners(this.flow, {
    start: () => void this.start(),
    navigate: (navigation) => this.navigate(navigation),
    switchAccount: (request) => void this.switchAccount(request),
    logout: () => void this.flow.logout(this.lifetime.signal),
    setupConfirming: (detail) => rememberPendingRedirect({mode: this.mode, ...detail}),
  });

  // What the views and sections get by context. Providers rather than `@provide`: the
  // decorator's module would be in the entry for this element alone.
  private readonly apiProvider = new ContextProvider(this, {context: apiClientContext});
  private readonly sessionProvider = new ContextProvider(this, {context: sessionContext});
  private readonly navigationProvider = new ContextProvider(this, {
    context: navigationContext,
    initialValue: {},
  });

  /** The API client (the flow's and, by context, every section's); new with `api-base`. */
  @state()
  private api!: PortalApiClient;

  private lifetime = new AbortController();
  /** A redirect's result, waiting for the dashboard (e.g. until the session is restored). */
  private pendingSetupReturn?: SetupReturn;

  /**
   * Origin (and optional path) of the portal server, e.g. `https://portal.conroo.com`.
   * Empty for the page's own origin.
   */
  @property({attribute: 'api-base'}) apiBase = '';

  /**
   * Language of the portal (a BCP 47 tag: `de`, `en`, `pl`, `ro`, `uk`, `cs`, `bg`, `lt`, `hu`,
   * `tr`, `ru`; `pl-PL` works too). Without it, or when the portal does not speak it: the
   * language the user last picked in the portal's switcher in this browser, else the closest
   * ancestor's `lang` (the page's, followed when it changes), else the browser's languages,
   * else German. A pick in the switcher wins over all of them while the page is open.
   */
  @property() override lang!: string;

  /** `inline` renders in place; `dialog` renders into a modal `<dialog>` opened by `show()`. */
  @property({reflect: true}) mode: 'inline' | 'dialog' = 'inline';

  /** Whether the dialog is open (`mode="dialog"` only). */
  @property({type: Boolean, reflect: true}) open = false;

  override connectedCallback() {
    super.connectedCallback();
    this.lifetime = new AbortController();
    document.addEventListener('conroo-login', this.handleSiblingSessionChange);
    document.addEventListener('conroo-logout', this.handleSiblingSessionChange);
    ensurePaymentElementNode(this);
    if (this.hasUpdated && (this.flow.view === 'starting' || this.flow.view === 'signing-in')) {
      void this.start();
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.lifetime.abort();
    document.removeEventListener('conroo-login', this.handleSiblingSessionChange);
    document.removeEventListener('conroo-logout', this.handleSiblingSessionChange);
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('apiBase') || !this.api) {
      this.api = this.createApi();
      this.apiProvider.setValue(this.api);
    }
  }

  override firstUpdated() {
    void this.start();
  }

  private enterDashboard(session: SessionInfo) {
    const setupReturn = this.pendingSetupReturn;
    this.pendingSetupReturn = undefined;
    this.navigate(
      setupReturn
        ? {section: 'payment-methods', setupReturn}
        : this.draftWaits(session)
          ? {section: 'billing-shipping'}
          : {},
    );
  }

  /** Shows a section of the dashboard (every section gets it by context). */
  private navigate(navigation: PortalNavigation) {
    this.navigationProvider.setValue(navigation);
  }

  /** Whether a billing form of the session's account was left when a session ended. */
  private draftWaits(session: SessionInfo): boolean {
    return hasDraft(session.activeCustomerId);
  }

  private createApi() {
    return new PortalApiClient({
      baseUrl: this.apiBase ?? '',
      onSessionExpired: () => this.flow.expire(),
      onNotFound: () => void this.flow.checkActiveAccount(this.lifetime.signal),
    });
  }

  private start() {
    return this.flow.start(this.lifetime.signal);
  }

  /** Whether the current view is on screen and can take focus. */
  private viewShown() {
    return (
      this.locale.ready &&
      !(this.mode === 'dialog' && !this.open) &&
      this.flow.view !== 'starting' &&
      this.flow.view !== 'signing-in' &&
      !missingPart(this.flow.view)
    );
  }

  private receiveSetupReturn(setupReturn: SetupReturn) {
    if (this.mode === 'dialog') {
      this.open = true;
    }
    if (this.flow.view === 'dashboard') {
      this.navigate({section: 'payment-methods', setupReturn});
    } else {
      this.pendingSetupReturn = setupReturn;
    }
  }

  /** Another portal on the page logged in or out: the shared cookie changed, so re-check. */
  private handleSiblingSessionChange = (event: Event) => {
    // composedPath(): inside another component's shadow root, `target` is that component.
    if (!event.composedPath().includes(this) && this.flow.view !== 'signing-in') {
      void this.start();
    }
  };

  /**
   * Switches accounts, then goes where the request says; a billing form left there by an ended
   * session opens first.
   */
  private async switchAccount({customerId, then}: PortalEventMap['conroo-account-switch']) {
    const session = await this.flow.switchAccount(customerId, this.lifetime.signal);
    const next: PortalNavigation | undefined =
      session && this.draftWaits(session) ? {section: 'billing-shipping'} : then;
    if (session && next) {
      this.navigate(next);
    }
  }

  private handleLanguageChange = (event: Event) => {
    const locale = supportedLocale((event.target as HTMLSelectElement).value);
    if (locale) {
      this.locale.choose(locale);
      this.dispatchEvent(portalEvent('conroo-language-change', {locale}));
    }
  };

  /** Opens the dialog (`mode="dialog"`). */
  show() {
    this.open = true;
  }

  /** Closes the dialog (`mode="dialog"`). */
  hide() {
    this.open = false;
  }

  private renderView() {
    if (!this.locale.ready) {
      return renderLoading('');
    }
    return renderPortalView(this.flow, this.parts, this.listeners);
  }

  override render() {
    const part = missingPart(this.flow.view);
    const busy =
      !this.locale.ready ||
      this.flow.view === 'starting' ||
      this.flow.view === 'signing-in' ||
      (part !== undefined && !this.parts.failed(part));
    const base = html`<div class="base" part="base" aria-busy=${busy ? 'true' : 'false'}>
      ${this.renderView()}
    </div>`;
    return renderPortalFrame(base, {
      mode: this.mode,
      open: this.open,
      onClose: this.dialog.handleClose,
      onHide: this.hide,
      onLanguageChange: this.handleLanguageChange,
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-billing-portal': ConrooBillingPortal;
  }
}
