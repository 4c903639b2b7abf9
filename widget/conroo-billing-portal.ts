import {LitElement, html, nothing, type PropertyValues} from 'lit';
import {customElement, property, query, state} from 'lit/decorators.js';
import {provide} from '@lit/context';
import {localized, msg} from '@lit/localize';
import type {SessionInfo} from '../common/contract.js';
import {ApiError, PortalApiClient, mayWorkLater} from './api/portal-api-client.js';
import {hasDraft, removeExpiredDrafts} from './billing-details/billing-draft.js';
import {apiClientContext} from './context/api-client-context.js';
import {navigationContext, type PortalNavigation} from './context/navigation-context.js';
import {sessionContext} from './context/session-context.js';
import {portalEvent, type PortalEventMap} from './events.js';
import {checkMailPart, dashboardPart, type LazyPart} from './lazy-parts.js';
import {takeLinkTokenFromLocation} from './link-token.js';
import {
  activeLocale,
  localeNames,
  portalLocales,
  rememberLocale,
  rememberedLocale,
  resolveLocale,
  supportedLocale,
  switchLocale,
  type PortalLocale,
} from './localization.js';
import {
  hasSetupReturnInLocation,
  rememberPendingRedirect,
  takeSetupReturnFromLocation,
  type SetupReturn,
} from './payment-form/setup-return.js';
import {paymentElementSlot} from './payment-form/payment-element-slot.js';
import {conrooBillingPortalStyles} from './conroo-billing-portal.styles.js';
import {portalStyles} from './styles/portal-styles.js';
import type {LoginNotice} from './views/login-notice.js';
import {renderError, renderLoading} from './views/section-states.js';
import './views/conroo-login-form.js';
// `<conroo-check-mail>`, `<conroo-dashboard>` and the sections load on demand (lazy-parts.ts).

type PortalView = 'starting' | 'signing-in' | 'login' | 'check-mail' | 'dashboard';

/** The parts the login form and „Prüfen Sie Ihr Postfach" pass up (the dashboard's: parts.ts). */
const loginParts = 'notice, form, input, submit, error, actions';

/** Which login notice a failed link exchange leads to. */
function linkFailureNotice(error: unknown): LoginNotice {
  if (error instanceof ApiError) {
    if (error.code === 'link_expired' || error.code === 'link_used') {
      return error.code;
    }
    if (error.code === 'link_invalid' || error.status === 401 || error.status === 404) {
      return 'link_invalid';
    }
  }
  return 'link_failed';
}

/**
 * @summary The CONROO customer portal for Gate Pass holders: log in with an e-mail link, then
 * see the Gate Pass, payment methods, billing and shipping details and invoices.
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
 * @csspart input - The login form's e-mail field.
 * @csspart submit - A form's main button („Link anfordern", „Speichern", …).
 * @csspart cancel - The billing form's „Abbrechen".
 * @csspart form-error - A form's summary of what went wrong.
 * @csspart preview - The billing form's preview of the next invoice's address block.
 * @csspart actions - The buttons below „Prüfen Sie Ihr Postfach".
 * @csspart open-invoice-banner - The overview's notice of an open invoice.
 * @csspart past-due-banner - The overview's notice of a failed payment.
 * @csspart pay-link - „Jetzt bezahlen" (Stripe's payment page of an open invoice).
 * @csspart list - The list of payment methods.
 * @csspart item - One payment method.
 * @csspart add-button - „Zahlungsmethode hinzufügen".
 * @csspart add-form - The form that adds a payment method.
 * @csspart edit-button - „Informationen aktualisieren".
 * @csspart edit-form - The card holding the billing form.
 * @csspart draft-notice - The notice that a kept draft was restored.
 * @csspart table - The invoice table (cards on narrow screens).
 * @csspart pdf-link - An invoice's PDF download.
 * @csspart download-error - A failed download's message.
 * @csspart load-more - „Mehr laden" below the invoices.
 * @csspart export - The card of the yearly ZIP export.
 * @csspart export-year - Its year select.
 * @csspart export-link - Its download link.
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

  @query('dialog') private dialog?: HTMLDialogElement;

  @provide({context: apiClientContext})
  @state()
  private api!: PortalApiClient;

  @provide({context: sessionContext})
  @state()
  private session?: SessionInfo;

  @provide({context: navigationContext})
  @state()
  private navigation: PortalNavigation = {section: 'overview'};

  @state() private view: PortalView = 'starting';
  @state() private loginNotice: LoginNotice | '' = '';
  @state() private email = '';
  @state() private startError: unknown = null;
  @state() private dashboardMessage = '';
  @state() private dashboardBusy = false;
  @state() private localeReady = false;
  /** Parts of the portal that failed to load (shown with „Erneut versuchen" in their view). */
  @state() private partErrors = new Map<LazyPart, unknown>();
  private partsLoading = new Set<LazyPart>();

  private lifetime = new AbortController();
  private pendingToken: string | null = null;
  /** A token whose exchange failed for a passing reason; „Erneut versuchen" exchanges it again. */
  private retriedToken: string | null = null;
  /** A redirect's result, waiting for the dashboard (e.g. until the session is restored). */
  private pendingSetupReturn?: SetupReturn;
  private requestedLocale?: PortalLocale;
  /** The language picked in this element's switcher, if any: it wins over everything. */
  @state() private switchedLocale?: PortalLocale;
  /** Watches the page's `lang` (and the nearest ancestor's): the portal follows a change. */
  private langObserver?: MutationObserver;
  private returnFocusTo: Element | null = null;
  private focusViewAfterRender = false;

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
    window.addEventListener('hashchange', this.handleHashChange);
    this.langObserver = new MutationObserver(() => this.requestUpdate());
    for (const node of new Set([this.parentElement?.closest('[lang]'), document.documentElement])) {
      if (node) {
        this.langObserver.observe(node, {attributes: true, attributeFilter: ['lang']});
      }
    }
    this.ensurePaymentElementNode();
    if (!this.hasUpdated) {
      // Take the token before anything else can run, so it leaves the address bar at once.
      this.pendingToken = takeLinkTokenFromLocation();
      if (this.pendingToken && this.mode === 'dialog') {
        this.open = true;
      }
      this.takeSetupReturn();
    } else if (this.view === 'starting' || this.view === 'signing-in') {
      void this.start();
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.lifetime.abort();
    document.removeEventListener('conroo-login', this.handleSiblingSessionChange);
    document.removeEventListener('conroo-logout', this.handleSiblingSessionChange);
    window.removeEventListener('hashchange', this.handleHashChange);
    this.langObserver?.disconnect();
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('apiBase') || !this.api) {
      this.api = new PortalApiClient({
        baseUrl: this.apiBase ?? '',
        onSessionExpired: () => this.handleSessionExpired(),
      });
    }
    const locale =
      this.switchedLocale ??
      resolveLocale([
        this.lang,
        rememberedLocale(),
        this.parentElement?.closest('[lang]')?.getAttribute('lang'),
        document.documentElement.lang,
        ...navigator.languages,
      ]);
    // Only our own change of language switches the page's locale, so that two portals with
    // different languages on one page cannot switch it back and forth forever. Until the first
    // language is there the portal shows a placeholder; a later switch keeps the view, and
    // what was typed in it, and @localized renders it again once the strings have loaded.
    if (locale !== this.requestedLocale) {
      this.requestedLocale = locale;
      const ready = () => {
        if (this.requestedLocale === locale) {
          this.localeReady = true;
        }
      };
      switchLocale(locale).then(ready, ready);
    }
  }

  override firstUpdated() {
    void this.start();
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has('open') || changed.has('mode')) {
      this.syncDialog();
    }
    if (this.view === 'login' && !this.partErrors.has(checkMailPart)) {
      // „Prüfen Sie Ihr Postfach" comes next: it loads while the user types.
      this.loadPart(checkMailPart);
    }
    const viewShown =
      this.view !== 'starting' &&
      this.view !== 'signing-in' &&
      (this.partFor(this.view)?.loaded ?? true);
    if (this.focusViewAfterRender && this.localeReady && viewShown) {
      this.focusViewAfterRender = false;
      void this.focusView();
    }
  }

  private async start() {
    const signal = this.lifetime.signal;
    const token = this.pendingToken;
    this.pendingToken = null;
    this.startError = null;
    if (token) {
      this.view = 'signing-in';
      // The dashboard's code loads while the token is exchanged.
      this.loadPart(dashboardPart);
      try {
        const session = await this.api.exchangeLinkToken(token, signal);
        this.enterDashboard(session);
        // Focus moves to the dashboard's heading, so a screen reader says where the user is.
        this.focusViewAfterRender = true;
        this.dispatchEvent(portalEvent('conroo-login', {email: session.email}));
      } catch (error) {
        if (signal.aborted) {
          return;
        }
        if (mayWorkLater(error)) {
          // Said in words on the start view, with „Erneut versuchen" (the same token).
          this.pendingToken = token;
          this.retriedToken = token;
          this.startError = error;
          this.view = 'starting';
        } else if (
          token === this.retriedToken &&
          error instanceof ApiError &&
          error.code === 'link_used'
        ) {
          // The failed try may have used the link and set the session cookie after all.
          this.retriedToken = null;
          await this.enterExistingSession(signal, linkFailureNotice(error));
        } else {
          this.showLogin(linkFailureNotice(error));
        }
      }
      return;
    }
    this.view = 'starting';
    await this.enterExistingSession(signal, '');
  }

  /** The session the cookie holds, if any: the dashboard, else the login form with `notice`. */
  private async enterExistingSession(signal: AbortSignal, notice: LoginNotice | '') {
    try {
      this.enterDashboard(await this.api.getSession(signal));
    } catch (error) {
      if (signal.aborted) {
        return;
      }
      if (error instanceof ApiError && error.code === 'not_authenticated') {
        this.showLogin(notice);
      } else {
        this.view = 'starting';
        this.startError = error;
      }
    }
  }

  private enterDashboard(session: SessionInfo) {
    const setupReturn = this.pendingSetupReturn;
    this.pendingSetupReturn = undefined;
    this.session = session;
    removeExpiredDrafts();
    this.navigation = setupReturn
      ? {section: 'payment-methods', setupReturn}
      : {section: this.draftWaits(session) ? 'billing-shipping' : 'overview'};
    this.dashboardMessage = '';
    this.loginNotice = '';
    this.view = 'dashboard';
    this.loadPart(dashboardPart);
  }

  /** The part (a chunk) a view's element comes from, if it is not in the entry. */
  private partFor(view: PortalView): LazyPart | undefined {
    return view === 'dashboard' ? dashboardPart : view === 'check-mail' ? checkMailPart : undefined;
  }

  /** Loads a part once; its view renders when it is there, or shows the failure with a retry. */
  private loadPart(part: LazyPart) {
    if (part.loaded || this.partsLoading.has(part)) {
      return;
    }
    this.partsLoading.add(part);
    if (this.partErrors.has(part)) {
      this.partErrors = new Map([...this.partErrors].filter(([failed]) => failed !== part));
    }
    part
      .load()
      .then(
        () => this.requestUpdate(),
        (error: unknown) => (this.partErrors = new Map(this.partErrors).set(part, error)),
      )
      .finally(() => this.partsLoading.delete(part));
  }

  /** Whether a billing form of the session's account was left when a session ended. */
  private draftWaits(session: SessionInfo | undefined): boolean {
    return session ? hasDraft(session.activeCustomerId) : false;
  }

  private showLogin(notice: LoginNotice | '') {
    this.session = undefined;
    this.loginNotice = notice;
    this.view = 'login';
  }

  /** The light-DOM node Stripe's Payment Element mounts in (see the class comment). */
  private ensurePaymentElementNode() {
    const existing = Array.from(this.children).some((child) => child.slot === paymentElementSlot);
    if (!existing) {
      const node = document.createElement('form');
      node.slot = paymentElementSlot;
      this.append(node);
    }
  }

  /**
   * Takes a redirect's result from the address bar, like the link token: only one portal on the
   * page gets it, the one of the mode that left (remembered in sessionStorage), else the first.
   */
  private takeSetupReturn() {
    const setupReturn = takeSetupReturnFromLocation(this.mode);
    if (setupReturn) {
      this.receiveSetupReturn(setupReturn);
    } else if (hasSetupReturnInLocation()) {
      // Meant for a portal of the other mode; if none took it once all have started, take it.
      setTimeout(() => {
        const unclaimed = this.isConnected
          ? takeSetupReturnFromLocation(this.mode, {anyPortal: true})
          : null;
        if (unclaimed) {
          this.receiveSetupReturn(unclaimed);
        }
      });
    }
  }

  private receiveSetupReturn(setupReturn: SetupReturn) {
    if (this.mode === 'dialog') {
      this.open = true;
    }
    if (this.view === 'dashboard') {
      this.navigation = {section: 'payment-methods', setupReturn};
    } else {
      this.pendingSetupReturn = setupReturn;
    }
  }

  private handleSessionExpired() {
    if (this.view !== 'dashboard') {
      return;
    }
    // „Rechnung und Versand" has kept its form by now (the API client tells sections first).
    this.showLogin(
      this.draftWaits(this.session) ? 'session_expired_draft_kept' : 'session_expired',
    );
    this.focusViewAfterRender = true;
    this.dispatchEvent(portalEvent('conroo-session-expired', {}));
  }

  /** Another portal on the page logged in or out: the shared cookie changed, so re-check. */
  private handleSiblingSessionChange = (event: Event) => {
    // composedPath(): inside another component's shadow root, `target` is that component.
    if (!event.composedPath().includes(this) && this.view !== 'signing-in') {
      void this.start();
    }
  };

  /** A mail link opened in a tab that already shows the page only changes the fragment. */
  private handleHashChange = () => {
    const token = takeLinkTokenFromLocation();
    if (token) {
      this.pendingToken = token;
      if (this.mode === 'dialog') {
        this.open = true;
      }
      void this.start();
    }
  };

  private handleNavigate(event: CustomEvent<PortalEventMap['conroo-navigate']>) {
    event.stopPropagation();
    this.dashboardMessage = '';
    this.navigation = {section: event.detail.section};
  }

  private handleSetupConfirming(event: CustomEvent<PortalEventMap['conroo-setup-confirming']>) {
    event.stopPropagation();
    rememberPendingRedirect({mode: this.mode, ...event.detail});
  }

  /** A section changed the account's data: a new session object makes every section reload. */
  private handleAccountDataChanged() {
    if (this.session) {
      this.session = {...this.session};
    }
  }

  /** New billing details: the account's name in the session changes too (the switcher shows it). */
  private handleBillingDetailsSaved(
    event: CustomEvent<PortalEventMap['conroo-billing-details-saved']>,
  ) {
    const {customer} = event.detail;
    if (this.session) {
      this.session = {
        ...this.session,
        accounts: this.session.accounts.map((account) =>
          account.customerId === customer.id ? {...account, name: customer.name} : account,
        ),
      };
    }
  }

  private handleLinkRequested(event: CustomEvent<PortalEventMap['conroo-link-requested']>) {
    event.stopPropagation();
    this.email = event.detail.email;
    this.loginNotice = '';
    this.view = 'check-mail';
    this.loadPart(checkMailPart);
    this.focusViewAfterRender = true;
  }

  private handleChangeEmail(event: CustomEvent<PortalEventMap['conroo-change-email']>) {
    event.stopPropagation();
    this.email = event.detail.email;
    this.view = 'login';
    this.focusViewAfterRender = true;
  }

  private async handleAccountSwitch(event: CustomEvent<PortalEventMap['conroo-account-switch']>) {
    event.stopPropagation();
    this.dashboardBusy = true;
    this.dashboardMessage = '';
    try {
      // A new session object: every section reloads its data for the new account.
      const session = await this.api.switchAccount(event.detail.customerId, this.lifetime.signal);
      this.session = session;
      if (this.draftWaits(session)) {
        this.navigation = {section: 'billing-shipping'};
      }
    } catch (error) {
      if (!this.lifetime.signal.aborted && this.view === 'dashboard') {
        this.dashboardMessage = msg(
          'Das Konto konnte nicht gewechselt werden. Bitte versuchen Sie es erneut.',
        );
      }
    } finally {
      this.dashboardBusy = false;
    }
  }

  private async handleLogoutRequest(event: Event) {
    event.stopPropagation();
    this.dashboardBusy = true;
    this.dashboardMessage = '';
    try {
      await this.api.logout(this.lifetime.signal);
    } catch (error) {
      // A session that is already gone is as good as logged out.
      if (!(error instanceof ApiError && error.code === 'not_authenticated')) {
        this.dashboardMessage = msg(
          'Die Abmeldung ist fehlgeschlagen. Bitte versuchen Sie es erneut.',
        );
        return;
      }
    } finally {
      this.dashboardBusy = false;
    }
    this.showLogin('logged_out');
    this.focusViewAfterRender = true;
    this.dispatchEvent(portalEvent('conroo-logout', {}));
  }

  private handleLanguageChange(event: Event) {
    const locale = supportedLocale((event.target as HTMLSelectElement).value);
    if (!locale) {
      return;
    }
    this.switchedLocale = locale;
    rememberLocale(locale);
    this.dispatchEvent(portalEvent('conroo-language-change', {locale}));
  }

  /** The language switcher: every language in its own name, on every view. */
  private renderLanguageSelect() {
    const current = activeLocale();
    return html`<label class="language" part="language">
      <svg width="18" height="18" viewBox="0 0 20 20" aria-hidden="true">
        <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" stroke-width="1.5" />
        <path
          d="M2 10h16M10 2c2.5 2.2 3.6 5 3.6 8s-1.1 5.8-3.6 8M10 2C7.5 4.2 6.4 7 6.4 10s1.1 5.8 3.6 8"
          fill="none"
          stroke="currentColor"
          stroke-width="1.5"
        />
      </svg>
      <span class="visually-hidden">${msg('Sprache')}</span>
      <select part="language-select" @change=${this.handleLanguageChange}>
        ${portalLocales.map(
          (locale) =>
            html`<option value=${locale} lang=${locale} ?selected=${locale === current}>
              ${localeNames[locale]}
            </option>`,
        )}
      </select>
    </label>`;
  }

  private handleDialogClose() {
    this.open = false;
    const target = this.returnFocusTo as HTMLElement | null;
    this.returnFocusTo = null;
    if (target?.isConnected && typeof target.focus === 'function') {
      target.focus();
    }
  }

  private syncDialog() {
    const dialog = this.dialog;
    if (this.mode !== 'dialog' || !dialog) {
      return;
    }
    if (this.open && !dialog.open) {
      this.returnFocusTo = document.activeElement;
      dialog.showModal();
      // Focus the view's first field once it is there (it may still be loading).
      this.focusViewAfterRender = true;
      this.requestUpdate();
    } else if (!this.open && dialog.open) {
      dialog.close();
    }
  }

  /** Puts focus on the current view's first control (or its heading), e.g. after a change. */
  private async focusView() {
    if (this.mode === 'dialog' && !this.open) {
      return;
    }
    const view = this.renderRoot.querySelector<LitElement>(
      'conroo-login-form, conroo-check-mail, conroo-dashboard',
    );
    await view?.updateComplete;
    if (view?.localName === 'conroo-dashboard') {
      view.renderRoot.querySelector<HTMLElement>('.content > h2')?.focus();
    } else {
      view?.focus();
    }
  }

  /** Opens the dialog (`mode="dialog"`). */
  show() {
    this.open = true;
  }

  /** Closes the dialog (`mode="dialog"`). */
  hide() {
    this.open = false;
  }

  private renderView() {
    if (!this.localeReady) {
      return renderLoading('');
    }
    const part = this.partFor(this.view);
    if (part && !part.loaded) {
      const error = this.partErrors.get(part);
      return error ? renderError(error, () => this.loadPart(part)) : renderLoading();
    }
    switch (this.view) {
      case 'starting':
        return this.startError
          ? renderError(this.startError, () => void this.start())
          : renderLoading();
      case 'signing-in':
        return renderLoading(msg('Sie werden angemeldet …'));
      case 'login':
        return html`<conroo-login-form
          exportparts=${loginParts}
          .email=${this.email}
          .notice=${this.loginNotice}
          @conroo-link-requested=${this.handleLinkRequested}
        ></conroo-login-form>`;
      case 'check-mail':
        return html`<conroo-check-mail
          exportparts=${loginParts}
          .email=${this.email}
          @conroo-change-email=${this.handleChangeEmail}
        ></conroo-check-mail>`;
      case 'dashboard':
        return html`<conroo-dashboard
          .message=${this.dashboardMessage}
          ?busy=${this.dashboardBusy}
          @conroo-navigate=${this.handleNavigate}
          @conroo-account-switch=${this.handleAccountSwitch}
          @conroo-logout-request=${this.handleLogoutRequest}
          @conroo-setup-confirming=${this.handleSetupConfirming}
          @conroo-payment-method-added=${this.handleAccountDataChanged}
          @conroo-default-payment-method-changed=${this.handleAccountDataChanged}
          @conroo-payment-method-removed=${this.handleAccountDataChanged}
          @conroo-billing-details-saved=${this.handleBillingDetailsSaved}
        >
          <slot name=${paymentElementSlot} slot=${paymentElementSlot}></slot>
        </conroo-dashboard>`;
    }
  }

  override render() {
    const part = this.partFor(this.view);
    const busy =
      !this.localeReady ||
      this.view === 'starting' ||
      this.view === 'signing-in' ||
      (part !== undefined && !part.loaded && !this.partErrors.has(part));
    const base = html`<div class="base" part="base" aria-busy=${busy ? 'true' : 'false'}>
      ${this.renderView()}
    </div>`;
    if (this.mode !== 'dialog') {
      return html`<div class="portal isolated" lang=${activeLocale()}>
        <div class="toolbar">${this.renderLanguageSelect()}</div>
        ${base}
      </div>`;
    }
    return html`<dialog
      part="dialog"
      lang=${activeLocale()}
      aria-labelledby="dialog-title"
      @close=${this.handleDialogClose}
    >
      <div class="portal isolated">
        <div class="dialog-header" part="dialog-header">
          <h2 class="dialog-title" id="dialog-title">${msg('CONROO Kundenportal')}</h2>
          ${this.renderLanguageSelect()}
          <button
            type="button"
            class="close-button"
            part="close-button"
            aria-label=${msg('Schließen')}
            @click=${this.hide}
          >
            <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
              <path d="M4 4l12 12M16 4L4 16" stroke="currentColor" stroke-width="2" />
            </svg>
          </button>
        </div>
        ${this.open ? base : nothing}
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conroo-billing-portal': ConrooBillingPortal;
  }
}
